package wages_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// The reporter-balanced pay score, worked out by hand.
func TestPayScore(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	// Three reporters (fewer than 1/ReporterCap: each weighs the same): $6/h, $15/h and $30/h
	// against the $15 target score 40, 100 and 100 (a wage above the target scores 100, so one
	// reporter paid well does not make up for another paid badly): 80. The pooled wage, $27.00 over
	// 4,800 s = $20.25/h, would score 100.
	var ts []task
	for i, c := range []struct {
		reporter, reward string
		secs             uint32
	}{{"A", "1.00", 600}, {"B", "2.50", 600}, {"C", "10.00", 1200}} {
		for j := 0; j < 2; j++ {
			ts = append(ts, task{req: "RS", reporter: c.reporter, group: "G", assignment: fmt.Sprintf("s%d-%d", i, j),
				reward: c.reward, startMin: float64(60 * j), secs: c.secs, status: records.Approved})
		}
	}
	insert(t, s, ts...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := w.Requester(ctx, "RS")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "pay score", r.PayScore, 80)
	near(t, "pooled effective hourly", r.EffectiveHourly, 27.0/4800*3600)
}

// A flood of 10,000 records from one reporter (a requester reporting its own tasks as quick and
// well paid) moves a 50-reporter requester's pay score by at most 100 x ReporterCap points, while
// the pooled wage it floods moves a hundredfold.
func TestFloodIsBounded(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	var ts []task
	for r := 0; r < 50; r++ { // 50 workers, 4 tasks each of 10 minutes paying $1.00: $6/h, score 40
		for j := 0; j < 4; j++ {
			ts = append(ts, task{req: "RF", reporter: fmt.Sprintf("W%02d", r), group: "G", assignment: fmt.Sprintf("w%d-%d", r, j),
				reward: "1.00", startMin: float64(15 * j), secs: 600, status: records.Approved})
		}
	}
	insert(t, s, ts...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := w.Requester(ctx, "RF")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "pay score before", before.PayScore, 40)
	var flood []task
	for j := 0; j < 10_000; j++ { // one reporter: 60-second tasks paying $10.00 ($600/h), one after another
		flood = append(flood, task{req: "RF", reporter: "FLOODER", group: "G", assignment: fmt.Sprintf("f%d", j),
			reward: "10.00", startMin: float64(j), secs: 60, status: records.Approved})
	}
	insert(t, s, flood...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := w.Requester(ctx, "RF")
	if err != nil {
		t.Fatal(err)
	}
	// The flooder's 600,000 s are cut to L = 0.1 x 120,000 / 0.9 s, a tenth of the total: 0.9 x 40 + 0.1 x 100.
	near(t, "pay score after", after.PayScore, 46)
	if d := *after.PayScore - *before.PayScore; d > 100*wages.ReporterCap+1e-9 || d < -100*wages.ReporterCap-1e-9 {
		t.Errorf("the flood moved the pay score by %.2f points, more than the cap %.0f", d, 100*wages.ReporterCap)
	}
	if *after.EffectiveHourly < 50**before.EffectiveHourly {
		t.Errorf("the pooled wage went %.2f -> %.2f: the test's flood is not the flood it means to be", *before.EffectiveHourly, *after.EffectiveHourly)
	}
}
