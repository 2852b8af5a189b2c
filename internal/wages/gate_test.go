package wages_test

import (
	"context"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
)

// TestWriteGate: a mark taken while no run writes says so until a run writes figures (a full
// recompute or a requester's); a reader waiting for quiet is let go by its context.
func TestWriteGate(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, task{req: "R", reporter: "A", group: "G", assignment: "a1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved})
	mark, err := w.WritesQuiet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if w.WroteSince(mark) {
		t.Error("no run wrote, yet the gate says one did")
	}
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if !w.WroteSince(mark) {
		t.Error("a recompute wrote figures, and the gate did not see it")
	}
	mark, err = w.WritesQuiet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.RecomputeRequesters(ctx, []string{"R"}); err != nil {
		t.Fatal(err)
	}
	if !w.WroteSince(mark) {
		t.Error("a requester's recompute wrote figures, and the gate did not see it")
	}
	done, cancel := context.WithTimeout(ctx, time.Nanosecond)
	defer cancel()
	<-done.Done()
	if _, err := w.WritesQuiet(done); err != nil {
		t.Errorf("no run writes: WritesQuiet answers at once, even with an ended context: %v", err)
	}
}
