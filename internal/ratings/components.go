package ratings

import (
	"fmt"
	"math"
	"strings"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// reviewAgg is the review averages of one requester or of the market.
type reviewAgg struct {
	count                                    uint64
	pay, fairness, communication, promptness *float64
}

// stars is the mean of the review averages present, or nil.
func (a *reviewAgg) stars() *float64 {
	if a == nil || a.count == 0 {
		return nil
	}
	var sum float64
	var n int
	for _, v := range []*float64{a.pay, a.fairness, a.communication, a.promptness} {
		if v != nil {
			sum += *v
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := sum / float64(n)
	return &m
}

// raw holds one component's figure and own score for one set of figures.
type raw struct {
	value, score *float64
}

func some(v float64) *float64 { return &v }

// raws computes every component's raw figure and own score from wage figures and reviews.
func raws(f *wages.Figures, rev *reviewAgg, target float64) map[string]raw {
	out := map[string]raw{}
	if f != nil {
		if f.EffectiveHourly != nil {
			// The pooled wage is the figure shown; the reporter-balanced score, when the figures have
			// one, is what is scored, so that no one reporter's flood moves it by more than its cap.
			score := PayScore(*f.EffectiveHourly, target)
			if f.PayScore != nil {
				score = *f.PayScore
			}
			out[Pay] = raw{f.EffectiveHourly, some(score)}
		}
		if d := f.Approved + f.Rejected; d > 0 {
			out[Approval] = raw{some(float64(f.Approved) / float64(d)), some(ApprovalScore(f.Approved, f.Rejected))}
		}
		if f.MedianApprovalSeconds != nil {
			h := *f.MedianApprovalSeconds / 3600
			out[Promptness] = raw{&h, some(PromptnessScore(h))}
		}
		if f.MedianAllottedRatio != nil {
			out[Allotted] = raw{f.MedianAllottedRatio, some(AllottedScore(*f.MedianAllottedRatio))}
		}
		if f.Records > 0 {
			q := float64(f.Returned+f.Abandoned) / float64(f.Records)
			out[Returns] = raw{&q, some(ReturnsScore(q))}
		}
	}
	if s := rev.stars(); s != nil {
		out[Reviews] = raw{s, some(ReviewsScore(*s))}
	}
	return out
}

var componentOrder = []struct {
	name, unit string
	weight     func(Weights) float64
}{
	{Pay, "usd_per_hour", func(w Weights) float64 { return w.Pay }},
	{Approval, "share", func(w Weights) float64 { return w.Approval }},
	{Promptness, "hours", func(w Weights) float64 { return w.Promptness }},
	{Allotted, "ratio", func(w Weights) float64 { return w.Allotted }},
	{Returns, "share", func(w Weights) float64 { return w.Returns }},
	{Reviews, "stars", func(w Weights) float64 { return w.Reviews }},
}

// rate builds a requester's rating from its figures and reviews and the market's; target is the
// wage its pay is scored against (its platform's and currency's). The platform is the id's.
func rate(cfg Config, id, name string, f *wages.Figures, rev *reviewAgg, market map[string]raw, target float64) Rating {
	p, _ := platform.Split(id)
	return rateOn(cfg, p, id, name, f, rev, nil, market, target)
}

// rateOn is rate on platform p (a market's id is "", which names none), with a Prolific
// researcher's figures from prolific.sql (x, nil without any): each platform has its components
// and weights, MTurk's six as they always were.
func rateOn(cfg Config, p platform.ID, id, name string, f *wages.Figures, rev *reviewAgg, x *prolificFigs, market map[string]raw, target float64) Rating {
	r := Rating{RequesterID: id, RequesterName: name, Platform: p, Currency: platform.CurrencyOf(p)}
	if f != nil {
		if f.Currency != "" {
			r.Currency = f.Currency
		}
		r.Records, r.Reporters = f.Records, f.Reporters
		r.EffectiveHourly, r.NominalHourly, r.MedianHourly = f.EffectiveHourly, f.NominalHourly, f.MedianHourly
		r.ComputedAt = f.ComputedAt
	}
	if rev != nil {
		r.Reviews = rev.count
	}
	order, weightsOf, own := componentOrder, cfg.Weights, map[string]raw(nil)
	if p == platform.Prolific {
		order, weightsOf, own = prolificOrder, cfg.ProlificWeights, prolificRaws(f, rev, x, target)
	} else {
		own = raws(f, rev, target)
	}
	var sum, weights float64
	for _, c := range order {
		n := r.Reporters
		if c.name == Reviews {
			n = r.Reviews
		}
		o, m := own[c.name], market[c.name]
		unit := c.unit
		if c.name == Pay && r.Currency != "" {
			unit = strings.ToLower(r.Currency) + "_per_hour" // usd_per_hour, gbp_per_hour
		}
		comp := Component{Name: c.name, Unit: unit, N: n, Weight: c.weight(weightsOf),
			Raw: o.value, OwnScore: o.score, MarketScore: m.score}
		comp.Score = Shrink(o.score, n, m.score, cfg.Prior)
		comp.Explanation = explain(c.name, f, rev, o, m, target, r.Currency)
		if p == platform.Prolific && o.value != nil {
			if e := explainProlific(c.name, f, x, *o.value); e != "" {
				comp.Explanation = e
			}
		}
		if comp.Score != nil && comp.Weight > 0 {
			sum += comp.Weight * *comp.Score
			weights += comp.Weight
		}
		r.Components = append(r.Components, comp)
	}
	r.EnoughData = r.Reporters >= uint64(cfg.MinReporters) && weights > 0
	if r.EnoughData {
		s := sum / weights
		s, r.Gate = payGate(s, f, r.Currency)
		r.Score = &s
		r.Grade = Grade(s)
	}
	return r
}

// Pay gates the grade: whatever its other components, a requester whose effective wage is under its
// platform's floor (in its currency) scores at most GateUnderFloor (a D), and one under half the
// floor at most GateUnderHalf (an F). Prompt approval and generous time allotted must not average
// away pay below the minimum.
const (
	GateUnderFloor = 49.9 // the top of the D band (35 up to 50)
	GateUnderHalf  = 34.9 // the top of the F band (below 35)
)

// payGate caps score by the pay gate and says why when it does. The wage it judges is the one the
// pay component scores: the reporter-balanced one (target x PayScore / 100, below the target) when
// the figures have it, so that one reporter's flood can neither lift a requester over the gate nor
// push it under; else the pooled effective wage.
func payGate(score float64, f *wages.Figures, currency string) (float64, string) {
	if f == nil || f.EffectiveHourly == nil || f.Minimum <= 0 {
		return score, ""
	}
	h, floor, sym := *f.EffectiveHourly, f.Minimum, platform.Symbol(currency)
	if f.PayScore != nil && f.Target > 0 {
		h = f.Target * *f.PayScore / 100
	}
	switch {
	case h < floor/2 && score > GateUnderHalf:
		return GateUnderHalf, fmt.Sprintf("Graded F whatever its other components: its effective wage (reporter-balanced) of %s%.2f/h is under half the %s%.2f/h floor.", sym, h, sym, floor)
	case h < floor && score > GateUnderFloor:
		return GateUnderFloor, fmt.Sprintf("Graded at most D whatever its other components: its effective wage (reporter-balanced) of %s%.2f/h is under the %s%.2f/h floor.", sym, h, sym, floor)
	}
	return score, ""
}

// explain writes the one-sentence reason for a component.
func explain(name string, f *wages.Figures, rev *reviewAgg, o, m raw, target float64, currency string) string {
	if o.value == nil {
		if m.score == nil {
			return "No data for this yet, here or market-wide."
		}
		return fmt.Sprintf("No data for this yet; the market's score of %.0f stands in.", *m.score)
	}
	v := *o.value
	switch name {
	case Pay:
		sym := platform.Symbol(currency)
		s := fmt.Sprintf("Pays %s%.2f/h effective", sym, v)
		if f.NominalHourly != nil {
			s += fmt.Sprintf(" (%s%.2f/h nominal)", sym, *f.NominalHourly)
		}
		if f.ShareBelowMinimum != nil && f.ShareBelowTarget != nil {
			floor := f.Minimum
			if floor == 0 {
				floor = wages.MinimumWage
			}
			s += fmt.Sprintf(", with %.0f%% of work time below the %s%.2f floor and %.0f%% below the %s%.2f target",
				100**f.ShareBelowMinimum, sym, floor, 100**f.ShareBelowTarget, sym, target)
		}
		s += fmt.Sprintf(", across %s from %s.", plural(f.Records, "report"), plural(f.Reporters, "worker"))
		if f.PayScore != nil && math.Abs(*f.PayScore-PayScore(v, target)) >= 0.5 {
			s += fmt.Sprintf(" Scored %.0f of 100 on each reporter's own pay, none weighing more than %.0f%% of the time, not on the pooled wage.",
				*f.PayScore, 100*wages.ReporterCap)
		}
		return s
	case Approval:
		return fmt.Sprintf("Approved %d of %d decided tasks (%.1f%%); with 95%% confidence at least %.1f%%.",
			f.Approved, f.Approved+f.Rejected, 100*v, WilsonLower(f.Approved, f.Approved+f.Rejected)*100)
	case Promptness:
		if v < 48 {
			return fmt.Sprintf("Approves work a median %.1f hours after it is submitted.", v)
		}
		return fmt.Sprintf("Approves work a median %.1f days after it is submitted.", v/24)
	case Allotted:
		return fmt.Sprintf("Allows a median %.1f times the time workers report needing.", v)
	case Returns:
		return fmt.Sprintf("%.1f%% of %s were returned or abandoned.", 100*v, plural(f.Records, "reported task"))
	case Reviews:
		return fmt.Sprintf("Rated %.1f of 5 on average (pay %s, fairness %s, communication %s, promptness %s) in %s.",
			v, stars(rev.pay), stars(rev.fairness), stars(rev.communication), stars(rev.promptness), plural(rev.count, "review"))
	}
	return ""
}

func stars(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", *v)
}

func plural(n uint64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
