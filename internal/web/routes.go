package web

import (
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/internal/web/view"
	"github.com/hitwage/hitwage/reports"
)

// routes adds every route of the site, by surface, in the order fiber matches them. Each
// handler lives in the file named for what it serves (page_*.go, api_*.go, embed.go, ...).
func (a *App) routes() {
	a.opsRoutes()
	a.apiRoutes()
	a.embedRoutes()
	a.pageRoutes()
	a.platformRoutes()
	for _, r := range testRoutes {
		r(a)
	}
}

// testRoutes are routes a test adds (a handler that panics, say); empty in the site.
var testRoutes []func(a *App)

// opsRoutes adds the site's /healthz and, with site.Deps.OpsPublic, the operations endpoints (ops.go).
func (a *App) opsRoutes() {
	if a.site.Deps.OpsPublic {
		a.Get("/healthz", a.healthz)
		a.Get("/metrics", a.metricsHandler)
		return
	}
	a.Get("/healthz", a.publicHealthz)
}

// apiRoutes: the JSON API under /api/v1 (documented in openapi.json) and Turkopticon's two
// endpoints that worker scripts already call. The write endpoints and a worker's own figures let
// the worker sites' userscripts call them (workerSiteCORS); reads allow any origin.
func (a *App) apiRoutes() {
	a.Get("/api/v1/openapi.json", a.openAPI)

	a.Get("/api/v1/requesters/:id", a.apiRequester)
	a.Get("/api/v1/requesters/:id/sources", a.apiSources)
	a.Get("/api/v1/requesters", a.apiRequesters)
	a.Get("/api/v1/search", a.apiSearch)
	a.Get("/api/v1/hits/:id", a.apiHitGroup)
	a.Get("/api/v1/market", a.apiMarket)
	a.Get("/api/v1/wage-reports", a.apiReports)
	a.Get("/api/v1/export", a.apiExportIndex)
	a.Get("/api/v1/export/:file", a.apiExport)

	a.Use("/api/v1/reports", a.workerSiteCORS("POST,OPTIONS"))
	a.Post("/api/v1/reports", a.handleReports)
	a.Use("/api/v1/studies", a.workerSiteCORS("POST,OPTIONS"))
	a.Post("/api/v1/studies", a.postStudies)
	a.Use("/api/v1/reviews", a.workerSiteCORS("POST,DELETE,OPTIONS"))
	a.Post("/api/v1/reviews", a.postReview)
	a.Get("/api/v1/reviews/:id", a.listReviews)
	a.Delete("/api/v1/reviews/:id", a.deleteReview)
	a.Post("/api/v1/reviews/:id/flags", a.flagReview)
	a.Use("/api/v1/me", a.workerSiteCORS("GET,OPTIONS"))
	a.Get("/api/v1/me/wages", a.myWages)

	a.Get("/api/multi-attrs.php", a.to1MultiAttrs) // Turkopticon 1
	a.Get("/requesters", a.to2Requesters)          // Turkopticon 2
}

// embedRoutes: what forums and other sites embed (badges, cards, oEmbed) and the userscript
// workers install. Other platforms' badges and cards are in platformRoutes.
func (a *App) embedRoutes() {
	a.Get("/embed/requesters/:id/badge.svg", a.badge)
	a.Get("/embed/requesters/:id/card", a.card)
	a.Get("/oembed", a.oembed)
	a.Get("/userscripts/hitwage.user.js", a.userscript)
	a.Get("/assets/:name", view.Asset)
}

// pageRoutes: the site's HTML pages (MTurk's under no site.Prefix; other platforms' in
// platformRoutes) and their forms.
func (a *App) pageRoutes() {
	a.Get("/", a.homePage)
	a.Get("/requesters/:id", a.requesterPage)
	a.Get("/requesters/:id/review", a.reviewFormPage)
	a.Post("/requesters/:id/review", a.postReviewForm)
	a.Post("/requesters/:id/flag", a.postFlagForm)
	for _, p := range platform.All() {
		if p.ID != platform.Default {
			a.Post(site.Prefix(p.ID)+"/"+site.RequesterWord(p.ID)+"/:id/flag", site.OnPlatform(p, a.postFlagForm))
		}
	}
	a.Get("/hits/:id", a.hitGroupPage)
	a.Get("/market", a.marketPage)
	a.Get("/me", a.mePage)
	a.Post("/me", a.postMe)
	a.Get("/contribute", a.contributePage)
	a.Post("/contribute/token", a.contributeToken)
	a.Post("/contribute/upload", a.contributeUpload)
	a.Post("/contribute/confirm", a.contributeConfirm)
	a.Post("/contribute/mine", a.contributeMine)
	a.Post("/contribute/delete", a.contributeDelete)
	a.Get("/methodology", a.methodology)
	a.Get("/about", a.about)
	a.Get("/api", a.apiPage)

	a.Get("/reports", a.reportsIndex)
	a.Get("/reports/", a.reportsIndex)
	// Each platform but MTurk has its reports under its own path (/reports/prolific/2026-W49),
	// routed before MTurk's /reports/:period/:table, which would take them.
	for _, p := range platform.All() {
		if p.ID == platform.MTurk {
			continue
		}
		pre := reports.Path(p.ID)
		a.Get(pre, a.reportsPlatformIndex(p))
		a.Get(pre+"/:name", site.OnPlatform(p, a.reportPage))
		a.Get(pre+"/:period/:table", site.OnPlatform(p, a.reportTable))
	}
	a.Get("/reports/:name", a.reportPage)
	a.Get("/reports/:period/:table", a.reportTable)
}

// platformRoutes serves each platform but MTurk's pages and embeds under its own site.Prefix, in its
// own nouns (/prolific/researchers/ID): the same handlers as MTurk's, told the platform.
func (a *App) platformRoutes() {
	for _, p := range platform.All() {
		if p.ID == platform.Default {
			continue
		}
		pre, req := site.Prefix(p.ID), "/"+site.RequesterWord(p.ID)
		a.Get(pre, site.OnPlatform(p, a.homePage))
		a.Get(pre+"/market", site.OnPlatform(p, a.marketPage))
		a.Get(pre+req+"/:id", site.OnPlatform(p, a.requesterPage))
		a.Get(pre+req+"/:id/review", site.OnPlatform(p, a.reviewFormPage))
		a.Post(pre+req+"/:id/review", site.OnPlatform(p, a.postReviewForm))
		a.Get(pre+"/"+site.GroupWord(p.ID)+"/:id", site.OnPlatform(p, a.hitGroupPage))
		a.Get("/embed"+pre+req+"/:id/badge.svg", site.OnPlatform(p, a.badge))
		a.Get("/embed"+pre+req+"/:id/card", site.OnPlatform(p, a.card))
	}
}
