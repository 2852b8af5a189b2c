package embeds

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/internal/web/view"
)

// Card is the requester's card for iframes (any site may frame it). As the badge, every answer is a card that fits the
// frame: a well-formed id without figures is a 200 "no reports yet" card, a malformed id a 400 and a
// directory not loaded yet a 503 card saying so.
func (h *Handler) Card(c *fiber.Ctx) error {
	r, err := h.embedRequester(c)
	var e *site.Error
	if errors.As(err, &e) {
		status, note, maxAge := e.Status, "hitwage is loading its figures; try again in a minute.", 0
		switch e.Status {
		case fiber.StatusNotFound:
			status, note, maxAge = fiber.StatusOK, "hitwage has no reports of this requester yet.", 600
		case fiber.StatusBadRequest:
			note = "This is not a requester ID."
		}
		return h.sendCard(c, status, "card-note.html", map[string]any{"Note": note, "Base": h.site.Deps.BaseURL}, maxAge)
	}
	if err != nil {
		return err
	}
	return h.sendCard(c, fiber.StatusOK, "card.html", map[string]any{"D": h.site.RequesterDoc(r), "Base": h.site.Deps.BaseURL, "Demo": h.site.Demo(c)}, 600)
}

// sendCard renders one of card.html's templates for an iframe, cached for maxAge seconds (not
// stored when 0).
func (h *Handler) sendCard(c *fiber.Ctx, status int, tmpl string, data map[string]any, maxAge int) error {
	var buf bytes.Buffer
	if err := view.Card(&buf, tmpl, data); err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors *; base-uri 'none'")
	if maxAge > 0 {
		c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(maxAge))
	} else {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Send(buf.Bytes())
}
