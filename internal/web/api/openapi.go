// Package api is the site's JSON API under /api/v1 (described in openapi.json) and the two
// Turkopticon endpoints worker scripts already call. Read answers carry an ETag, a cache lifetime
// and CORS for any origin; writes take a worker's token.
package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// Document is the API's OpenAPI description: served at /api/v1/openapi.json, and read by the
// API reference page so that the two cannot disagree.
//
//go:embed openapi.json
var Document []byte

// OpenAPI serves Document, for tools.
func (h *Handler) OpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	return c.Send(Document)
}
