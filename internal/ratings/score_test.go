package ratings

import (
	"math"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/wages"
)

func approx(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 0.0005 {
		t.Errorf("%s = %.5f, want %.5f", name, got, want)
	}
}

func TestWilsonLower(t *testing.T) {
	// Worked by hand: 3/3 -> 1 / (1 + 1.96^2/3) = 0.43849; 970/1000 -> 0.95750.
	approx(t, "3/3", WilsonLower(3, 3), 0.43849)
	approx(t, "970/1000", WilsonLower(970, 1000), 0.95750)
	approx(t, "0/0", WilsonLower(0, 0), 0)
	if !(ApprovalScore(3, 0) < ApprovalScore(970, 30)) {
		t.Error("3 of 3 scores above 970 of 1000")
	}
	if !(ApprovalScore(30, 0) > ApprovalScore(3, 0)) {
		t.Error("30 of 30 does not beat 3 of 3")
	}
}

func TestComponentScores(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"pay at target", PayScore(15, 15), 100},
		{"pay above target capped", PayScore(30, 15), 100},
		{"pay at minimum", PayScore(7.25, 15), 48.3333},
		{"pay zero", PayScore(0, 15), 0},
		{"promptness within a day", PromptnessScore(10), 100},
		{"promptness 30 days", PromptnessScore(720), 0},
		{"promptness midway", PromptnessScore(372), 50},
		{"allotted no slack", AllottedScore(1), 0},
		{"allotted double", AllottedScore(2), 50},
		{"allotted triple", AllottedScore(5), 100},
		{"returns none", ReturnsScore(0), 100},
		{"returns 10%", ReturnsScore(0.10), 60},
		{"returns 40%", ReturnsScore(0.40), 0},
		{"reviews 1", ReviewsScore(1), 0},
		{"reviews 4", ReviewsScore(4), 75},
	} {
		approx(t, c.name, c.got, c.want)
	}
}

func TestGradeAndShrink(t *testing.T) {
	for score, want := range map[float64]string{100: "A", 80: "A", 79.9: "B", 65: "B", 50: "C", 35: "D", 34.9: "F", 0: "F"} {
		if g := Grade(score); g != want {
			t.Errorf("Grade(%v) = %s, want %s", score, g, want)
		}
	}
	approx(t, "5 reporters, prior 5", *Shrink(some(40), 5, some(80), 5), 60)
	approx(t, "no own data", *Shrink(nil, 0, some(80), 5), 80)
	approx(t, "many reporters", *Shrink(some(40), 995, some(80), 5), 40.2)
	if Shrink(nil, 0, nil, 5) != nil {
		t.Error("no data at all gives a score")
	}
}

// TestRate checks a whole rating worked out by hand, with default weights and prior 5.
func TestRate(t *testing.T) {
	cfg := Config{}.withDefaults()
	market := raws(&wages.Figures{Records: 1000, Reporters: 100, EffectiveHourly: some(10), Approved: 900, Rejected: 100,
		MedianApprovalSeconds: some(72 * 3600), MedianAllottedRatio: some(2), Returned: 50}, &reviewAgg{count: 10,
		pay: some(3), fairness: some(3), communication: some(3), promptness: some(3)}, cfg.Target)
	f := &wages.Figures{Records: 10, Reporters: 5, EffectiveHourly: some(15), NominalHourly: some(16),
		ShareBelowMinimum: some(0.1), ShareBelowTarget: some(0.5), Approved: 10, Rejected: 0,
		MedianApprovalSeconds: some(3600), MedianAllottedRatio: some(3), Returned: 1}
	r := rate(cfg, "R", "Name", f, nil, market, cfg.Target)
	if !r.EnoughData || r.Score == nil {
		t.Fatalf("rating = %+v, want a score", r)
	}
	m := func(name string) Component {
		c, ok := r.Component(name)
		if !ok {
			t.Fatalf("no %s component", name)
		}
		return c
	}
	// pay: own 100, market 66.667 -> (5x100 + 5x66.667)/10 = 83.333
	approx(t, "pay", *m(Pay).Score, 83.3333)
	approx(t, "pay raw", *m(Pay).Raw, 15)
	// approval: own 100 x Wilson(10/10) = 72.2460, market 100 x Wilson(900/1000) = 88.0013
	approx(t, "approval own", *m(Approval).OwnScore, 100*WilsonLower(10, 10))
	approx(t, "approval", *m(Approval).Score, (5*100*WilsonLower(10, 10)+5*100*WilsonLower(900, 1000))/10)
	// promptness: own 100 (1 h), market 100 - 100 x 48/696 = 93.1034 -> 96.5517
	approx(t, "promptness", *m(Promptness).Score, 96.5517)
	// allotted: own 100, market 50 -> 75
	approx(t, "allotted", *m(Allotted).Score, 75)
	// returns: own 1/10 -> 60, market 5% -> 80 -> 70
	approx(t, "returns", *m(Returns).Score, 70)
	// reviews: none of its own: the market's 3 stars -> 50
	approx(t, "reviews", *m(Reviews).Score, 50)
	if m(Reviews).OwnScore != nil {
		t.Error("reviews own score without reviews")
	}
	want := (0.35*83.3333 + 0.20*(5*100*WilsonLower(10, 10)+5*100*WilsonLower(900, 1000))/10 + 0.10*96.5517 +
		0.10*75 + 0.10*70 + 0.15*50) / 1.0
	approx(t, "score", *r.Score, want)
	if r.Grade != Grade(want) {
		t.Errorf("grade = %s, want %s", r.Grade, Grade(want))
	}
	if e := m(Pay).Explanation; !strings.Contains(e, "$15.00/h effective") || !strings.Contains(e, "10% of work time below the $7.25 floor") ||
		!strings.Contains(e, "10 reports from 5 workers") {
		t.Errorf("pay explanation = %q", e)
	}
	if e := m(Approval).Explanation; !strings.Contains(e, "Approved 10 of 10") {
		t.Errorf("approval explanation = %q", e)
	}
	if e := m(Reviews).Explanation; !strings.Contains(e, "market's score of 50") {
		t.Errorf("reviews explanation = %q", e)
	}

	// Below the threshold of distinct reporters: no score, no grade, components still shown.
	f.Reporters = 4
	r = rate(cfg, "R", "Name", f, nil, market, cfg.Target)
	if r.EnoughData || r.Score != nil || r.Grade != "" || len(r.Components) != 6 {
		t.Errorf("4 reporters: enough=%v score=%v grade=%q", r.EnoughData, r.Score, r.Grade)
	}
}

// TestPayComponentMonotone is a property test: for a fixed reporter count and market, a higher
// effective wage never gives a lower pay component.
func TestPayComponentMonotone(t *testing.T) {
	cfg := Config{}.withDefaults()
	market := raws(&wages.Figures{Records: 10, Reporters: 10, EffectiveHourly: some(9)}, nil, cfg.Target)
	for n := uint64(0); n < 50; n += 7 {
		prev := -1.0
		for h := 0.0; h < 40; h += 0.37 {
			r := rate(cfg, "R", "", &wages.Figures{Records: 1 + n, Reporters: n, EffectiveHourly: some(h)}, nil, market, cfg.Target)
			c, _ := r.Component(Pay)
			if *c.Score < prev-1e-9 {
				t.Fatalf("n=%d: pay score fell from %.4f to %.4f at $%.2f/h", n, prev, *c.Score, h)
			}
			prev = *c.Score
		}
	}
}

// TestPayGatesTheGrade: a requester paying $0.98/h with every other component at its best (the
// issue's example got a C, 59) is graded F; one under the floor but above half of it at most D; one
// at the floor is not capped. The market around it pays well, so only the gate can explain the grade.
func TestPayGatesTheGrade(t *testing.T) {
	cfg := Config{}.withDefaults()
	market := raws(&wages.Figures{Records: 1000, Reporters: 100, EffectiveHourly: some(20), Approved: 990, Rejected: 10,
		MedianApprovalSeconds: some(3600), MedianAllottedRatio: some(3)}, &reviewAgg{count: 10,
		pay: some(5), fairness: some(5), communication: some(5), promptness: some(5)}, cfg.Target)
	for _, c := range []struct {
		hourly    float64
		grade     string
		gated     bool
		wantScore float64 // the cap, when gated
	}{
		{0.98, "F", true, GateUnderHalf},
		{3.60, "F", true, GateUnderHalf},
		{5.00, "D", true, GateUnderFloor},
		{7.25, "", false, 0},
	} {
		f := &wages.Figures{Records: 200, Reporters: 50, EffectiveHourly: some(c.hourly), Minimum: 7.25, Target: 15,
			Approved: 200, MedianApprovalSeconds: some(600), MedianAllottedRatio: some(4)}
		r := rate(cfg, "AREQUESTER00001", "Prompt Lab", f, &reviewAgg{count: 5, pay: some(5), fairness: some(5),
			communication: some(5), promptness: some(5)}, market, 15)
		if !r.EnoughData || r.Score == nil {
			t.Fatalf("$%.2f/h: no score: %+v", c.hourly, r)
		}
		if c.gated {
			if r.Grade != c.grade || *r.Score != c.wantScore || !strings.Contains(r.Gate, "floor") {
				t.Errorf("$%.2f/h: grade %s, score %.1f, gate %q; want %s at %.1f with the reason", c.hourly, r.Grade, *r.Score, r.Gate, c.grade, c.wantScore)
			}
			continue
		}
		if r.Gate != "" || r.Grade == "F" || r.Grade == "D" {
			t.Errorf("$%.2f/h (at the floor): grade %s, gate %q; want no cap", c.hourly, r.Grade, r.Gate)
		}
	}
}

// A researcher paying in pounds has its pay component in pounds: unit, explanation and floor.
func TestPayComponentInItsCurrency(t *testing.T) {
	cfg := Config{}.withDefaults()
	f := &wages.Figures{Platform: "prolific", Currency: "GBP", Records: 50, Reporters: 10, EffectiveHourly: some(7.5),
		NominalHourly: some(8), ShareBelowMinimum: some(0.2), ShareBelowTarget: some(0.6), Minimum: 6, Target: 9}
	r := rate(cfg, "prolific:5f00000000000000000000a1", "Lab", f, nil, raws(f, nil, 9), 9)
	c, _ := r.Component(Pay)
	if c.Unit != "gbp_per_hour" || !strings.Contains(c.Explanation, "£7.50/h effective") || !strings.Contains(c.Explanation, "£6.00 floor") {
		t.Errorf("pay component: unit %q, %q", c.Unit, c.Explanation)
	}
	if r.Platform != "prolific" || r.Currency != "GBP" {
		t.Errorf("rating platform %q currency %q", r.Platform, r.Currency)
	}
}
