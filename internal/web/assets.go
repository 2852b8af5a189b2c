package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

//go:embed assets
var assetFiles embed.FS

// assetHash versions each asset URL by content, so assets can be cached for a year.
var assetHash = map[string]string{}

func init() {
	entries, err := assetFiles.ReadDir("assets")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := assetFiles.ReadFile("assets/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		assetHash[e.Name()] = hex.EncodeToString(sum[:6])
	}
}

// assetURL is the cache-busting URL of an embedded asset.
func assetURL(name string) string { return "/assets/" + name + "?v=" + assetHash[name] }

func (a *App) asset(c *fiber.Ctx) error {
	name := path.Base(c.Params("name"))
	b, err := assetFiles.ReadFile("assets/" + name)
	if err != nil {
		return NotFound("no asset " + name)
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(b)
}
