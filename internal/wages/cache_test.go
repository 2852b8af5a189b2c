package wages_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestUpdateFromCache: an update reads its requesters' records from the records cache of the last
// Recompute and from the parts written since. Its figures must be those computed from every part of
// the table, whatever arrived meanwhile: newer versions, newer flagged versions, older versions
// written later (of a record the cache holds, and of one whose newest version is flagged), new
// records and requesters, and parts merged across the cache's mark.
func TestUpdateFromCache(t *testing.T) {
	s, w := newWages(t)
	ctx := context.Background()
	insert(t, s,
		task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.50", startMin: 0, secs: 600, status: records.Pending},
		task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "0.50", startMin: 5, secs: 600, status: records.Approved, decidedAfter: time.Hour},
		task{req: "R1", reporter: "b", group: "G2", assignment: "A3", reward: "1.00", startMin: 0, secs: 300, status: records.Approved},
		task{req: "R2", reporter: "b", group: "G3", assignment: "A4", reward: "0.20", startMin: 30, secs: 90, status: records.Approved},
		task{req: "R2", reporter: "c", group: "G3", assignment: "A5", reward: "0.20", startMin: 40, secs: 120, status: records.Pending},
		task{req: "R3", reporter: "c", group: "G4", assignment: "A6", reward: "2.00", startMin: 60, secs: 1200, status: records.Approved},
		// A7's newest version is flagged (longer than a day): no figure counts A7.
		task{req: "R3", reporter: "d", group: "G4", assignment: "A7", reward: "2.00", startMin: 0, secs: 90_000, allotted: 100_000, status: records.Approved, received: 2 * time.Hour},
	)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	ref := wages.New(s, wages.Config{NoRecordCache: true})
	check := func(step string, copies int64) map[string]wages.RequesterFigures {
		t.Helper()
		if _, err := w.Update(ctx); err != nil {
			t.Fatal(err)
		}
		if got := wages.CacheCopies(w); got != copies {
			t.Fatalf("%s: %d updates read the records cache, want %d", step, got, copies)
		}
		cached := snapshotFigures(t, w)
		var ids []string
		for _, r := range cached.Requesters {
			ids = append(ids, r.RequesterID)
		}
		if err := ref.RecomputeRequesters(ctx, ids); err != nil {
			t.Fatal(err)
		}
		if wages.CacheCopies(ref) != 0 {
			t.Fatalf("%s: the reference read a records cache", step)
		}
		if full := snapshotFigures(t, ref); !reflect.DeepEqual(cached, full) {
			t.Errorf("%s: figures from the cache differ from those of every record:\ncache %+v\nfull  %+v", step, cached, full)
		}
		byID := map[string]wages.RequesterFigures{}
		for _, r := range cached.Requesters {
			byID[r.RequesterID] = r
		}
		return byID
	}

	insert(t, s,
		// A newer version: A1 rejected.
		task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.50", startMin: 0, secs: 600, status: records.Rejected, decidedAfter: time.Hour, received: 3 * time.Hour},
		task{req: "R1", reporter: "b", group: "G2", assignment: "A8", reward: "1.00", startMin: 20, secs: 300, status: records.Approved},
		// A newer, flagged version removes A5.
		task{req: "R2", reporter: "c", group: "G3", assignment: "A5", reward: "0.20", startMin: 40, secs: 90_000, allotted: 100_000, status: records.Pending, received: 3 * time.Hour},
		// Older versions written later: the cache's A6 and the flagged A7 stay as they are.
		task{req: "R3", reporter: "c", group: "G4", assignment: "A6", reward: "9.00", startMin: 60, secs: 1200, status: records.Approved, received: 30 * time.Second},
		task{req: "R3", reporter: "d", group: "G4", assignment: "A7", reward: "2.00", startMin: 0, secs: 1200, status: records.Approved, received: 30 * time.Second},
		task{req: "R4", reporter: "e", group: "G5", assignment: "A9", reward: "0.75", startMin: 0, secs: 450, status: records.Submitted},
	)
	got := check("new versions", 1)
	if r := got["R1"]; r.Records != 4 || r.Rejected != 1 || r.Approved != 3 {
		t.Errorf("R1: %d records, %d rejected, %d approved; want 4, 1, 3", r.Records, r.Rejected, r.Approved)
	}
	if r := got["R2"]; r.Records != 1 {
		t.Errorf("R2: %d records, want 1 (A5's newest version is flagged)", r.Records)
	}
	if r := got["R3"]; r.Records != 1 || r.Paid != 2 {
		t.Errorf("R3: %d records paying $%.2f, want 1 paying $2.00 (A6 as cached, A7 flagged)", r.Records, r.Paid)
	}
	if r := got["R4"]; r.Records != 1 {
		t.Errorf("R4: %d records, want 1", r.Records)
	}

	// One part of every block, on both sides of the cache's mark.
	insert(t, s, task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "0.50", startMin: 5, secs: 600, status: records.Rejected, decidedAfter: time.Hour, received: 4 * time.Hour})
	if err := s.Exec(ctx, "OPTIMIZE TABLE task_records FINAL", nil); err != nil {
		t.Fatal(err)
	}
	got = check("parts merged", 2)
	if r := got["R1"]; r.Records != 4 || r.Rejected != 2 {
		t.Errorf("R1 after merging: %d records, %d rejected; want 4, 2", r.Records, r.Rejected)
	}
}

type figuresSnapshot struct {
	Requesters []wages.RequesterFigures
	Groups     []wages.Group
}

// snapshotFigures reads every requester's and HIT group's precomputed figures, without their times.
func snapshotFigures(t *testing.T, w *wages.Wages) figuresSnapshot {
	t.Helper()
	ctx := context.Background()
	var sn figuresSnapshot
	var err error
	if sn.Requesters, err = w.Requesters(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range sn.Requesters {
		sn.Requesters[i].ComputedAt = time.Time{}
		gs, err := w.Groups(ctx, sn.Requesters[i].RequesterID)
		if err != nil {
			t.Fatal(err)
		}
		for j := range gs {
			gs[j].ComputedAt = time.Time{}
		}
		sn.Groups = append(sn.Groups, gs...)
	}
	return sn
}

// TestUpdateCacheDropped: a records cache whose table was dropped behind the process's back costs
// an update only speed: it reads the records from the store, and the cache is forgotten (its other
// table dropped) rather than tried again on every update.
func TestUpdateCacheDropped(t *testing.T) {
	s, w := newWages(t)
	ctx := context.Background()
	insert(t, s, task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.50", startMin: 0, secs: 600, status: records.Approved})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	var cache string
	if err := s.QueryRow(ctx, "SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'wage_run_') AND NOT endsWith(name, '_flagged')", nil, &cache); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, "DROP TABLE "+cache, nil); err != nil {
		t.Fatal(err)
	}
	insert(t, s, task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "0.50", startMin: 30, secs: 600, status: records.Approved})
	if _, err := w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	if n := wages.CacheCopies(w); n != 0 {
		t.Fatalf("%d updates read the dropped cache", n)
	}
	r, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Records != 2 || r.Paid != 1 {
		t.Errorf("R1: %d records paying $%.2f, want 2 paying $1.00", r.Records, r.Paid)
	}
	var left uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'wage_run_')", nil, &left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d run tables left: the unreadable cache was not forgotten", left)
	}
}

// TestCacheOnDiskAndLeftovers: the records cache a full recompute keeps is a table on disk (it
// holds no memory between recomputes), an update reads from it, and the next run drops a cache a
// previous process left on disk, while a run table of this process, however recent, stays.
func TestCacheOnDiskAndLeftovers(t *testing.T) {
	s, w := newWages(t)
	ctx := context.Background()
	insert(t, s, task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.50", startMin: 0, secs: 600, status: records.Approved})
	// What a process that stopped a minute ago left: its cache and flagged records (one named as
	// earlier versions named them, one with another process's token), and a run table of this
	// process still in progress, which must stay.
	at := time.Now().Add(-time.Minute).UnixMilli()
	old := fmt.Sprintf("wage_run_%d_7", at)
	other := fmt.Sprintf("wage_run_%d_0badf00d_3", at)
	mine := fmt.Sprintf("wage_run_%d_%s_999999", at, wages.ProcessToken())
	for _, q := range []string{
		"CREATE TABLE " + old + " ENGINE = MergeTree ORDER BY tuple() AS SELECT 1 AS x",
		"CREATE TABLE " + old + "_flagged ENGINE = Memory AS SELECT 1 AS x",
		"CREATE TABLE " + other + " ENGINE = MergeTree ORDER BY tuple() AS SELECT 1 AS x",
		"CREATE TABLE " + mine + " ENGINE = Memory AS SELECT 1 AS x",
	} {
		if err := s.Exec(ctx, q, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	var engines map[string]string
	if err := s.QueryRow(ctx, "SELECT CAST((groupArray(name), groupArray(engine)), 'Map(String, String)') FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'wage_run_')", nil, &engines); err != nil {
		t.Fatal(err)
	}
	if _, ok := engines[old]; ok {
		t.Errorf("the previous process's cache %s is still there: %v", old, engines)
	}
	if _, ok := engines[old+"_flagged"]; ok {
		t.Errorf("the previous process's flagged records %s_flagged are still there: %v", old, engines)
	}
	if _, ok := engines[other]; ok {
		t.Errorf("another process's run table %s is still there: %v", other, engines)
	}
	if _, ok := engines[mine]; !ok {
		t.Errorf("this process's run table %s in progress was dropped: %v", mine, engines)
	}
	var kept int
	for name, engine := range engines {
		if name != mine && !strings.HasSuffix(name, "_flagged") {
			kept++
			if engine != "MergeTree" {
				t.Errorf("records cache %s is a %s table, want MergeTree (on disk)", name, engine)
			}
		}
	}
	if kept != 1 {
		t.Fatalf("%d records caches kept, want 1: %v", kept, engines)
	}
	insert(t, s, task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "1.50", startMin: 30, secs: 600, status: records.Approved})
	if _, err := w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	if n := wages.CacheCopies(w); n != 1 {
		t.Errorf("%d updates read the cache, want 1", n)
	}
	r, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Records != 2 || r.Paid != 2 {
		t.Errorf("R1: %d records paying $%.2f, want 2 paying $2.00", r.Records, r.Paid)
	}
}

// TestDeletionDuringRecompute: records deleted while a full recompute copies them (a worker took a
// contribution back) must not come back through the records cache: the copy, which holds them, is
// not kept, and the next update reads the records themselves.
func TestDeletionDuringRecompute(t *testing.T) {
	s, w := newWages(t)
	ctx := context.Background()
	insert(t, s,
		task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.50", startMin: 0, secs: 600, status: records.Approved},
		task{req: "R1", reporter: "b", group: "G1", assignment: "B1", reward: "4.00", startMin: 0, secs: 600, status: records.Approved},
	)
	wages.BeforeKeep(func(w *wages.Wages) {
		// What the site does when b takes its contribution back while the copy runs.
		if err := s.Exec(ctx, "DELETE FROM task_records WHERE assignment_id = 'B1'", nil); err != nil {
			t.Error(err)
		}
		w.RecordsDeleted()
	})
	err := w.Recompute(ctx)
	wages.BeforeKeep(nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.HoldsRecords() {
		t.Fatal("the copy made before the deletion was kept as the records cache")
	}
	insert(t, s, task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "0.50", startMin: 30, secs: 600, status: records.Approved})
	if _, err := w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Records != 2 || r.Paid != 1 {
		t.Errorf("R1 after the update: %d records paying $%.2f, want 2 paying $1.00 (B1 deleted)", r.Records, r.Paid)
	}
}
