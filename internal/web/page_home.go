package web

import (
	"sync"
	"time"

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
	if f, ok := a.thisWeek(c); ok {
		w := wageOf(f)
		p.Week, p.WeekFig = &w, f
	}
	p.Best = a.deps.Directory.Ranked(10, minRankReporters, false)
	p.Worst = a.deps.Directory.Ranked(10, minRankReporters, true)
	return a.render(c, "home", "What MTurk requesters really pay", p)
}

// weekCache keeps this week's market figures for a minute: the home page is the busiest page
// and the figures come live from the records.
type weekCache struct {
	mu  sync.Mutex
	at  time.Time
	fig wages.Figures
	ok  bool
}

func (a *App) thisWeek(c *fiber.Ctx) (wages.Figures, bool) {
	wc := &a.week
	wc.mu.Lock()
	defer wc.mu.Unlock()
	if now := a.now(); now.Sub(wc.at) > time.Minute || wages.Week(now) != wages.Week(wc.at) {
		f, err := a.deps.Wages.MarketRange(c.UserContext(), wages.Week(now))
		wc.fig, wc.ok, wc.at = f, err == nil && f.Records > 0, now
	}
	return wc.fig, wc.ok
}
