package pages

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/web/site"
)

type hitGroupPage struct {
	G      site.HitGroup
	Title  string
	Charts []chart.Chart
}

// HitGroup renders a HIT group's or study's page, with its listing history.
func (h *Handler) HitGroup(c *fiber.Ctx) error {
	g, err := h.site.LoadHitGroup(c, true)
	if err != nil {
		return err
	}
	p := hitGroupPage{G: g, Title: g.HitSetID}
	if g.Reported != nil && g.Reported.Title != "" {
		p.Title = g.Reported.Title
	} else if g.Listing != nil {
		p.Title = g.Listing.Title
	} else if g.Advertised != nil && g.Advertised.Title != "" {
		p.Title = g.Advertised.Title
	}
	// Only the page draws the listing history; the API answer has no use for it.
	history := g.History
	if len(history) > 1 {
		pts := make([]chart.Point, len(history))
		for i, s := range history {
			pts[i] = chart.Point{X: s.At.Format("01-02 15:04"), Y: float64(s.AssignableHITs)}
		}
		if ch, err := chart.Lines("listing-history", "Assignable HITs over time (UTC)", "crawled", "HITs",
			[]chart.Series{{Name: "assignable HITs", Points: pts}}, site.F0); err == nil {
			p.Charts = append(p.Charts, ch)
		}
	}
	return h.render(c, "hitgroup", p.Title, p)
}
