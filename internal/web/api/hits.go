package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

type hitGroupJSON struct {
	Demo            bool           `json:"demo,omitempty"` // generated demo data, not real reports
	HitSetID        string         `json:"hit_set_id"`
	Platform        string         `json:"platform"`
	Currency        string         `json:"currency"` // of reward and bonus_owed (the wage block names its own)
	RequesterID     string         `json:"requester_id"`
	RequesterName   string         `json:"requester_name"`
	Title           string         `json:"title"`
	Reward          *float64       `json:"reward"`
	AllottedSeconds uint32         `json:"allotted_seconds"`
	Records         uint64         `json:"records"`
	Reporters       uint64         `json:"reporters"`
	Wage            *site.WageJSON `json:"wage"`
	BonusOwed       *float64       `json:"bonus_owed"`
	Estimate        *estimateDoc   `json:"estimate"`
	Listing         *listingDoc    `json:"listing"`
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

// HitGroup answers what the site knows of one HIT group or study.
func (h *Handler) HitGroup(c *fiber.Ctx) error {
	g, err := h.site.LoadHitGroup(c, false)
	if err != nil {
		return err
	}
	d := hitGroupJSON{Demo: h.site.DemoData(), HitSetID: g.HitSetID, Platform: string(g.Platform.ID), Currency: g.Platform.Currency}
	if l := g.Listing; l != nil {
		rw, _ := l.Reward.Float64()
		d.RequesterID, d.RequesterName, d.Title, d.Reward, d.AllottedSeconds = l.RequesterID, l.RequesterName, l.Title, site.Cents(&rw), l.AllottedSeconds
		d.Listing = &listingDoc{FirstSeen: l.FirstSeen.Format("2006-01-02T15:04:05Z"), LastSeen: l.LastSeen.Format("2006-01-02T15:04:05Z"),
			PeakHITs: l.PeakHITs, LastHITs: l.LastHITs, HITsConsumed: l.HITsConsumed}
	}
	if r := g.Reported; r != nil {
		if d.Title == "" {
			_, rid := platform.Split(r.RequesterID)
			d.RequesterID, d.RequesterName, d.Title, d.AllottedSeconds = rid, r.RequesterName, r.Title, r.AllottedSeconds
			d.Reward, d.Currency = site.Cents(&r.Reward), r.Currency
		}
		w := site.WageOf(r.Figures)
		d.Records, d.Reporters, d.Wage, d.BonusOwed = r.Records, r.Reporters, &w, site.Cents(r.BonusOwed)
	}
	if v := g.Advertised; v != nil {
		if d.Title == "" {
			_, rid := platform.Split(v.RequesterID)
			d.RequesterID, d.RequesterName, d.Title, d.Currency = rid, v.RequesterName, v.Title, v.Currency
			d.Reward = site.Cents(&v.Reward)
		}
		d.Advertised = &advertisedDoc{Currency: v.Currency, Reward: site.Cents(&v.Reward), Hourly: site.Cents(v.Hourly), HourlyStated: v.Stated,
			EstimatedSeconds: v.EstimatedSeconds, AverageSeconds: v.AverageSeconds, Places: v.Places, LastSeen: v.LastSeen, Estimate: v.Estimate}
	}
	if e := g.Estimate; e != nil {
		h, _ := e.Hourly.Float64()
		d.Estimate = &estimateDoc{Label: e.Label, Basis: e.Basis, Hourly: site.Cents(&h), Seconds: e.Seconds}
	}
	return site.SendJSON(c, d, 300)
}
