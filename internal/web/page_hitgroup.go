package web

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// hitGroup is what the site knows of one HIT group: listings, reports, or an estimate. It may be
// shared by concurrent requests (loadHitGroup): read it, never change it.
type hitGroup struct {
	Platform *platform.Platform
	HitSetID string
	Listing  *market.Group
	Reported *wages.Group
	Estimate *market.Estimate
	History  []market.Snapshot // listing snapshots, oldest first; read for the page only
	// Advertised is a Prolific study's latest listing beside its reported figures, or a labelled
	// estimate from the listing when no worker reported it with a time.
	Advertised *advertised
}

// loadHitGroup reads what the site knows of the HIT group the request names, with its listing
// history when history is set (only the page draws it). Every request is charged against its
// client's rate (Limits); concurrent requests for one group share one read, which holds a store
// slot while it runs.
func (a *App) loadHitGroup(c *fiber.Ctx, history bool) (hitGroup, error) {
	pl, err := platformOf(c)
	if err != nil {
		return hitGroup{}, err
	}
	id := c.Params("id")
	if !pl.ValidGroup(id) {
		return hitGroup{}, BadRequest("id", "a "+pl.Short+" "+pl.Group+" id is "+pl.GroupShape)
	}
	if err := a.limits.charge(c); err != nil {
		return hitGroup{}, err
	}
	id = strings.Clone(id) // kept past this request: the requests that join its read are given it
	ctx := c.UserContext()
	key := string(pl.ID) + "/" + id
	if history {
		key += "/history"
	}
	v, err, _ := a.groupLoads.Do(key, func() (any, error) {
		release, err := a.limits.acquire(ctx)
		if err != nil {
			return hitGroup{}, err
		}
		defer release()
		a.metrics.storeRead(readHitGroup)
		return a.readHitGroup(ctx, pl, id, history)
	})
	g, _ := v.(hitGroup)
	return g, err
}

// readHitGroup reads a HIT group's listings, reports, estimate and (with history) listing history;
// a Prolific study's, its latest listing.
func (a *App) readHitGroup(ctx context.Context, pl *platform.Platform, id string, history bool) (hitGroup, error) {
	g := hitGroup{Platform: pl, HitSetID: id}
	listed := pl.ID == platform.MTurk // the listings collected are MTurk's
	if !listed {
	} else if l, err := market.GroupStats(ctx, a.deps.Store, id); err == nil {
		g.Listing = &l
	} else if !errors.Is(err, market.ErrNotFound) {
		return g, err
	}
	if a.deps.Wages == nil { // a site serving listings only has no reports to show
	} else if r, err := a.deps.Wages.Group(ctx, pl.ID, id); err == nil {
		g.Reported = &r
	} else if !errors.Is(err, wages.ErrNotFound) {
		return g, err
	}
	if pl.ID == platform.Prolific { // study listings advertise a rate to set beside the reported one
		if st, err := market.StudyListing(ctx, a.deps.Store, id); err == nil {
			v := advertisedOf(st, g.Reported)
			g.Advertised = &v
		} else if !errors.Is(err, market.ErrNotFound) {
			return g, err
		}
	}
	if g.Listing == nil && g.Reported == nil && g.Advertised == nil {
		return g, NotFound("hitwage has no listings or reports of " + pl.Short + " " + pl.Group + " " + id + " yet.")
	}
	if listed && (g.Reported == nil || g.Reported.Records == 0) {
		if e, err := market.EstimateWage(ctx, a.deps.Store, id); err == nil {
			g.Estimate = &e
		} else if !errors.Is(err, market.ErrNotFound) && !errors.Is(err, market.ErrNoBasis) {
			return g, err
		}
	}
	if history && g.Listing != nil {
		var err error
		if g.History, err = market.GroupHistory(ctx, a.deps.Store, id, 2000); err != nil {
			return g, err
		}
	}
	return g, nil
}

type hitGroupPage struct {
	G      hitGroup
	Title  string
	Charts []chart.Chart
}

func (a *App) hitGroupPage(c *fiber.Ctx) error {
	g, err := a.loadHitGroup(c, true)
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
			[]chart.Series{{Name: "assignable HITs", Points: pts}}, f0); err == nil {
			p.Charts = append(p.Charts, ch)
		}
	}
	return a.render(c, "hitgroup", p.Title, p)
}

type hitGroupJSON struct {
	Demo            bool         `json:"demo,omitempty"` // generated demo data, not real reports
	HitSetID        string       `json:"hit_set_id"`
	Platform        string       `json:"platform"`
	Currency        string       `json:"currency"` // of reward and bonus_owed (the wage block names its own)
	RequesterID     string       `json:"requester_id"`
	RequesterName   string       `json:"requester_name"`
	Title           string       `json:"title"`
	Reward          *float64     `json:"reward"`
	AllottedSeconds uint32       `json:"allotted_seconds"`
	Records         uint64       `json:"records"`
	Reporters       uint64       `json:"reporters"`
	Wage            *wageJSON    `json:"wage"`
	BonusOwed       *float64     `json:"bonus_owed"`
	Estimate        *estimateDoc `json:"estimate"`
	Listing         *listingDoc  `json:"listing"`
	// Advertised is a Prolific study's latest listing: what it advertised, beside the reported wage.
	Advertised *advertisedDoc `json:"advertised,omitempty"`
}

// advertisedDoc is what a study's latest listing advertised, in its own currency.
type advertisedDoc struct {
	Currency         string    `json:"currency"`
	Reward           *float64  `json:"reward"`
	Hourly           *float64  `json:"hourly"`        // the listing's stated rate, else reward over the estimated time; null: neither known
	HourlyStated     bool      `json:"hourly_stated"` // hourly is the rate the listing stated
	EstimatedSeconds uint32    `json:"estimated_seconds"`
	AverageSeconds   uint32    `json:"average_seconds"` // Prolific's average completion time; 0: not given
	Places           uint32    `json:"places"`
	LastSeen         time.Time `json:"last_seen"`
	Estimate         string    `json:"estimate,omitempty"` // the labelled estimate, when no worker reported the study with a time
}

type estimateDoc struct {
	Label   string   `json:"label"`
	Basis   string   `json:"basis"`
	Hourly  *float64 `json:"hourly"`
	Seconds float64  `json:"seconds"`
}

type listingDoc struct {
	FirstSeen    string `json:"first_seen"`
	LastSeen     string `json:"last_seen"`
	PeakHITs     uint64 `json:"peak_hits"`
	LastHITs     uint64 `json:"last_hits"`
	HITsConsumed uint64 `json:"hits_consumed"`
}

func (a *App) apiHitGroup(c *fiber.Ctx) error {
	g, err := a.loadHitGroup(c, false)
	if err != nil {
		return err
	}
	d := hitGroupJSON{Demo: a.demoData(), HitSetID: g.HitSetID, Platform: string(g.Platform.ID), Currency: g.Platform.Currency}
	if l := g.Listing; l != nil {
		rw, _ := l.Reward.Float64()
		d.RequesterID, d.RequesterName, d.Title, d.Reward, d.AllottedSeconds = l.RequesterID, l.RequesterName, l.Title, cents(&rw), l.AllottedSeconds
		d.Listing = &listingDoc{FirstSeen: l.FirstSeen.Format("2006-01-02T15:04:05Z"), LastSeen: l.LastSeen.Format("2006-01-02T15:04:05Z"),
			PeakHITs: l.PeakHITs, LastHITs: l.LastHITs, HITsConsumed: l.HITsConsumed}
	}
	if r := g.Reported; r != nil {
		if d.Title == "" {
			_, rid := platform.Split(r.RequesterID)
			d.RequesterID, d.RequesterName, d.Title, d.AllottedSeconds = rid, r.RequesterName, r.Title, r.AllottedSeconds
			d.Reward, d.Currency = cents(&r.Reward), r.Currency
		}
		w := wageOf(r.Figures)
		d.Records, d.Reporters, d.Wage, d.BonusOwed = r.Records, r.Reporters, &w, cents(r.BonusOwed)
	}
	if v := g.Advertised; v != nil {
		if d.Title == "" {
			_, rid := platform.Split(v.RequesterID)
			d.RequesterID, d.RequesterName, d.Title, d.Currency = rid, v.RequesterName, v.Title, v.Currency
			d.Reward = cents(&v.Reward)
		}
		d.Advertised = &advertisedDoc{Currency: v.Currency, Reward: cents(&v.Reward), Hourly: cents(v.Hourly), HourlyStated: v.Stated,
			EstimatedSeconds: v.EstimatedSeconds, AverageSeconds: v.AverageSeconds, Places: v.Places, LastSeen: v.LastSeen, Estimate: v.Estimate}
	}
	if e := g.Estimate; e != nil {
		h, _ := e.Hourly.Float64()
		d.Estimate = &estimateDoc{Label: e.Label, Basis: e.Basis, Hourly: cents(&h), Seconds: e.Seconds}
	}
	return sendJSON(c, d, 300)
}
