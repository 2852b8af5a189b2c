package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/reports"
)

// Reports lists one platform's reports (?platform=, default MTurk).
func (h *Handler) Reports(c *fiber.Ctx) error {
	pl, err := site.PlatformOf(c)
	if err != nil {
		return err
	}
	list, err := h.site.ReportList(pl.ID)
	if err != nil {
		return err
	}
	type item struct {
		Platform string `json:"platform"`
		Period   string `json:"period"`
		Kind     string `json:"kind"`
		From     string `json:"from"`
		To       string `json:"to"` // exclusive
		URL      string `json:"url"`
		Markdown string `json:"markdown"`
		CSV      string `json:"csv"`
	}
	out := make([]item, 0, len(list))
	base := strings.TrimRight(h.site.Deps.BaseURL, "/") + reports.Path(pl.ID) + "/"
	for _, e := range list {
		p := e.Period
		out = append(out, item{Platform: string(pl.ID), Period: p.Name, Kind: p.Kind, From: p.From.Format("2006-01-02"), To: p.To.Format("2006-01-02"),
			URL: base + p.Name, Markdown: base + p.Name + ".md", CSV: base + p.Name + ".csv"})
	}
	return site.SendJSON(c, fiber.Map{"reports": out}, 300)
}
