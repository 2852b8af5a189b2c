package wages_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// scenario is a small market whose every figure is worked out by hand in the tests below.
//
// Requester R1, reporter A (group G1, reward $1.00, allotted 3600 s):
//
//	a1 10:00-10:10 (600 s) approved, decided 1 h after submit; first reported as pending
//	a2 10:05-10:15 (600 s) approved + $0.50 bonus, decided 2 h after; overlaps a1: merged 10:00-10:15 = 900 s
//	a3 11:00-11:05 (300 s) rejected, decided 30 min after
//	a4 12:00-12:10 (600 s) returned
//
// Requester R1, reporter B (group G2, reward $2.00): b1 10:00-10:30 (1800 s) pending.
// Flagged, left out: A's 0-second task and B's 25-hour task.
// Requester R2: reporter D one approved 300 s task paying $0.50 (group G3); reporter C reports 40 copies
// of the same 10-minute interval (task time 24000 s over 600 s merged: 40-fold overlap > 30): excluded.
func scenario() []task {
	ts := []task{
		{req: "R1", reporter: "A", group: "G1", assignment: "a1", reward: "1.00", startMin: 0, secs: 600, status: records.Pending, received: time.Second},
		{req: "R1", reporter: "A", group: "G1", assignment: "a1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved, decidedAfter: time.Hour, received: 2 * time.Hour},
		{req: "R1", reporter: "A", group: "G1", assignment: "a2", reward: "1.00", bonus: "0.50", startMin: 5, secs: 600, status: records.Approved, decidedAfter: 2 * time.Hour},
		{req: "R1", reporter: "A", group: "G1", assignment: "a3", reward: "1.00", startMin: 60, secs: 300, status: records.Rejected, decidedAfter: 30 * time.Minute},
		{req: "R1", reporter: "A", group: "G1", assignment: "a4", reward: "1.00", startMin: 120, secs: 600, status: records.Returned},
		{req: "R1", reporter: "B", group: "G2", assignment: "b1", reward: "2.00", startMin: 0, secs: 1800, status: records.Pending},
		{req: "R1", reporter: "A", group: "G1", assignment: "x1", reward: "1.00", startMin: 300, secs: 0, status: records.Approved},
		{req: "R1", reporter: "B", group: "G2", assignment: "x2", reward: "2.00", startMin: 300, secs: 90000, allotted: 100000, status: records.Approved},
		{req: "R2", reporter: "D", group: "G3", assignment: "d1", reward: "0.50", startMin: 0, secs: 300, status: records.Approved},
	}
	for i := 0; i < 40; i++ {
		ts = append(ts, task{req: "R2", reporter: "C", group: "G3", assignment: fmt.Sprintf("c%d", i), reward: "0.50",
			startMin: 0, secs: 600, status: records.Approved})
	}
	return ts
}

func TestRequesterFigures(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, scenario()...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	f := got.Figures
	eq(t, "name", got.RequesterName, "Name of R1")
	eq(t, "records", f.Records, 5) // a1 once, a2, a3, a4, b1; the two flagged left out
	eq(t, "reporters", f.Reporters, 2)
	// Effective: paid a1 1.00 + a2 1.50 + b1 2.00 = 4.50 over merged time A 900+300+600, B 1800 = 3600 s.
	eq(t, "paid", f.Paid, 4.50)
	eq(t, "effective seconds", f.EffectiveSeconds, 3600)
	near(t, "effective hourly", f.EffectiveHourly, 4.50)
	// Nominal: rewards of submitted tasks a1, a2, a3, b1 = 5.00 over A 900+300, B 1800 = 3000 s (returned a4 left out).
	eq(t, "offered", f.Offered, 5.00)
	eq(t, "nominal seconds", f.NominalSeconds, 3000)
	near(t, "nominal hourly", f.NominalHourly, 6.00)
	// Per-task wages: a1 6.00, a2 9.00, a3 0, a4 0, b1 4.00 -> sorted 0 0 4 6 9.
	near(t, "median", f.MedianHourly, 4.00)
	near(t, "p25", f.P25Hourly, 0)
	near(t, "p75", f.P75Hourly, 6.00)
	near(t, "trimmed mean", f.TrimmedMeanHourly, 3.80) // 5 tasks: 10% trims floor(0.5)=0 per end
	// Time under $7.25: a1 600 + a3 300 + a4 600 + b1 1800 = 3300 of 3900 s.
	near(t, "below minimum", f.ShareBelowMinimum, 3300.0/3900)
	near(t, "below target", f.ShareBelowTarget, 1)
	eq(t, "approved", f.Approved, 2)
	eq(t, "rejected", f.Rejected, 1)
	eq(t, "pending", f.Pending, 1)
	eq(t, "returned", f.Returned, 1)
	eq(t, "abandoned", f.Abandoned, 0)
	eq(t, "submitted", f.Submitted, 0)
	near(t, "median decision", f.MedianDecisionSeconds, 3600) // 1800, 3600, 7200
	near(t, "median approval", f.MedianApprovalSeconds, 5400) // 3600, 7200
	near(t, "median task", f.MedianTaskSeconds, 600)          // 300 600 600 1800
	near(t, "target", &f.Target, 15)
}

func TestGroupsAndBonusOwed(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, scenario()...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	gs, err := w.Groups(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 {
		t.Fatalf("groups = %d, want 2", len(gs))
	}
	g1, g2 := gs[0], gs[1] // most records first
	eq(t, "g1 id", g1.HitSetID, "G1")
	eq(t, "g1 title", g1.Title, "Title of G1")
	eq(t, "g1 records", g1.Records, 4)
	eq(t, "g1 reward", g1.Reward, 1.00)
	eq(t, "g1 allotted", g1.AllottedSeconds, 3600)
	near(t, "g1 median task", g1.MedianTaskSeconds, 600) // submitted: 300 600 600
	near(t, "g1 effective", g1.EffectiveHourly, 2.50/1800*3600)
	// Bonus owed: $15/h x 600 s = $2.50 per task, minus the $1.00 reward.
	near(t, "g1 bonus owed", g1.BonusOwed, 1.50)
	eq(t, "g2 id", g2.HitSetID, "G2")
	near(t, "g2 bonus owed", g2.BonusOwed, 5.50) // $15/h x 1800 s = $7.50 - $2.00
	one, err := w.Group(ctx, platform.MTurk, "G2")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "group lookup", one.Records, 1)
	if _, err := w.Group(ctx, platform.MTurk, "nope"); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("unknown group: err = %v, want ErrNotFound", err)
	}
}

func TestImpossibleOverlapExcluded(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, scenario()...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	r2, err := w.Requester(ctx, "R2")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "records", r2.Records, 1)
	eq(t, "reporters", r2.Reporters, 1)
	eq(t, "excluded", r2.ExcludedReporters, 1)
	near(t, "effective", r2.EffectiveHourly, 6.00) // $0.50 over 300 s
	// The market merges each reporter's intervals across requesters: A 1800, B 1800, D 300 s.
	m, err := w.Market(ctx, platform.MTurk)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "market records", m.Records, 6)
	eq(t, "market reporters", m.Reporters, 3)
	near(t, "market effective", m.EffectiveHourly, 5.00/3900*3600)
}

func TestReporterAndRanges(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, scenario()...)
	// Live figures need no Recompute.
	a, err := first(w.ReporterVia(ctx, "A", "", wages.Range{}))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "A records", a.Records, 4)
	near(t, "A effective", a.EffectiveHourly, 2.50/1800*3600)
	near(t, "A nominal", a.NominalHourly, 3.00/1200*3600)
	if _, err := first(w.ReporterVia(ctx, "nobody", "", wages.Range{})); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("unknown reporter: err = %v", err)
	}
	// The hour from 10:00 holds a1, a2 (finish 10:10, 10:15) and b1 (finish 10:30).
	r, err := w.RequesterRange(ctx, "R1", wages.Range{From: base, To: base.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "hour records", r.Records, 3)
	near(t, "hour effective", r.EffectiveHourly, 4.50/2700*3600)
	wk, err := first(w.MarketRange(ctx, platform.MTurk, wages.Week(base.Add(50*time.Hour))))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "week records", wk.Records, 6)
	if _, err := first(w.MarketRange(ctx, platform.MTurk, wages.Week(base.AddDate(0, 0, 7)))); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("empty week: err = %v, want ErrNotFound", err)
	}
}
