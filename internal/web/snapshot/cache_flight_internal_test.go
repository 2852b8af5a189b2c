package snapshot

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Loads of one missing key while one is reading share its read: however the loads interleave with
// it, the value is read once.
func TestSnapshotCacheLoadsShareOneRead(t *testing.T) {
	var sc Cache[string]
	at := time.Unix(100, 0)
	var reads atomic.Int32
	started, gate := make(chan struct{}), make(chan struct{})
	read := func() (string, error) {
		if reads.Add(1) == 1 {
			close(started)
		}
		<-gate
		return "parts", nil
	}
	var wg sync.WaitGroup
	vals := make([]string, 20)
	wg.Go(func() { vals[0], _ = sc.Load(at, "A1", read) })
	<-started
	for i := 1; i < len(vals); i++ {
		wg.Go(func() { vals[i], _ = sc.Load(at, "A1", read) })
	}
	close(gate)
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Fatalf("%d reads, want 1", n)
	}
	for i, v := range vals {
		if v != "parts" {
			t.Fatalf("load %d = %q", i, v)
		}
	}
}

// A load after a forget (a review posted while the page's parts were being read) does not join the
// read begun before it: it reads anew, and its value is the one kept.
func TestSnapshotCacheForgetDuringLoad(t *testing.T) {
	var sc Cache[string]
	at := time.Unix(100, 0)
	started, gate := make(chan struct{}), make(chan struct{})
	var first string
	done := make(chan struct{})
	go func() {
		first, _ = sc.Load(at, "A1", func() (string, error) { close(started); <-gate; return "stale", nil })
		close(done)
	}()
	<-started
	sc.Forget("A1")
	v, err := sc.Load(at, "A1", func() (string, error) { return "fresh", nil })
	if err != nil || v != "fresh" {
		t.Fatalf("load after forget = %q %v, want a new read", v, err)
	}
	close(gate)
	<-done
	if first != "stale" {
		t.Fatalf("the first load got %q", first)
	}
	if v, ok := sc.Get(at, "A1"); !ok || v != "fresh" {
		t.Fatalf("kept %q %v, want fresh", v, ok)
	}
}
