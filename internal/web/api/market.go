package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
)

// Market answers a platform's market-wide figures.
func (h *Handler) Market(c *fiber.Ctx) error {
	pl, err := site.PlatformOf(c)
	if err != nil {
		return err
	}
	f, ok := h.site.Market(pl.ID)
	if !ok {
		return site.NotFound("no " + pl.Short + " market figures yet")
	}
	ans := fiber.Map{
		"platform": pl.ID, "archive": pl.Archive(),
		"records": f.Records, "reporters": f.Reporters, "wage": site.WageOf(f), "approval": site.ApprovalOf(f),
		"computed_at": f.ComputedAt,
	}
	if h.site.DemoData() {
		ans["demo"] = true
	}
	return site.SendJSON(c, ans, 300)
}
