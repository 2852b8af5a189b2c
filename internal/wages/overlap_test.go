package wages_test

import (
	"context"
	"testing"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestOverlapMerging checks merged time where only some reporters' tasks overlap, worked out by hand:
//
//	reporter P, requester Q1: p1 0-60 min, p2 10-20, p3 30-40 (nested in p1), $1.00 each
//	reporter P, requester Q2: p4 50-70 min, $2.00 (overlaps p1, but in another requester)
//	reporter T, requester Q2: t1 0:00-1:00, t2 1:00.5-2:00.5, t3 2:00.7-3:00.7, $0.10 each
//
// Q1 merges P's three tasks to 3600 s; Q2 keeps p4's 1200 s whole; the market merges p1-p4 to
// 0-70 min = 4200 s. T's tasks only meet within a second (t2 ends 2:00.5, t3 starts 2:00.7): the
// second-resolution overlap test takes T, and the exact merge must still save nothing (180 s).
func TestOverlapMerging(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	p := func(req, a, reward string, startMin float64, secs uint32) task {
		return task{req: req, reporter: "P", group: "G" + req, assignment: a, reward: reward, startMin: startMin, secs: secs, status: records.Approved}
	}
	tt := func(a string, startMin float64) task {
		return task{req: "Q2", reporter: "T", group: "GT", assignment: a, reward: "0.10", startMin: startMin, secs: 60, status: records.Approved}
	}
	insert(t, s, p("Q1", "p1", "1.00", 0, 3600), p("Q1", "p2", "1.00", 10, 600), p("Q1", "p3", "1.00", 30, 600),
		p("Q2", "p4", "2.00", 50, 1200), tt("t1", 0), tt("t2", 1+0.5/60), tt("t3", 2+0.7/60))
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(name string, f wages.Figures, records uint64, paid, secs float64) {
		t.Helper()
		eq(t, name+" records", f.Records, records)
		near(t, name+" paid", &f.Paid, paid)
		near(t, name+" effective seconds", &f.EffectiveSeconds, secs)
		near(t, name+" nominal seconds", &f.NominalSeconds, secs)
		near(t, name+" effective hourly", f.EffectiveHourly, paid/secs*3600)
		eq(t, name+" excluded", f.ExcludedReporters, 0)
	}
	q1, err := w.Requester(ctx, "Q1")
	if err != nil {
		t.Fatal(err)
	}
	check("Q1", q1.Figures, 3, 3.00, 3600)
	near(t, "Q1 task seconds", &q1.TaskSeconds, 4800)
	q2, err := w.Requester(ctx, "Q2")
	if err != nil {
		t.Fatal(err)
	}
	check("Q2", q2.Figures, 4, 2.30, 1200+180)
	gt, err := w.Group(ctx, "GT")
	if err != nil {
		t.Fatal(err)
	}
	check("group GT", gt.Figures, 3, 0.30, 180)
	m, err := w.Market(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("market", m, 7, 5.30, 4200+180)
	eq(t, "market reporters", m.Reporters, 2)
	// The live figures (no run tables) agree.
	live, err := w.MarketRange(ctx, wages.Range{})
	if err != nil {
		t.Fatal(err)
	}
	check("live market", live, 7, 5.30, 4200+180)
	week, err := w.MarketTrend(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(week) != 1 {
		t.Fatalf("market weeks = %d, want 1", len(week))
	}
	check("market week", week[0].Figures, 7, 5.30, 4200+180)
}
