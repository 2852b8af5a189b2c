package wages_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
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
//
//	reporter E, requester Q3: e1 1969-12-31 23:59:59 - 1970-01-01 00:00:01, e2 00:00:00.5 - 00:00:01.5, $0.10 each
//
// E's tasks overlap across the Unix epoch: merged 2.5 s (times before 1970 are refused at ingest,
// but the computation must not depend on it).
//
// Both ways a recompute runs: with run tables (embedded store) and without (ClickHouse server).
func TestOverlapMerging(t *testing.T) {
	for _, mode := range []string{"run tables", "without run tables"} {
		t.Run(mode, func(t *testing.T) {
			s, w := newWages(t)
			if mode == "without run tables" {
				wages.WithoutRunTables(w)
			}
			testOverlapMerging(t, s, w)
		})
	}
}

func testOverlapMerging(t *testing.T, s *store.Store, w *wages.Wages) {
	ctx := context.Background()
	p := func(req, a, reward string, startMin float64, secs uint32) task {
		return task{req: req, reporter: "P", group: "G" + req, assignment: a, reward: reward, startMin: startMin, secs: secs, status: records.Approved}
	}
	tt := func(a string, startMin float64) task {
		return task{req: "Q2", reporter: "T", group: "GT", assignment: a, reward: "0.10", startMin: startMin, secs: 60, status: records.Approved}
	}
	insert(t, s, p("Q1", "p1", "1.00", 0, 3600), p("Q1", "p2", "1.00", 10, 600), p("Q1", "p3", "1.00", 30, 600),
		p("Q2", "p4", "2.00", 50, 1200), tt("t1", 0), tt("t2", 1+0.5/60), tt("t3", 2+0.7/60))
	epoch := func(a string, finishMs, ms int64) records.Record {
		fin := time.UnixMilli(finishMs).UTC()
		acc := fin.Add(-time.Duration(ms) * time.Millisecond)
		return records.Record{RequesterID: "Q3", Reporter: "E", HitSetID: "GE", AssignmentID: a, RequesterName: "Name of Q3",
			Title: "Title of GE", Reward: decimal.RequireFromString("0.10"), AcceptedAt: &acc, FinishedAt: &fin,
			DurationSeconds: uint32(ms / 1000), Status: records.Approved, AllottedSeconds: 3600, Source: "test", ReceivedAt: base}
	}
	if err := records.Insert(ctx, s, []records.Record{epoch("e1", 1000, 2000), epoch("e2", 1500, 1000)}); err != nil {
		t.Fatal(err)
	}
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
	gt, err := w.Group(ctx, platform.MTurk, "GT")
	if err != nil {
		t.Fatal(err)
	}
	check("group GT", gt.Figures, 3, 0.30, 180)
	m, err := w.Market(ctx, platform.MTurk)
	if err != nil {
		t.Fatal(err)
	}
	check("market", m, 9, 5.50, 4200+180+2.5)
	eq(t, "market reporters", m.Reporters, 3)
	q3, err := w.Requester(ctx, "Q3")
	if err != nil {
		t.Fatal(err)
	}
	check("Q3", q3.Figures, 2, 0.20, 2.5)
	// The live figures agree.
	live, err := first(w.MarketRange(ctx, platform.MTurk, wages.Range{}))
	if err != nil {
		t.Fatal(err)
	}
	check("live market", live, 9, 5.50, 4200+180+2.5)
	weeks, err := w.MarketTrend(ctx, platform.MTurk)
	if err != nil {
		t.Fatal(err)
	}
	if len(weeks) != 2 { // weeks go by finish time: E's both finish on 1970-01-01
		t.Fatalf("market weeks = %d, want 2: %+v", len(weeks), weeks)
	}
	check("market week 1970", weeks[0].Figures, 2, 0.20, 2.5)
	check("market week 2026-11-16", weeks[1].Figures, 7, 5.30, 4200+180)
}

// TestImpossibleOverlapOverWholeTime: the impossible-overlap test weighs a reporter's whole time in a
// scope, not only its overlapping tasks (which a run folds alone):
//
//	reporter X, requester QX: 40 tasks 0:00-0:01 (the same minute) and 5 tasks of 5 minutes at 0:10,
//	0:20, ... 0:50, $0.10 each: task time 2400 + 1500 = 3900 s over merged 60 + 1500 = 1560 s, 2.5x: counted
//	reporter Y, requester QX: 40 tasks 0:00-0:01: 2400 s over 60 s, 40x (over 30x): left out
//
// Counted: X's 45 records, $4.50 over 1560 s; the market likewise (X and Y work only for QX).
func TestImpossibleOverlapOverWholeTime(t *testing.T) {
	var tasks []task
	for i := range 40 {
		for _, rep := range []string{"X", "Y"} {
			tasks = append(tasks, task{req: "QX", reporter: rep, group: "GX", assignment: fmt.Sprintf("%s%d", rep, i),
				reward: "0.10", startMin: 0, secs: 60, status: records.Approved})
		}
	}
	for i := range 5 {
		tasks = append(tasks, task{req: "QX", reporter: "X", group: "GX", assignment: fmt.Sprintf("X5%d", i),
			reward: "0.10", startMin: float64(10 + 10*i), secs: 300, status: records.Approved})
	}
	for _, mode := range []string{"run tables", "without run tables"} {
		t.Run(mode, func(t *testing.T) {
			s, w := newWages(t)
			if mode == "without run tables" {
				wages.WithoutRunTables(w)
			}
			insert(t, s, tasks...)
			if err := w.Recompute(context.Background()); err != nil {
				t.Fatal(err)
			}
			r, err := w.Requester(context.Background(), "QX")
			if err != nil {
				t.Fatal(err)
			}
			m, err := w.Market(context.Background(), platform.MTurk)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []wages.Figures{r.Figures, m} {
				eq(t, "records", f.Records, 45)
				eq(t, "reporters", f.Reporters, 1)
				eq(t, "excluded", f.ExcludedReporters, 1)
				near(t, "effective seconds", &f.EffectiveSeconds, 1560)
				near(t, "effective", f.EffectiveHourly, 4.50/1560*3600)
			}
		})
	}
}
