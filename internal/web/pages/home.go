package pages

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web/site"
)

// minRankReporters is how many distinct workers a requester needs to appear among the best or worst payers.
const minRankReporters = 5

type homePage struct {
	Platform *platform.Platform
	WeekName string // "This week", or for a closed platform its last week
	Query    string
	Results  []*lookup.Requester
	Week     *site.WageJSON
	WeekFig  wages.Figures
	Best     []*lookup.Requester
	Worst    []*lookup.Requester
}

// Home renders a platform's home page: search, this week's figures, the best and worst payers.
func (h *Handler) Home(c *fiber.Ctx) error {
	if err := h.site.DirectoryReady(); err != nil {
		return err
	}
	pl, err := site.PlatformOf(c)
	if err != nil {
		return err
	}
	p := homePage{Platform: pl, Query: c.Query("q"), WeekName: "This week"}
	if len(p.Query) > 100 {
		return site.BadRequest("q", "a search is at most 100 characters")
	}
	if p.Query != "" {
		p.Results = h.site.Deps.Directory.Search(pl.ID, p.Query, 50)
		if len(p.Results) == 1 && p.Results[0].PlatformID == p.Query {
			return c.Redirect(site.RequesterPath(p.Results[0].ID), fiber.StatusSeeOther)
		}
	}
	if pl.Archive() {
		p.WeekName = "The last week before it closed"
	}
	if f, ok := h.thisWeek(c, pl); ok {
		w := site.WageOf(f)
		p.Week, p.WeekFig = &w, f
	}
	p.Best = h.site.Deps.Directory.Ranked(pl.ID, 10, minRankReporters, false)
	p.Worst = h.site.Deps.Directory.Ranked(pl.ID, 10, minRankReporters, true)
	title := "What " + pl.Short + " " + pl.Requesters + " really pay"
	if pl.Archive() {
		title = "What " + pl.Short + " " + pl.Requesters + " really paid"
	}
	return h.render(c, "home", title, p)
}

// weekCache keeps each platform's figures of this week for a minute: the home page is the busiest
// page and the figures come live from the records.
type weekCache struct {
	mu sync.Mutex
	by map[platform.ID]weekFigures
}

type weekFigures struct {
	at  time.Time
	fig wages.Figures
	ok  bool
}

// thisWeek returns the platform's market figures (in its currency) of this week, or of its last
// week when it has closed.
func (h *Handler) thisWeek(c *fiber.Ctx, p *platform.Platform) (wages.Figures, bool) {
	wc := &h.week
	wc.mu.Lock()
	defer wc.mu.Unlock()
	if wc.by == nil {
		wc.by = map[platform.ID]weekFigures{}
	}
	e := wc.by[p.ID]
	if now := h.site.Now(); now.Sub(e.at) > time.Minute || wages.Week(now) != wages.Week(e.at) {
		week := wages.Week(now)
		if p.Archive() && now.After(p.Closed) {
			week = wages.Week(p.Closed)
		}
		fs, err := h.site.Deps.Wages.MarketRange(c.UserContext(), p.ID, week)
		e = weekFigures{at: now}
		if err == nil && fs[0].Records > 0 {
			e.fig, e.ok = fs[0], true
		}
		wc.by[p.ID] = e
	}
	return e.fig, e.ok
}
