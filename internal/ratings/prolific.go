package ratings

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

// Prolific's components: what a participant loses on a researcher's studies besides low pay
// (screen-outs, returns, time-outs), whether its studies take the time they advertise, and how
// soon it approves. MTurk's requesters keep their six components as they were.

//go:embed prolific.sql
var prolificSQL string

// DefaultProlificWeights are the documented weights of a Prolific researcher's components
// (docs/methodology.md, "Prolific components"); they sum to 1, as DefaultWeights do.
var DefaultProlificWeights = Weights{
	// Pay stays dominant, as on MTurk; it already counts the time of screen-outs, returns and
	// time-outs at what they paid.
	Pay: 0.35,
	// A rejection costs the reward and the participant's standing, as on MTurk.
	Approval: 0.20,
	// Approval delay, MTurk's promptness component with Prolific's own curve (ProlificPromptnessScore).
	Promptness: 0.10,
	// Whether the advertised hourly rate (reward over the estimate) is what participants get:
	// Prolific judges pay on the estimate, and participants choose studies by it. It takes the place
	// of MTurk's time allotted, which Prolific researchers' imports do not report.
	AdvertisedTime: 0.10,
	// Returns and time-outs together weigh what MTurk's returns (returned + abandoned) do.
	Returns:  0.05,
	TimeOuts: 0.05,
	// The time screen-outs take is their cost to participants that pay does not show in full.
	ScreenOutTime: 0.05,
	// Shown, not scored: its cost is the time (ScreenOutTime) and the screen-out pay (Pay); scoring
	// the count too would count one harm thrice.
	ScreenOuts: 0,
	// Less than MTurk's 0.15: on Prolific more of what reviews say (screen-outs, time-outs,
	// estimates) is measured directly.
	Reviews: 0.10,
}

// prolificOrder is the order of a Prolific researcher's components. MTurk's time allotted is not
// among them: Prolific's participant files and the userscript report no time limit per
// submission, and what a study promises is its estimate (AdvertisedTime).
var prolificOrder = []struct {
	name, unit string
	weight     func(Weights) float64
}{
	{Pay, "usd_per_hour", func(w Weights) float64 { return w.Pay }},
	{Approval, "share", func(w Weights) float64 { return w.Approval }},
	{Promptness, "hours", func(w Weights) float64 { return w.Promptness }},
	{AdvertisedTime, "ratio", func(w Weights) float64 { return w.AdvertisedTime }},
	{ScreenOuts, "share", func(w Weights) float64 { return w.ScreenOuts }},
	{ScreenOutTime, "share", func(w Weights) float64 { return w.ScreenOutTime }},
	{Returns, "share", func(w Weights) float64 { return w.Returns }},
	{TimeOuts, "share", func(w Weights) float64 { return w.TimeOuts }},
	{Reviews, "stars", func(w Weights) float64 { return w.Reviews }},
}

// ProlificPromptnessScore scores the median hours from submission to approval on Prolific: 100
// within 48 hours (Prolific asks researchers to pay "ideally within 24-48 hours"), 0 at 21 days
// (Prolific then approves automatically: the researcher never reviewed), linear in between.
func ProlificPromptnessScore(hours float64) float64 { return 100 - linear(hours, 48, 21*24) }

// ScreenOutsScore scores the share of screened-out submissions: 100 at none, 0 from half (a study
// that turns away half of those who start it). Shown only (its weight is 0).
func ScreenOutsScore(share float64) float64 { return 100 - linear(share, 0, 0.5) }

// ScreenOutTimeScore scores the share of reported time spent in screened-out submissions: 100 at
// none, 0 from 25%, the curve of returns (both are shares of effort that cannot earn the reward).
func ScreenOutTimeScore(share float64) float64 { return 100 - linear(share, 0, 0.25) }

// TimeOutsScore scores the share of submissions that timed out: 100 at none, 0 from 10%. Steeper
// than returns: a time-out is the whole time limit worked unpaid, and Prolific's limits are
// generous, so many of them mean the study takes longer than it says or fails at its end.
func TimeOutsScore(share float64) float64 { return 100 - linear(share, 0, 0.10) }

// AdvertisedTimeScore scores reported over advertised time: 100 up to 1 (as advertised or
// quicker), 0 from 2 (twice as long: the advertised hourly rate halved), linear in between; at 1.5
// Prolific's recommended £9.00/h is its £6.00/h minimum.
func AdvertisedTimeScore(ratio float64) float64 { return 100 - linear(ratio, 1, 2) }

// prolificFigs are a Prolific researcher's (or the market's) figures from prolific.sql.
type prolificFigs struct {
	screenedSecs, timedSecs     float64 // reported time of screened-out submissions, and of all
	studies, reports            uint64  // studies with an estimate and timed submitted reports, and those reports
	reportedSecs, estimatedSecs float64 // sums over those studies of reports x median time and reports x estimate
}

func (x *prolificFigs) add(y *prolificFigs) {
	x.screenedSecs += y.screenedSecs
	x.timedSecs += y.timedSecs
	x.studies += y.studies
	x.reports += y.reports
	x.reportedSecs += y.reportedSecs
	x.estimatedSecs += y.estimatedSecs
}

// prolific reads every Prolific researcher's figures in one query, and their sum: the market's.
func (r *Ratings) prolific(ctx context.Context) (map[string]*prolificFigs, *prolificFigs, error) {
	rows, err := r.s.Query(ctx, prolificSQL, store.Args{"prefix": platform.Key(platform.Prolific, ""), "source": market.ListingSource})
	if err != nil {
		return nil, nil, fmt.Errorf("ratings: prolific figures: %w", err)
	}
	defer rows.Close()
	out := map[string]*prolificFigs{}
	market := &prolificFigs{}
	for rows.Next() {
		var (
			id string
			x  prolificFigs
		)
		if err := rows.Scan(&id, &x.screenedSecs, &x.timedSecs, &x.studies, &x.reports, &x.reportedSecs, &x.estimatedSecs); err != nil {
			return nil, nil, fmt.Errorf("ratings: prolific figures: %w", err)
		}
		out[id] = &x
		market.add(&x)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("ratings: prolific figures: %w", err)
	}
	return out, market, nil
}

// prolificRaws computes a Prolific researcher's (or market's) components' raw figures and own
// scores: MTurk's where they mean the same (pay, approval, reviews), promptness on Prolific's
// curve, returns without the abandoned (on Prolific a place reserved or a study in progress), and
// the components only Prolific's data has.
func prolificRaws(f *wages.Figures, rev *reviewAgg, x *prolificFigs, target float64) map[string]raw {
	out := raws(f, rev, target)
	delete(out, Allotted)
	delete(out, Returns)
	if f != nil {
		if f.MedianApprovalSeconds != nil {
			h := *f.MedianApprovalSeconds / 3600
			out[Promptness] = raw{&h, some(ProlificPromptnessScore(h))}
		}
		if n := f.Submitted + f.Pending + f.Approved + f.Rejected + f.ScreenedOut; n > 0 {
			q := float64(f.ScreenedOut) / float64(n)
			out[ScreenOuts] = raw{&q, some(ScreenOutsScore(q))}
		}
		if f.Records > 0 {
			q := float64(f.Returned) / float64(f.Records)
			out[Returns] = raw{&q, some(ReturnsScore(q))}
			q = float64(f.TimedOut) / float64(f.Records)
			out[TimeOuts] = raw{&q, some(TimeOutsScore(q))}
		}
	}
	if x != nil {
		if x.timedSecs > 0 {
			q := x.screenedSecs / x.timedSecs
			out[ScreenOutTime] = raw{&q, some(ScreenOutTimeScore(q))}
		}
		if x.reports > 0 && x.estimatedSecs > 0 {
			q := x.reportedSecs / x.estimatedSecs
			out[AdvertisedTime] = raw{&q, some(AdvertisedTimeScore(q))}
		}
	}
	return out
}

// explainProlific writes the sentence of a component whose figure differs from MTurk's, or "" for
// those explain words alike on both platforms. v is the component's raw figure.
func explainProlific(name string, f *wages.Figures, x *prolificFigs, v float64) string {
	switch name {
	case ScreenOuts:
		return fmt.Sprintf("Screened out %d of %d participants who reached its screening or its end (%.1f%%); shown, not scored, as the time it costs is.",
			f.ScreenedOut, f.Submitted+f.Pending+f.Approved+f.Rejected+f.ScreenedOut, 100*v)
	case ScreenOutTime:
		return fmt.Sprintf("%.1f%% of the %s participants reported on its studies went into submissions that were screened out.",
			100*v, hours(x.timedSecs))
	case Returns:
		return fmt.Sprintf("%.1f%% of %s were returned.", 100*v, plural(f.Records, "reported submission"))
	case TimeOuts:
		return fmt.Sprintf("%.1f%% of %s timed out, unpaid.", 100*v, plural(f.Records, "reported submission"))
	case AdvertisedTime:
		studies := fmt.Sprintf("%d studies", x.studies)
		if x.studies == 1 {
			studies = "1 study"
		}
		return fmt.Sprintf("Its studies took %.2f times their advertised time (median reported over estimated, %s weighted by %s).",
			v, studies, plural(x.reports, "report"))
	}
	return ""
}

// hours writes a reported time in hours, or minutes under an hour.
func hours(secs float64) string {
	if secs < 3600 {
		return fmt.Sprintf("%.0f minutes", secs/60)
	}
	return fmt.Sprintf("%.1f hours", secs/3600)
}
