// Package ratings scores requesters' fairness from their wage figures and workers' reviews:
// components 0-100 (pay, approval, promptness, time allotted, returns, reviews on MTurk; on Prolific
// also screen-outs and their time, time-outs and advertised against reported time), each shrunk toward
// the market by the number of distinct reporters, a weighted composite and an A-F grade, with a
// sentence per component. Scores live in an in-memory snapshot that Refresh rebuilds, so lookups
// never query the store.
package ratings

import (
	"time"

	"github.com/hitwage/hitwage/internal/platform"
)

// Weights are the components' shares of the composite score; they need not sum to 1 (the
// composite divides by the sum of the weights of the components present). A platform's weights
// for components it does not have are unused.
type Weights struct {
	Pay, Approval, Promptness, Allotted, Returns, Reviews float64
	// Prolific's own components (prolific.go).
	ScreenOuts, ScreenOutTime, TimeOuts, AdvertisedTime float64
}

// DefaultWeights are the documented weights (docs/methodology.md).
var DefaultWeights = Weights{Pay: 0.35, Approval: 0.20, Promptness: 0.10, Allotted: 0.10, Returns: 0.10, Reviews: 0.15}

// Config tunes the scores.
type Config struct {
	Target       float64 // target hourly wage in dollars; default 15 (use the wages.Wages target)
	MinReporters int     // distinct reporters needed for a score and grade; default 5
	Prior        float64 // prior strength in reporters: how many reporters the market value counts as; default 5
	Weights      Weights // default DefaultWeights
	// ProlificWeights weigh Prolific researchers' components; default DefaultProlificWeights.
	ProlificWeights Weights
}

func (c Config) withDefaults() Config {
	if c.Target <= 0 {
		c.Target = 15
	}
	if c.MinReporters <= 0 {
		c.MinReporters = 5
	}
	if c.Prior <= 0 {
		c.Prior = 5
	}
	if c.Weights == (Weights{}) {
		c.Weights = DefaultWeights
	}
	if c.ProlificWeights == (Weights{}) {
		c.ProlificWeights = DefaultProlificWeights
	}
	return c
}

// Component names.
const (
	Pay        = "pay"
	Approval   = "approval"
	Promptness = "promptness"
	Allotted   = "allotted"
	Returns    = "returns"
	Reviews    = "reviews"

	// Prolific's own.
	ScreenOuts     = "screen_outs"     // screened out / (submitted + screened out)
	ScreenOutTime  = "screen_out_time" // share of reported time in screened-out submissions
	TimeOuts       = "time_outs"       // timed out / records
	AdvertisedTime = "advertised_time" // median reported over advertised (estimated) time of the same studies
)

// Component is one part of a requester's score.
type Component struct {
	Name        string   `json:"name"`         // one of the component name constants
	Score       *float64 `json:"score"`        // 0-100 after shrinking toward the market; nil when neither has data
	OwnScore    *float64 `json:"own_score"`    // 0-100 from the requester's own data alone; nil without data
	MarketScore *float64 `json:"market_score"` // 0-100 of the whole market
	Raw         *float64 `json:"raw"`          // the figure scored, in Unit
	Unit        string   `json:"unit"`         // "usd_per_hour" (the pay component's: its currency's, e.g. "gbp_per_hour"), "share", "hours", "ratio", "stars"
	N           uint64   `json:"n"`            // reporters (reviews for the reviews component) behind it
	Weight      float64  `json:"weight"`
	Explanation string   `json:"explanation"` // one sentence saying why, in plain words
}

// Rating is a requester's fairness score.
type Rating struct {
	RequesterID     string      `json:"requester_id"` // the stored key (platform.Key)
	Platform        platform.ID `json:"platform"`
	Currency        string      `json:"currency"` // of the hourly figures
	RequesterName   string      `json:"requester_name"`
	Records         uint64      `json:"records"`
	Reporters       uint64      `json:"reporters"`
	Reviews         uint64      `json:"reviews"`
	EnoughData      bool        `json:"enough_data"`    // false: "not enough data", Score and Grade are empty
	Score           *float64    `json:"score"`          // 0-100, nil without enough data
	Grade           string      `json:"grade"`          // A-F, "" without enough data
	Gate            string      `json:"gate,omitempty"` // why pay capped the score (payGate), "" when it did not
	EffectiveHourly *float64    `json:"effective_hourly"`
	NominalHourly   *float64    `json:"nominal_hourly"`
	MedianHourly    *float64    `json:"median_hourly"`
	// Components are in the order pay, approval, promptness, allotted, returns, reviews on MTurk;
	// pay, approval, promptness, advertised_time, screen_outs, screen_out_time, returns, time_outs,
	// reviews on Prolific.
	Components []Component `json:"components"`
	ComputedAt time.Time   `json:"computed_at"`
}

// Component returns the named component, or false.
func (r Rating) Component(name string) (Component, bool) {
	for _, c := range r.Components {
		if c.Name == name {
			return c, true
		}
	}
	return Component{}, false
}

// Grade maps a 0-100 score to a letter: A from 80, B from 65, C from 50, D from 35, else F.
func Grade(score float64) string {
	switch {
	case score >= 80:
		return "A"
	case score >= 65:
		return "B"
	case score >= 50:
		return "C"
	case score >= 35:
		return "D"
	}
	return "F"
}
