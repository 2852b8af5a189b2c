package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web/site"
)

// A worker's own wage figures are private: they are computed only for the holder of the token
// the worker reports with (or, for a relaying userscript, the worker it names), answered with
// Cache-Control: private, no-store, and never published or kept.

// myWagesJSON is the answer of GET /api/v1/me/wages: the figures of the worker's first platform
// and currency (MTurk first, then each platform's own currency), and in all, those of every platform
// and currency the worker was paid in (no figure adds two currencies).
type myWagesJSON struct {
	From *time.Time `json:"from"` // the range asked for; null when open
	To   *time.Time `json:"to"`
	wages.Figures
	All []wages.Figures `json:"all"`
}

// MyWages answers a worker's own wage figures, to the holder of the token they report with.
func (h *Handler) MyWages(c *fiber.Ctx) error {
	if err := h.site.MyWagesEnabled(); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	tok, err := h.site.Authenticate(c)
	if err != nil {
		return err
	}
	var p *platform.Platform
	if c.Query("platform") != "" {
		if p, err = site.PlatformOf(c); err != nil {
			return err
		}
	}
	f, r, err := h.site.MyWagesOf(c.UserContext(), p, tok, c.Query("worker_id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	out := myWagesJSON{Figures: f[0], All: f}
	if !r.From.IsZero() {
		out.From = &r.From
	}
	if !r.To.IsZero() {
		out.To = &r.To
	}
	return c.JSON(out)
}
