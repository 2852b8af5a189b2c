package snapshot

import (
	"testing"
	"time"
)

// A value read before a forget (a review posted while the page's parts were being read) is not
// kept: the next reader reads anew instead of seeing the page without the review until the next
// snapshot. Values made after the forget are kept as usual.
func TestSnapshotCacheForgetDuringRead(t *testing.T) {
	var sc Cache[string]
	at := time.Unix(100, 0)
	before := sc.ticket()
	sc.Forget("A1")                   // a review of A1 is stored while a render reads A1's parts
	sc.put(at, "A1", "stale", before) // that render ends
	if v, ok := sc.Get(at, "A1"); ok {
		t.Fatalf("a value read before the forget was kept: %q", v)
	}
	sc.put(at, "A1", "fresh", sc.ticket())
	if v, ok := sc.Get(at, "A1"); !ok || v != "fresh" {
		t.Fatalf("get = %q %v, want fresh", v, ok)
	}
	if _, ok := sc.Get(time.Unix(200, 0), "A1"); ok {
		t.Fatal("a value of an older snapshot was returned")
	}
}
