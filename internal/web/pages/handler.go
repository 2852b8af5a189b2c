// Package pages is the site's HTML pages and their forms: the home page, requester and HIT group
// pages with the review form, the market, a worker's own wages, contributing a saved history, the
// wage reports, the methodology and the API reference.
package pages

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/internal/web/snapshot"
	"github.com/hitwage/hitwage/internal/web/view"
)

// Handler serves the pages from the site's shared state and the caches only pages read.
type Handler struct {
	site    *site.Site
	openAPI []byte // the API's OpenAPI document, for its reference page

	marketCharts snapshot.Cache[[]chart.Chart] // the market page's wage charts, under ""
	week         weekCache

	contrib contributeState // /contribute's token issuance and uploads waiting for confirmation
}

// New returns the pages' handlers on s; openAPI is the API's description, which the API
// reference page shows.
func New(s *site.Site, openAPI []byte) *Handler { return &Handler{site: s, openAPI: openAPI} }

// render writes a page with the layout, telling it whether the figures are demo data.
func (h *Handler) render(c *fiber.Ctx, name, title string, data any) error {
	return view.Render(c, h.site.Demo(c), name, title, data)
}
