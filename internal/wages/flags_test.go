package wages_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestAntiGamingRules checks each record-level rule on one requester: only the clean record counts.
func TestAntiGamingRules(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s,
		task{req: "R", reporter: "A", group: "G", assignment: "ok", reward: "0.50", startMin: 0, secs: 120, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "zero", reward: "0.50", startMin: 10, secs: 0, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "day", reward: "0.50", startMin: 20, secs: 86401, allotted: 200000, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "allot", reward: "0.50", startMin: 30, secs: 601, allotted: 300, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "neg", reward: "-0.50", startMin: 40, secs: 60, status: records.Approved},
		// Exactly at the limits: counted.
		task{req: "R", reporter: "B", group: "G", assignment: "edge", reward: "0.50", startMin: 0, secs: 600, allotted: 300, status: records.Approved},
	)
	got, err := w.Flagged(ctx, "R")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{wages.FlagNoTime: 1, wages.FlagOverDay: 1, wages.FlagOverAllotted: 1, wages.FlagNegativeMoney: 1}
	if len(got) != len(want) {
		t.Errorf("flagged = %v, want %v", got, want)
	}
	for k, v := range want {
		eq(t, "flag "+k, got[k], v)
	}
	f, err := w.RequesterRange(ctx, "R", wages.Range{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "records", f.Records, 2)
	near(t, "effective", f.EffectiveHourly, 1.00/720*3600) // $1.00 over 120 s + 600 s
}

// TestFlaggedNewestVersion: an update's filtered copy of the records (read with PREWHERE under
// FINAL) judges a re-reported task by its newest version: flagged now, it leaves the figures;
// clean now, it joins them. Merges are stopped so both versions stay in separate parts.
func TestFlaggedNewestVersion(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	if err := s.Exec(ctx, "SYSTEM STOP MERGES task_records", nil); err != nil {
		t.Fatal(err)
	}
	insert(t, s,
		task{req: "R", reporter: "A", group: "G", assignment: "a", reward: "0.50", startMin: 0, secs: 120, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "b", reward: "0.50", startMin: 10, secs: 0, status: records.Approved},
		task{req: "R", reporter: "B", group: "G", assignment: "c", reward: "0.50", startMin: 0, secs: 120, status: records.Approved},
	)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	counted := func(want uint64, paid float64) {
		t.Helper()
		f, err := w.Requester(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "records", f.Records, want)
		eq(t, "paid", f.Paid, paid)
	}
	counted(2, 1.00) // a and c; b has no time
	// a is reported again without a time (flagged), b again with one (clean).
	insert(t, s,
		task{req: "R", reporter: "A", group: "G", assignment: "a", reward: "0.50", startMin: 0, secs: 0, status: records.Approved, received: time.Hour},
		task{req: "R", reporter: "A", group: "G", assignment: "b", reward: "0.75", startMin: 10, secs: 120, status: records.Approved, received: time.Hour},
	)
	var parts uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'task_records' AND active",
		nil, &parts); err != nil || parts < 2 {
		t.Fatalf("task_records in %d active parts (%v); the test needs the versions apart", parts, err)
	}
	if n, err := w.Update(ctx); err != nil || n != 1 {
		t.Fatalf("update = %d, %v; want 1 requester", n, err)
	}
	counted(2, 1.25) // b and c
}

// TestAllFlaggedVanishes: a requester whose only record is re-reported flagged (no time) has no
// figures after the next Recompute, instead of keeping its old ones; its HIT group goes too.
func TestAllFlaggedVanishes(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s,
		task{req: "R", reporter: "A", group: "G", assignment: "a", reward: "0.50", startMin: 0, secs: 120, status: records.Approved},
		task{req: "Q", reporter: "A", group: "H", assignment: "q", reward: "0.50", startMin: 10, secs: 120, status: records.Approved},
	)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Requester(ctx, "R"); err != nil {
		t.Fatal(err)
	}
	insert(t, s, task{req: "R", reporter: "A", group: "G", assignment: "a", reward: "0.50", startMin: 0, secs: 0,
		status: records.Approved, received: time.Hour})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if f, err := w.Requester(ctx, "R"); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("R after its only record was flagged = %+v, %v; want not found", f, err)
	}
	if g, err := w.Group(ctx, platform.MTurk, "G"); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("group G = %+v, %v; want not found", g, err)
	}
	all, err := w.Requesters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].RequesterID != "Q" {
		t.Errorf("requesters = %+v; want Q alone", all)
	}
}
