package wages_test

import (
	"context"
	"testing"

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
