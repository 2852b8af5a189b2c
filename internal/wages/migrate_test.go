package wages_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestMigratedStoreMatchesFresh: a store holding MTurk records from before platforms (schema 10)
// migrates in place (0011): nothing stored is lost, every record reads as MTurk's in dollars, and
// its figures are exactly those of the same records written to a new store.
func TestMigratedStoreMatchesFresh(t *testing.T) {
	ctx := context.Background()
	old := storetest.NewUnmigrated(t)
	if v, err := old.Migrate(ctx, store.MigrateOptions{UpTo: 10}); err != nil || v != 10 {
		t.Fatalf("migrate to 10: version %d, %v", v, err)
	}
	recs := make([]records.Record, 0, 64)
	for _, tk := range scenario() {
		recs = append(recs, tk.record())
	}
	// Schema 10 had no currency or relay column: write the rows as the code of that time did (the
	// columns 0011 added come last).
	cur := slices.Index(records.Columns, "currency")
	cols := records.Columns[:cur]
	err := old.Insert(ctx, "task_records", cols, len(recs), func(i int) []any {
		return recs[i].Row()[:cur]
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Migrate(ctx, store.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	var rows, usd, mturk uint64
	if err := old.QueryRow(ctx, "SELECT count(), countIf(currency = 'USD'), countIf(platform = 'mturk') FROM wage_records", nil,
		&rows, &usd, &mturk); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || usd != rows || mturk != rows {
		t.Fatalf("after the migration: %d records, %d in USD, %d of MTurk; want all", rows, usd, mturk)
	}

	fresh := storetest.New(t)
	if err := records.Insert(ctx, fresh, recs); err != nil {
		t.Fatal(err)
	}
	snap := func(s *store.Store) map[string]wages.Figures {
		w := wages.New(s, wages.Config{})
		if err := w.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
		out := map[string]wages.Figures{}
		for _, id := range []string{"R1", "R2"} {
			r, err := w.Requester(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			out[id] = r.Figures
		}
		m, err := w.Market(ctx, platform.MTurk)
		if err != nil {
			t.Fatal(err)
		}
		out["market"] = m
		for k, f := range out {
			f.ComputedAt = time.Time{}
			out[k] = f
		}
		return out
	}
	got, want := snap(old), snap(fresh)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("migrated store's figures differ from a fresh store's:\n got %+v\nwant %+v", got, want)
	}
	if got["R1"].Currency != "USD" || got["R1"].Platform != "mturk" || got["R1"].Minimum != 7.25 {
		t.Errorf("migrated R1: currency %q, platform %q, minimum %v", got["R1"].Currency, got["R1"].Platform, got["R1"].Minimum)
	}
}
