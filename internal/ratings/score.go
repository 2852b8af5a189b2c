package ratings

import "math"

// wilsonZ is the normal quantile of the approval lower bound: 95% two-sided confidence.
const wilsonZ = 1.96

// WilsonLower is the lower bound of the Wilson score interval for k successes in n trials at 95%
// confidence: 3 of 3 gives 0.44, 970 of 1000 gives 0.96. It is 0 when n is 0.
func WilsonLower(k, n uint64) float64 {
	if n == 0 {
		return 0
	}
	p := float64(k) / float64(n)
	nf := float64(n)
	z2 := wilsonZ * wilsonZ
	centre := p + z2/(2*nf)
	margin := wilsonZ * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return math.Max(0, (centre-margin)/(1+z2/nf))
}

func clamp100(x float64) float64 { return math.Max(0, math.Min(100, x)) }

// linear maps x from [lo, hi] onto [0, 100], clamped.
func linear(x, lo, hi float64) float64 { return clamp100(100 * (x - lo) / (hi - lo)) }

// PayScore scores an effective hourly wage: 100 x wage / target, capped at 100.
func PayScore(hourly, target float64) float64 { return clamp100(100 * hourly / target) }

// ApprovalScore scores approvals: 100 x the Wilson lower bound of approved over decided tasks.
func ApprovalScore(approved, rejected uint64) float64 {
	return 100 * WilsonLower(approved, approved+rejected)
}

// PromptnessScore scores the median hours from submit to approval: 100 within a day, 0 at 30 days
// (MTurk's longest auto-approval delay), linear in between.
func PromptnessScore(hours float64) float64 { return 100 - linear(hours, 24, 30*24) }

// AllottedScore scores the median ratio of time allotted to time needed: 0 at 1 (no slack), 100 from 3.
func AllottedScore(ratio float64) float64 { return linear(ratio, 1, 3) }

// ReturnsScore scores the share of tasks returned or abandoned: 100 at none, 0 from 25%.
func ReturnsScore(share float64) float64 { return 100 - linear(share, 0, 0.25) }

// ReviewsScore scores a mean review on the 1-5 scale: 1 is 0, 5 is 100.
func ReviewsScore(stars float64) float64 { return linear(stars, 1, 5) }

// Shrink pulls a score of n reporters toward the market's score, which counts as prior reporters:
// (n x own + prior x market) / (n + prior). With no own score it is the market's.
func Shrink(own *float64, n uint64, market *float64, prior float64) *float64 {
	switch {
	case own == nil && market == nil:
		return nil
	case own == nil:
		v := *market
		return &v
	case market == nil:
		v := *own
		return &v
	}
	v := (float64(n)**own + prior**market) / (float64(n) + prior)
	return &v
}
