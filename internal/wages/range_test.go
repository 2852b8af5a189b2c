package wages_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestRequestersRangeMatchesOne: the figures of several requesters from one query are, requester by
// requester, what RequesterRange computes alone (overlap merging and exclusion included), and
// requesters without records in the range are absent.
func TestRequestersRangeMatchesOne(t *testing.T) {
	s, w := newWages(t)
	ctx := context.Background()
	insert(t, s,
		task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.50", startMin: 0, secs: 300, status: records.Approved, decidedAfter: time.Hour},
		task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "0.50", startMin: 2, secs: 300, status: records.Approved, decidedAfter: 2 * time.Hour},
		task{req: "R1", reporter: "b", group: "G2", assignment: "A3", reward: "1.00", startMin: 10, secs: 600, status: records.Rejected, decidedAfter: time.Hour},
		task{req: "R2", reporter: "a", group: "G3", assignment: "A4", reward: "0.20", startMin: 1, secs: 120, status: records.Pending},
		task{req: "R2", reporter: "c", group: "G3", assignment: "A5", reward: "0.20", startMin: 3, secs: 90, status: records.Submitted},
		task{req: "R3", reporter: "c", group: "G4", assignment: "A6", reward: "2.00", startMin: 200, secs: 900, status: records.Approved},
	)
	r := wages.Range{From: base, To: base.Add(time.Hour)}
	got, err := w.RequestersRange(ctx, []string{"R1", "R2", "R3", "NONE"}, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d requesters, want R1 and R2 (R3 has no records in the range): %v", len(got), got)
	}
	for _, id := range []string{"R1", "R2"} {
		one, err := w.RequesterRange(ctx, id, r)
		if err != nil {
			t.Fatal(err)
		}
		many := got[id]
		if many.Records == 0 {
			t.Fatalf("%s missing", id)
		}
		one.ComputedAt, many.ComputedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(one, many) {
			t.Errorf("%s alone %+v\n together %+v", id, one, many)
		}
	}
	if empty, err := w.RequestersRange(ctx, nil, r); err != nil || len(empty) != 0 {
		t.Errorf("no ids: %v, %v", empty, err)
	}
}
