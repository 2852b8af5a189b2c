package web

import (
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/api"
	"github.com/hitwage/hitwage/internal/web/embeds"
	"github.com/hitwage/hitwage/internal/web/ops"
	"github.com/hitwage/hitwage/internal/web/pages"
	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/internal/web/view"
	"github.com/hitwage/hitwage/reports"
)

// routes adds every route of the site, by surface, in the order fiber matches them. A route's
// handler is in the folder of its surface: ops/ (health, metrics), api/ (the JSON API), embeds/
// (badges, cards, oEmbed, the userscript), pages/ (HTML pages and their forms); the templates and
// assets the pages and cards share are in view/, what every surface shares in site/.
func (a *App) routes() {
	api, embeds, pages := api.New(a.site), embeds.New(a.site), pages.New(a.site, api.Document)
	a.opsRoutes(a.opsH)
	a.apiRoutes(api)
	a.embedRoutes(embeds)
	a.pageRoutes(pages)
	a.platformRoutes(pages, embeds)
	for _, r := range testRoutes {
		r(a)
	}
}

// testRoutes are routes a test adds (a handler that panics, say); empty in the site.
var testRoutes []func(a *App)

// opsRoutes adds the site's /healthz and, with Deps.OpsPublic, the operations endpoints (ops.go).
func (a *App) opsRoutes(ops *ops.Handler) {
	if a.site.Deps.OpsPublic {
		a.Get("/healthz", ops.Healthz)
		a.Get("/metrics", ops.Metrics)
		return
	}
	a.Get("/healthz", ops.PublicHealthz)
}

// apiRoutes: the JSON API under /api/v1 (documented in openapi.json) and Turkopticon's two
// endpoints that worker scripts already call. The write endpoints and a worker's own figures let
// the worker sites' userscripts call them (WorkerSiteCORS); reads allow any origin.
func (a *App) apiRoutes(api *api.Handler) {
	a.Get("/api/v1/openapi.json", api.OpenAPI)

	a.Get("/api/v1/requesters/:id", api.Requester)
	a.Get("/api/v1/requesters/:id/sources", api.Sources)
	a.Get("/api/v1/requesters", api.Requesters)
	a.Get("/api/v1/search", api.Search)
	a.Get("/api/v1/hits/:id", api.HitGroup)
	a.Get("/api/v1/market", api.Market)
	a.Get("/api/v1/wage-reports", api.Reports)
	a.Get("/api/v1/export", api.ExportIndex)
	a.Get("/api/v1/export/:file", api.Export)

	a.Use("/api/v1/reports", api.WorkerSiteCORS("POST,OPTIONS"))
	a.Post("/api/v1/reports", api.PostReports)
	a.Use("/api/v1/studies", api.WorkerSiteCORS("POST,OPTIONS"))
	a.Post("/api/v1/studies", api.PostStudies)
	a.Use("/api/v1/reviews", api.WorkerSiteCORS("POST,DELETE,OPTIONS"))
	a.Post("/api/v1/reviews", api.PostReview)
	a.Get("/api/v1/reviews/:id", api.Reviews)
	a.Delete("/api/v1/reviews/:id", api.DeleteReview)
	a.Post("/api/v1/reviews/:id/flags", api.FlagReview)
	a.Use("/api/v1/me", api.WorkerSiteCORS("GET,OPTIONS"))
	a.Get("/api/v1/me/wages", api.MyWages)

	a.Get("/api/multi-attrs.php", api.TurkopticonAttrs) // Turkopticon 1
	a.Get("/requesters", api.TurkopticonRequesters)     // Turkopticon 2
}

// embedRoutes: what forums and other sites embed (badges, cards, oEmbed) and the userscript
// workers install. Other platforms' badges and cards are in platformRoutes.
func (a *App) embedRoutes(embeds *embeds.Handler) {
	a.Get("/embed/requesters/:id/badge.svg", embeds.Badge)
	a.Get("/embed/requesters/:id/card", embeds.Card)
	a.Get("/oembed", embeds.OEmbed)
	a.Get("/userscripts/hitwage.user.js", embeds.Userscript)
	a.Get("/assets/:name", view.Asset)
}

// pageRoutes: the site's HTML pages (MTurk's under no prefix; other platforms' in
// platformRoutes) and their forms.
func (a *App) pageRoutes(pages *pages.Handler) {
	a.Get("/", pages.Home)
	a.Get("/requesters/:id", pages.Requester)
	a.Get("/requesters/:id/review", pages.ReviewForm)
	a.Post("/requesters/:id/review", pages.PostReview)
	a.Post("/requesters/:id/flag", pages.PostFlag)
	for _, p := range platform.All() {
		if p.ID != platform.Default {
			a.Post(site.Prefix(p.ID)+"/"+site.RequesterWord(p.ID)+"/:id/flag", site.OnPlatform(p, pages.PostFlag))
		}
	}
	a.Get("/hits/:id", pages.HitGroup)
	a.Get("/market", pages.Market)
	a.Get("/me", pages.Me)
	a.Post("/me", pages.PostMe)
	a.Get("/contribute", pages.Contribute)
	a.Post("/contribute/token", pages.ContributeToken)
	a.Post("/contribute/upload", pages.ContributeUpload)
	a.Post("/contribute/confirm", pages.ContributeConfirm)
	a.Post("/contribute/mine", pages.ContributeMine)
	a.Post("/contribute/delete", pages.ContributeDelete)
	a.Get("/methodology", pages.Methodology)
	a.Get("/about", pages.About)
	a.Get("/api", pages.API)

	a.Get("/reports", pages.Reports)
	a.Get("/reports/", pages.Reports)
	// Each platform but MTurk has its reports under its own path (/reports/prolific/2026-W49),
	// routed before MTurk's /reports/:period/:table, which would take them.
	for _, p := range platform.All() {
		if p.ID == platform.MTurk {
			continue
		}
		pre := reports.Path(p.ID)
		a.Get(pre, pages.PlatformReports(p))
		a.Get(pre+"/:name", site.OnPlatform(p, pages.Report))
		a.Get(pre+"/:period/:table", site.OnPlatform(p, pages.ReportTable))
	}
	a.Get("/reports/:name", pages.Report)
	a.Get("/reports/:period/:table", pages.ReportTable)
}

// platformRoutes serves each platform but MTurk's pages and embeds under its own prefix, in its
// own nouns (/prolific/researchers/ID): the same handlers as MTurk's, told the platform.
func (a *App) platformRoutes(pages *pages.Handler, embeds *embeds.Handler) {
	for _, p := range platform.All() {
		if p.ID == platform.Default {
			continue
		}
		pre, req := site.Prefix(p.ID), "/"+site.RequesterWord(p.ID)
		a.Get(pre, site.OnPlatform(p, pages.Home))
		a.Get(pre+"/market", site.OnPlatform(p, pages.Market))
		a.Get(pre+req+"/:id", site.OnPlatform(p, pages.Requester))
		a.Get(pre+req+"/:id/review", site.OnPlatform(p, pages.ReviewForm))
		a.Post(pre+req+"/:id/review", site.OnPlatform(p, pages.PostReview))
		a.Get(pre+"/"+site.GroupWord(p.ID)+"/:id", site.OnPlatform(p, pages.HitGroup))
		a.Get("/embed"+pre+req+"/:id/badge.svg", site.OnPlatform(p, embeds.Badge))
		a.Get("/embed"+pre+req+"/:id/card", site.OnPlatform(p, embeds.Card))
	}
}
