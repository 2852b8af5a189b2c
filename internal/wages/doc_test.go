package wages_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestStoredMatchesLive: a lookup decodes the precomputed figures from wage_figures.doc (one JSON
// array); every figure must come back as the live query computes it from the same records,
// NULLs (no decisions, no allotted ratio), long decimals and the group's latest title included.
func TestStoredMatchesLive(t *testing.T) {
	s, w := newWages(t)
	ctx := context.Background()
	insert(t, s,
		task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.33", startMin: 0, secs: 97, status: records.Approved, decidedAfter: time.Hour},
		task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "0.33", bonus: "0.07", startMin: 1, secs: 131, status: records.Approved, decidedAfter: 3 * time.Hour},
		task{req: "R1", reporter: "b", group: "G2", assignment: "A3", reward: "1.10", startMin: 5, secs: 700, status: records.Rejected, decidedAfter: 2 * time.Hour},
		task{req: "R1", reporter: "c", group: "G2", assignment: "A4", reward: "1.10", startMin: 9, secs: 333, status: records.Returned},
		task{req: "R2", reporter: "c", group: "G3", assignment: "A5", reward: "0.01", startMin: 20, secs: 41, status: records.Pending},
	)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"R1", "R2"} {
		stored, err := w.Requester(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		live, err := w.RequesterRange(ctx, id, wages.Range{})
		if err != nil {
			t.Fatal(err)
		}
		stored.ComputedAt, live.ComputedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(stored, live) {
			t.Errorf("%s stored %+v\n live %+v", id, stored, live)
		}
	}
	groups, err := w.Groups(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 {
		t.Fatalf("%d groups of R1, want 2", len(groups))
	}
	for _, g := range groups {
		live, err := w.GroupRange(ctx, g.HitSetID, wages.Range{})
		if err != nil {
			t.Fatal(err)
		}
		if g.ComputedAt.IsZero() {
			t.Errorf("group %s: no computed_at", g.HitSetID)
		}
		g.ComputedAt, live.ComputedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, live) {
			t.Errorf("group %s stored %+v\n live %+v", g.HitSetID, g, live)
		}
	}
}
