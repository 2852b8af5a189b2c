package wages_test

import (
	"context"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestUntimedRecords: records without a time on task (a saved history's) move a requester's
// counts (records, statuses, reporters, rewards offered) and leave every wage figure as the timed
// records alone give it; a later timed report of the same task replaces the untimed one, and a
// later untimed report of a timed task does not replace it. Recompute and the incremental update
// agree.
func TestUntimedRecords(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	// Timed, reporter A: $1.00 in 10 minutes and $0.50 in 5: $1.50 in 900 s, $6.00/h.
	insert(t, s,
		task{req: "R", reporter: "A", group: "G", assignment: "a1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved},
		task{req: "R", reporter: "A", group: "G", assignment: "a2", reward: "0.50", startMin: 20, secs: 300, status: records.Approved},
	)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := w.Requester(ctx, "R")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "timed effective hourly", *before.EffectiveHourly, 6.00)

	// Untimed, reporter B (a HIT Tracker backup): two approved at $2.00 and $1.00, one rejected at $2.00.
	insert(t, s,
		task{req: "R", reporter: "B", group: "G", assignment: "u1", reward: "2.00", startMin: 60, status: records.Approved, untimed: true},
		task{req: "R", reporter: "B", group: "G", assignment: "u2", reward: "2.00", startMin: 70, status: records.Rejected, untimed: true},
		task{req: "R", reporter: "B", group: "H", assignment: "u3", reward: "1.00", startMin: 80, status: records.Approved, untimed: true},
	)
	check := func(label string, records, untimed, approved, rejected, reporters uint64, paid, untimedOffered, hourly float64) {
		t.Helper()
		for _, run := range []struct {
			name string
			do   func(context.Context) error
		}{
			{"update", func(ctx context.Context) error { _, err := w.Update(ctx); return err }},
			{"recompute", w.Recompute},
		} {
			if err := run.do(ctx); err != nil {
				t.Fatal(err)
			}
			f, err := w.Requester(ctx, "R")
			if err != nil {
				t.Fatal(err)
			}
			at := label + " after " + run.name + ": "
			eq(t, at+"records", f.Records, records)
			eq(t, at+"untimed", f.Untimed, untimed)
			eq(t, at+"approved", f.Approved, approved)
			eq(t, at+"rejected", f.Rejected, rejected)
			eq(t, at+"reporters", f.Reporters, reporters)
			eq(t, at+"paid", f.Paid, paid)
			eq(t, at+"untimed offered", f.UntimedOffered, untimedOffered)
			if f.EffectiveHourly == nil {
				t.Fatalf("%seffective hourly is nil", at)
			}
			eq(t, at+"effective hourly", *f.EffectiveHourly, hourly)
			if label == "untimed added" {
				// The task-weighted figures and the pay score rest on the timed records alone.
				eq(t, at+"median hourly", *f.MedianHourly, *before.MedianHourly)
				eq(t, at+"median task secs", *f.MedianTaskSeconds, *before.MedianTaskSeconds)
				eq(t, at+"pay score", *f.PayScore, *before.PayScore)
				eq(t, at+"effective secs", f.EffectiveSeconds, before.EffectiveSeconds)
			}
		}
	}
	// 5 records, 3 untimed; approvals 4, rejections 1; 2 reporters; pay and the wage unchanged;
	// the untimed submitted tasks offered $5.00.
	check("untimed added", 5, 3, 4, 1, 2, 1.50, 5.00, 6.00)

	// B's tool later reports u1 with its time: 15 minutes for $2.00. It replaces the untimed
	// record: $3.50 in 1,800 s, $7.00/h.
	insert(t, s, task{req: "R", reporter: "B", group: "G", assignment: "u1", reward: "2.00", startMin: 100, secs: 900,
		status: records.Approved, received: 2 * time.Hour})
	check("timed replaces untimed", 5, 2, 4, 1, 2, 3.50, 3.00, 7.00)

	// An old backup imported last says a1 without a time: the timed report stays.
	insert(t, s, task{req: "R", reporter: "A", group: "G", assignment: "a1", reward: "1.00", startMin: 0,
		status: records.Approved, untimed: true, received: 24 * time.Hour})
	check("untimed does not replace timed", 5, 2, 4, 1, 2, 3.50, 3.00, 7.00)
}

// TestUntimedOnly: a requester known only from saved histories has counts and no wage.
func TestUntimedOnly(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s,
		task{req: "U", reporter: "B", group: "G", assignment: "u1", reward: "0.10", status: records.Approved, untimed: true},
		task{req: "U", reporter: "C", group: "G", assignment: "u2", reward: "0.10", status: records.Rejected, untimed: true},
	)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	f, err := w.Requester(ctx, "U")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "records", f.Records, uint64(2))
	eq(t, "untimed", f.Untimed, uint64(2))
	eq(t, "reporters", f.Reporters, uint64(2))
	eq(t, "excluded reporters", f.ExcludedReporters, uint64(0))
	eq(t, "approved", f.Approved, uint64(1))
	eq(t, "rejected", f.Rejected, uint64(1))
	if f.EffectiveHourly != nil || f.MedianHourly != nil || f.PayScore != nil {
		t.Errorf("untimed-only requester has wage figures: effective %v, median %v, pay score %v",
			f.EffectiveHourly, f.MedianHourly, f.PayScore)
	}
}

// TestUnattributedOwnFiguresOnly: a record no researcher could be attributed to (a Prolific
// history row, under the researcher-less key) counts in its reporter's own figures and in no
// researcher's or market's.
func TestUnattributedOwnFiguresOnly(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s,
		task{req: "prolific:5f1b2c3d4e5f60718293a4b1", reporter: "P", group: "6f1b2c3d4e5f60718293a4b1", assignment: "p1", reward: "2.00",
			secs: 1200, status: records.Approved, currency: "GBP"},
		task{req: "prolific:", reporter: "P", assignment: "p2", reward: "1.00", startMin: 60, secs: 600, status: records.Approved, currency: "GBP"},
	)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	own, err := w.ReporterVia(ctx, "P", "", wages.Range{})
	if err != nil {
		t.Fatal(err)
	}
	if len(own) != 1 || own[0].Records != 2 || own[0].Paid != 3 {
		t.Errorf("own figures %+v, want both records and £3.00", own)
	}
	m, err := w.Market(ctx, "prolific")
	if err != nil {
		t.Fatal(err)
	}
	if m.Records != 1 || m.Paid != 2 {
		t.Errorf("market %+v, want the attributed record alone", m)
	}
	if _, err := w.Requester(ctx, "prolific:"); err == nil {
		t.Errorf("figures for the researcher-less key")
	}
}
