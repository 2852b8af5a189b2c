package wages_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestEngineOnEachStore runs a recompute, an update and a requester's recompute on the embedded
// store and on a ClickHouse server (storetest.Each: skipped without HITWAGE_TEST_CLICKHOUSE). A
// server runs without run tables or the records cache, and on a cluster its figures are written
// through a Distributed table and its mutations go to the local tables: the figures must not differ.
func TestEngineOnEachStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := wages.New(s, wages.Config{})
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
	})
}
