package wages_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestEngineOnEachStore runs a recompute, an update, a requester's recompute and a requester's
// records vanishing on the embedded store and on a ClickHouse server (storetest.Each: skipped
// without HITWAGE_TEST_CLICKHOUSE), and once more on the embedded store without run tables, the
// path a server takes, so that path is run even without a server. A server runs without run
// tables or the records cache, and on a cluster its figures are written through a Distributed
// table and its mutations go to the local tables: the figures must not differ.
func TestEngineOnEachStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) { engineSteps(t, s, wages.New(s, wages.Config{})) })
	t.Run("embedded without run tables", func(t *testing.T) {
		s := storetest.New(t)
		w := wages.New(s, wages.Config{})
		wages.WithoutRunTables(w)
		engineSteps(t, s, w)
	})
}

func engineSteps(t *testing.T, s *store.Store, w *wages.Wages) {
	ctx := context.Background()
	insert(t, s, scenario()...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	f := got.Figures
	eq(t, "records", f.Records, 5)
	eq(t, "reporters", f.Reporters, 2)
	eq(t, "paid", f.Paid, 4.50)
	near(t, "effective hourly", f.EffectiveHourly, 4.50)
	near(t, "median", f.MedianHourly, 4.00)

	// A new requester's records reach its figures through an update (wage_dirty, fed by a
	// materialized view): ten tasks one after another.
	var more []task
	for i := 0; i < 10; i++ {
		more = append(more, task{req: "R9", reporter: "D", group: "G9", assignment: fmt.Sprintf("d%d", i), reward: "0.50",
			startMin: float64(15 * i), secs: 600, status: records.Approved})
	}
	insert(t, s, more...)
	if _, err := w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := w.Requester(ctx, "R9")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "R9 records after the update", after.Figures.Records, 10)
	near(t, "R9 effective hourly", after.Figures.EffectiveHourly, 3.00) // 0.50 per 600 s

	// A requester's recompute rewrites its figures alone; a full recompute after it changes nothing.
	if err := w.RecomputeRequesters(ctx, []string{"R1"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "R1 records after recomputes", again.Figures.Records, 5)
	near(t, "R1 median after recomputes", again.Figures.MedianHourly, 4.00)

	// A requester whose records are all deleted (as a withdrawn contribution's are, from the local
	// tables on a cluster) has no figures after the next recompute: its requester and group rows are
	// deleted as vanished, and the others stay.
	if err := s.Exec(ctx, "DELETE FROM "+s.Mutated("task_records")+" WHERE requester_id = {r:String}", store.Args{"r": "R9"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if gone, err := w.Requester(ctx, "R9"); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("R9 after its records were deleted: %d records, %v; want not found", gone.Figures.Records, err)
	}
	if g, err := w.Group(ctx, platform.MTurk, "G9"); !errors.Is(err, wages.ErrNotFound) {
		t.Errorf("group G9 after its records were deleted: %d records, %v; want not found", g.Figures.Records, err)
	}
	var rows uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM wage_figures FINAL WHERE requester_id = {r:String}", store.Args{"r": "R9"}, &rows); err != nil {
		t.Fatal(err)
	}
	eq(t, "R9 figure rows after its records were deleted", rows, 0)
	kept, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "R1 records after R9 vanished", kept.Figures.Records, 5)
}
