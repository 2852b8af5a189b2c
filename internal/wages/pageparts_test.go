package wages_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestKeptPageParts: the histogram and weekly trend kept with a requester's figures are the ones
// computed live from its records, after a full recompute and after an update that adds records
// to a new week; a requester without figures has no kept histogram. PageParts reads what the
// three separate reads do (samePage).
func TestKeptPageParts(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s,
		task{req: "R", reporter: "A", group: "G", assignment: "a1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "a2", reward: "0.10", startMin: 20, secs: 900, status: records.Approved},
		task{req: "R", reporter: "B", group: "H", assignment: "b1", reward: "2.00", startMin: 5, secs: 300, status: records.Rejected},
		task{req: "R", reporter: "B", group: "H", assignment: "b2", reward: "5.00", startMin: 40, secs: 600, status: records.Approved},
		task{req: "R", reporter: "C", group: "H", assignment: "c1", reward: "1.00", startMin: 60, status: records.Approved, untimed: true},
		// Another requester's figures, which R's page parts leave out.
		task{req: "S", reporter: "A", group: "J", assignment: "s1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved},
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
	samePage(t, w, "recompute", "R")
	// A week later: a new week's records, through the update.
	insert(t, s, task{req: "R", reporter: "D", group: "G", assignment: "d1", reward: "3.00", startMin: 7 * 24 * 60, secs: 1200,
		status: records.Approved, received: time.Minute})
	if n, err := w.Update(ctx); err != nil || n != 1 {
		t.Fatalf("update: %d, %v", n, err)
	}
	same("update")
	// G now has as many records as H: groups of equal records in id order.
	samePage(t, w, "update", "R")
	samePage(t, w, "update", "S")
	if _, err := w.StoredHistogram(ctx, "NOBODY"); err == nil {
		t.Errorf("a histogram for a requester without figures")
	}
	p := samePage(t, w, "no figures", "NOBODY")
	if len(p.Groups) != 0 || p.Bins != nil || p.Weeks != nil {
		t.Errorf("page parts of a requester without figures: %+v", p)
	}
}

// TestPagePartsAfterCurrencyMove: after an update moved a requester into another currency, its
// page parts are those of the new currency's figures, not of the row the old key keeps until the
// next full recompute.
func TestPagePartsAfterCurrencyMove(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	g := "60000000000000000000cc01"
	insert(t, s, task{req: prolificP2, reporter: "A", group: g, assignment: "c1", reward: "1.00", secs: 600, status: records.Approved, currency: "GBP"})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	samePage(t, w, "recompute", prolificP2)
	insert(t, s,
		task{req: prolificP2, reporter: "B", group: g, assignment: "c2", reward: "2.00", secs: 600, status: records.Approved, currency: "USD"},
		task{req: prolificP2, reporter: "C", group: g, assignment: "c3", reward: "2.00", startMin: 7 * 24 * 60, secs: 600, status: records.Approved, currency: "USD"})
	if _, err := w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	p := samePage(t, w, "update", prolificP2)
	if len(p.Groups) != 1 || p.Groups[0].Currency != "USD" || len(p.Weeks) != 2 || p.Weeks[0].Currency != "USD" {
		t.Errorf("page parts after the move to USD: %+v", p)
	}
}

// samePage checks that PagePartsOf requester id equals Groups, StoredHistogram and
// RequesterTrend read one by one (a read's ErrNotFound as nil), and returns it.
func samePage(t *testing.T, w *wages.Wages, label, id string) wages.PageParts {
	t.Helper()
	ctx := context.Background()
	parts, err := w.PagePartsOf(ctx, []string{id})
	if err != nil {
		t.Fatalf("%s: page parts of %s: %v", label, id, err)
	}
	got := parts[id]
	if got.Groups == nil { // a requester without figures is absent: no groups
		got.Groups = []wages.Group{}
	}
	groups, err := w.Groups(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	bins, err := w.StoredHistogram(ctx, id)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		t.Fatal(err)
	}
	weeks, err := w.RequesterTrend(ctx, id)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Groups, groups) {
		t.Errorf("%s: page groups of %s %+v, read alone %+v", label, id, got.Groups, groups)
	}
	if !reflect.DeepEqual(got.Bins, bins) {
		t.Errorf("%s: page histogram of %s %+v, read alone %+v", label, id, got.Bins, bins)
	}
	if !reflect.DeepEqual(got.Weeks, weeks) {
		t.Errorf("%s: page weeks of %s %+v, read alone %+v", label, id, got.Weeks, weeks)
	}
	return got
}
