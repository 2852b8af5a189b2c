package view

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
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

// AssetURL is the cache-busting URL of an embedded asset.
func AssetURL(name string) string { return "/assets/" + name + "?v=" + assetHash[name] }

// Asset serves an embedded asset (/assets/:name), to be cached for a year: its URL names its version.
func Asset(c *fiber.Ctx) error {
	name := path.Base(c.Params("name"))
	b, err := assetFiles.ReadFile("assets/" + name)
	if err != nil {
		return site.NotFound("no asset " + name)
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(b)
}
