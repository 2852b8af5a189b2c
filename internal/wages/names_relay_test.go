package wages_test

import (
	"context"
	"testing"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// TestRelayedListingsRenameNoOne: a study listing a userscript relayed, or a worker uploaded, is a
// reporter's word and cannot rename a researcher; one the operator imported names it.
func TestRelayedListingsRenameNoOne(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	const rid = "prolific:5e1b2c3d4e5f60718293a4b1"
	insert(t, s, task{req: rid, reporter: "A", group: "6e1b2c3d4e5f60718293a4b1", assignment: "x1", reward: "1.00", secs: 600,
		status: records.Approved, name: "Real Lab", currency: "GBP"})
	listing := func(crawl, name string) {
		t.Helper()
		if err := s.Exec(ctx, `INSERT INTO listing_snapshots (crawled_at, crawl_id, hit_set_id, requester_id, requester_name, title,
			reward, currency, source) VALUES (now64(3), {c:String}, '6e1b2c3d4e5f60718293a4b1', {r:String}, {n:String}, 'Study', 9, 'GBP', 'prolific-studies')`,
			store.Args{"c": crawl, "r": rid, "n": name}); err != nil {
			t.Fatal(err)
		}
	}
	name := func() string {
		t.Helper()
		if err := w.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
		f, err := w.Requester(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		return f.RequesterName
	}
	listing("relay", "Scam Lab")
	listing("upload:studies.json", "Scam Lab")
	if got := name(); got != "Real Lab" {
		t.Errorf("after relayed and uploaded listings: %q, want Real Lab", got)
	}
	// Nor a study's title or reward (a listing's reward is the group's reward, and sets the bonus owed).
	g, err := w.Group(ctx, "prolific", "6e1b2c3d4e5f60718293a4b1")
	if err != nil {
		t.Fatal(err)
	}
	if g.Title != "Title of 6e1b2c3d4e5f60718293a4b1" || g.Reward != 1 {
		t.Errorf("after relayed and uploaded listings the study is %q at %v", g.Title, g.Reward)
	}
	listing("import:studies.json", "Real Lab (University)")
	if got := name(); got != "Real Lab (University)" {
		t.Errorf("after the operator's import: %q", got)
	}
}
