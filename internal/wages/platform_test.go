package wages_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// A Prolific researcher paying in pounds, every figure worked out by hand (no task overlaps
// another of its reporter's):
//
//	A  p1  0-10 min  (600 s)  approved, £1.50 + £0.50 bonus      paid 2.00  £12.00/h
//	A  p2 20-22 min  (120 s)  screened out, paid £0.10           paid 0.10  £3.00/h (not submitted)
//	A  p3 30-35 min  (300 s)  returned                           unpaid     £0/h
//	B  p4  0-30 min (1800 s)  timed out                          unpaid     £0/h
//	B  p5 40-53:20  (800 s)   approved, £1.50                    paid 1.50  £6.75/h
//	C  p6  0-12 min  (720 s)  awaiting review, £1.50             paid 1.50  £7.50/h
var (
	prolificP1 = platform.Key(platform.Prolific, "5f00000000000000000000a1")
	prolificP2 = platform.Key(platform.Prolific, "5f00000000000000000000b2")
)

func prolificScenario() []task {
	g := "60000000000000000000aa01"
	return []task{
		{req: prolificP1, reporter: "A", group: g, assignment: "p1", reward: "1.50", bonus: "0.50", startMin: 0, secs: 600, status: records.Approved, currency: "GBP"},
		{req: prolificP1, reporter: "A", group: g, assignment: "p2", reward: "0.10", startMin: 20, secs: 120, status: records.ScreenedOut, currency: "GBP"},
		{req: prolificP1, reporter: "A", group: g, assignment: "p3", reward: "1.50", startMin: 30, secs: 300, status: records.Returned, currency: "GBP"},
		{req: prolificP1, reporter: "B", group: g, assignment: "p4", reward: "1.50", startMin: 0, secs: 1800, status: records.TimedOut, currency: "GBP"},
		{req: prolificP1, reporter: "B", group: g, assignment: "p5", reward: "1.50", startMin: 40, secs: 800, status: records.Approved, currency: "GBP"},
		{req: prolificP1, reporter: "C", group: g, assignment: "p6", reward: "1.50", startMin: 0, secs: 720, status: records.Pending, currency: "GBP"},
	}
}

func TestProlificResearcherFigures(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, prolificScenario()...)
	insert(t, s, scenario()...) // an MTurk market beside it, which must not mix in
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := w.Requester(ctx, prolificP1)
	if err != nil {
		t.Fatal(err)
	}
	f := got.Figures
	eq(t, "platform", f.Platform, "prolific")
	eq(t, "currency", f.Currency, "GBP")
	eq(t, "records", f.Records, 6)
	eq(t, "reporters", f.Reporters, 3)
	// Paid: p1 2.00 + screen-out 0.10 + p5 1.50 + p6 1.50 (expected) = £5.10 over all 4340 s worked.
	eq(t, "paid", f.Paid, 5.10)
	eq(t, "effective seconds", f.EffectiveSeconds, 4340)
	near(t, "effective hourly", f.EffectiveHourly, 5.10/4340*3600) // £4.23/h
	// Offered: the submitted tasks p1, p5, p6 (the screen-out, return and time-out were never submitted).
	eq(t, "offered", f.Offered, 4.50)
	eq(t, "nominal seconds", f.NominalSeconds, 2120)
	near(t, "nominal hourly", f.NominalHourly, 4.50/2120*3600) // £7.64/h
	// Per-task: 0 (p3), 0 (p4), 3.00, 6.75, 7.50, 12.00.
	near(t, "median", f.MedianHourly, 4.875)
	near(t, "p25", f.P25Hourly, 0.75)
	near(t, "p75", f.P75Hourly, 7.3125)
	// Prolific's floors in pounds: under £6 the screen-out, return and time-out (2220 s); under £9 also p5, p6.
	eq(t, "minimum", f.Minimum, 6.0)
	eq(t, "target", f.Target, 9.0)
	near(t, "below minimum", f.ShareBelowMinimum, 2220.0/4340)
	near(t, "below target", f.ShareBelowTarget, 3740.0/4340)
	eq(t, "approved", f.Approved, 2)
	eq(t, "pending", f.Pending, 1)
	eq(t, "returned", f.Returned, 1)
	eq(t, "screened out", f.ScreenedOut, 1)
	eq(t, "timed out", f.TimedOut, 1)

	// The platforms' markets stay apart: Prolific's is this researcher's, MTurk's unchanged.
	pm, err := w.Market(ctx, platform.Prolific)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "prolific market currency", pm.Currency, "GBP")
	eq(t, "prolific market paid", pm.Paid, 5.10)
	mm, err := w.Market(ctx, platform.MTurk)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "mturk market currency", mm.Currency, "USD")
	eq(t, "mturk market minimum", mm.Minimum, 7.25)
	eq(t, "mturk market records", mm.Records, 6) // R1's 5 and R2's d1, as without Prolific
	// A study's figures are found by platform only.
	if _, err := w.Group(ctx, platform.MTurk, "60000000000000000000aa01"); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("a Prolific study looked up as an MTurk HIT group: %v", err)
	}
	gr, err := w.Group(ctx, platform.Prolific, "60000000000000000000aa01")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "study currency", gr.Currency, "GBP")
	// Bonus owed at the £9 target on the median submitted time (720 s): £1.80 less the £1.50 reward.
	near(t, "study bonus owed", gr.BonusOwed, 0.30)

	// Live figures agree with the stored ones.
	live, err := w.RequesterRange(ctx, prolificP1, wages.Range{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "live effective hourly", live.EffectiveHourly, *f.EffectiveHourly)
	eq(t, "live currency", live.Currency, "GBP")
}

// A researcher paying mostly in dollars and once in pounds: its figures are in dollars, the
// pounds converted through the currency table (GBP 1.30 USD in the shipped table), never added as
// they are.
func TestMixedCurrencyConvertsThroughTheTable(t *testing.T) {
	ctx := context.Background()
	mixed := []task{
		{req: prolificP2, reporter: "A", group: "60000000000000000000bb01", assignment: "u1", reward: "2.00", startMin: 0, secs: 600, status: records.Approved, currency: "USD"},
		{req: prolificP2, reporter: "B", group: "60000000000000000000bb01", assignment: "u2", reward: "2.00", startMin: 0, secs: 600, status: records.Approved, currency: "USD"},
		{req: prolificP2, reporter: "C", group: "60000000000000000000bb02", assignment: "g1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved, currency: "GBP"},
	}
	for _, c := range []struct {
		name  string
		rates string
		paid  float64
	}{
		{"shipped table", "", 5.30},
		{"operator's table", "version,currency,usd_per_unit\nop-1,USD,1\nop-1,GBP,1.25\n", 5.25},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := newWages(t)
			cfg := wages.Config{}
			if c.rates != "" {
				r, err := platform.ParseRates(strings.NewReader(c.rates), "op.csv")
				if err != nil {
					t.Fatal(err)
				}
				cfg.Rates = r
			}
			w := wages.New(s, cfg)
			insert(t, s, mixed...)
			if err := w.Recompute(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := w.Requester(ctx, prolificP2)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "currency", got.Currency, "USD")
			eq(t, "paid", got.Paid, c.paid)
			near(t, "effective hourly", got.EffectiveHourly, c.paid/1800*3600)
			eq(t, "minimum", got.Minimum, 8.0) // Prolific's dollar floor
			eq(t, "target", got.Target, 12.0)
			// Its study paid in pounds alone is shown in the researcher's dollars too.
			g, err := w.Group(ctx, platform.Prolific, "60000000000000000000bb02")
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "study currency", g.Currency, "USD")
			near(t, "study paid", ptr(g.Paid), c.paid-4)
			// The live figures convert the same way.
			live, err := w.RequesterRange(ctx, prolificP2, wages.Range{})
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "live paid", live.Paid, c.paid)
		})
	}
}

// One reporter re-sending a record in dollars ten times cannot move a researcher whose three
// reporters are paid in pounds into dollars (and so onto Prolific's dollar floor): the currency is
// the one most reporters name, not most rows.
func TestOneReporterCannotMoveTheCurrency(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, prolificScenario()...)
	for i := 0; i < 10; i++ {
		insert(t, s, task{req: prolificP1, reporter: "Z", group: "60000000000000000000aa01", assignment: "z1", reward: "1.50",
			startMin: 100, secs: 600, status: records.Approved, currency: "USD", received: time.Duration(i+1) * time.Minute})
	}
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := w.Requester(ctx, prolificP1)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "currency", got.Currency, "GBP")
	eq(t, "minimum", got.Minimum, 6.0)
}

// When an update moves a requester into another currency (more of its reporters now name it), the
// requester is listed once, in the new currency, before the next full recompute drops the old row.
func TestCurrencyChangeListsOneRow(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	g := "60000000000000000000cc01"
	insert(t, s, task{req: prolificP2, reporter: "A", group: g, assignment: "c1", reward: "1.00", secs: 600, status: records.Approved, currency: "GBP"})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	insert(t, s,
		task{req: prolificP2, reporter: "B", group: g, assignment: "c2", reward: "2.00", secs: 600, status: records.Approved, currency: "USD"},
		task{req: prolificP2, reporter: "C", group: g, assignment: "c3", reward: "2.00", secs: 600, status: records.Approved, currency: "USD"})
	if _, err := w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := w.Requesters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var mine []wages.RequesterFigures
	for _, r := range all {
		if r.RequesterID == prolificP2 {
			mine = append(mine, r)
		}
	}
	if len(mine) != 1 || mine[0].Currency != "USD" || mine[0].Records != 3 {
		t.Errorf("rows of the requester: %+v, want one in USD over 3 records", mine)
	}
}
