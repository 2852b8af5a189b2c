package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/wages"
)

func init() {
	routeSets = append(routeSets, func(a *App) { a.Get("/", a.homePage) })
}

// minRankReporters is how many distinct workers a requester needs to appear among the best or worst payers.
const minRankReporters = 5

type homePage struct {
	Query   string
	Results []*lookup.Requester
	Week    *wageJSON
	WeekFig wages.Figures
	Best    []*lookup.Requester
	Worst   []*lookup.Requester
}

func (a *App) homePage(c *fiber.Ctx) error {
	if err := a.directoryReady(); err != nil {
		return err
	}
	p := homePage{Query: c.Query("q")}
	if len(p.Query) > 100 {
		return BadRequest("q", "a search is at most 100 characters")
	}
	if p.Query != "" {
		p.Results = a.deps.Directory.Search(p.Query, 50)
		if len(p.Results) == 1 && p.Results[0].ID == p.Query {
			return c.Redirect("/requesters/"+p.Results[0].ID, fiber.StatusSeeOther)
		}
	}
	if f, err := a.deps.Wages.MarketRange(c.UserContext(), wages.Week(a.now())); err == nil && f.Records > 0 {
		w := wageOf(f)
		p.Week, p.WeekFig = &w, f
	}
	p.Best = a.deps.Directory.Ranked(10, minRankReporters, false)
	p.Worst = a.deps.Directory.Ranked(10, minRankReporters, true)
	return a.render(c, "home", "What MTurk requesters really pay", p)
}
