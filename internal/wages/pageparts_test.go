package wages_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestKeptPageParts: the histogram and weekly trend kept with a requester's figures are the ones
// computed live from its records, after a full recompute and after an update that adds records
// to a new week; a requester without figures has no kept histogram.
func TestKeptPageParts(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s,
		task{req: "R", reporter: "A", group: "G", assignment: "a1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "a2", reward: "0.10", startMin: 20, secs: 900, status: records.Approved},
		task{req: "R", reporter: "B", group: "H", assignment: "b1", reward: "2.00", startMin: 5, secs: 300, status: records.Rejected},
		task{req: "R", reporter: "B", group: "H", assignment: "b2", reward: "5.00", startMin: 40, secs: 600, status: records.Approved},
		task{req: "R", reporter: "C", group: "H", assignment: "c1", reward: "1.00", startMin: 60, status: records.Approved, untimed: true},
	)
	same := func(label string) {
		t.Helper()
		kept, err := w.StoredHistogram(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		live, err := w.Histogram(ctx, "R", wages.HistogramWidth, wages.HistogramBins)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(kept, live) {
			t.Errorf("%s: kept histogram %+v, live %+v", label, kept, live)
		}
		var tasks uint64
		for _, b := range kept {
			tasks += b.Tasks
		}
		if tasks == 0 {
			t.Errorf("%s: empty histogram", label)
		}
		keptWeeks, err := w.RequesterTrend(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		liveWeeks, err := w.LiveRequesterTrend(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		if len(keptWeeks) != len(liveWeeks) || len(keptWeeks) == 0 {
			t.Fatalf("%s: %d kept weeks, %d live", label, len(keptWeeks), len(liveWeeks))
		}
		for i := range keptWeeks {
			k, l := keptWeeks[i], liveWeeks[i]
			if !k.Week.Equal(l.Week) || k.Records != l.Records || k.Untimed != l.Untimed || k.Paid != l.Paid ||
				k.EffectiveSeconds != l.EffectiveSeconds || *k.EffectiveHourly != *l.EffectiveHourly {
				t.Errorf("%s: week %d kept %+v, live %+v", label, i, k.Figures, l.Figures)
			}
		}
	}
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	same("recompute")
	// A week later: a new week's records, through the update.
	insert(t, s, task{req: "R", reporter: "D", group: "G", assignment: "d1", reward: "3.00", startMin: 7 * 24 * 60, secs: 1200,
		status: records.Approved, received: time.Minute})
	if n, err := w.Update(ctx); err != nil || n != 1 {
		t.Fatalf("update: %d, %v", n, err)
	}
	same("update")
	if _, err := w.StoredHistogram(ctx, "NOBODY"); err == nil {
		t.Errorf("a histogram for a requester without figures")
	}
}
