package pagerows

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestGonePagesAreNotRead: a read waiting behind busy statements whose page goes returns at once
// and is left out of the next statement; one that goes after its statement took it still gets
// its answer without blocking the statement.
func TestGonePagesAreNotRead(t *testing.T) {
	ctx := context.Background()
	r := newReads(storetest.New(t))
	open := make(chan struct{})
	var statements atomic.Int32
	r.acquire = func(context.Context) (func(), error) {
		statements.Add(1)
		<-open
		return func() {}, nil
	}
	var wg sync.WaitGroup
	for _, id := range []string{"AONE", "ATWO"} { // each takes a statement of its own, held at the slot
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok, err := r.read(ctx, id); ok || err != nil {
				t.Errorf("row of %s in an empty table: ok %v, %v", id, ok, err)
			}
		}()
		for statements.Load() < int32(maxReads) && id == "ATWO" {
			runtime.Gosched()
		}
	}
	gone, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { _, _, err := r.read(gone, "AGONE"); errc <- err }()
	for {
		r.mu.Lock()
		_, waiting := r.waiting["AGONE"]
		r.mu.Unlock()
		if waiting {
			break
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("read of a page that went: %v", err)
	}
	close(open)
	wg.Wait()
	for {
		r.mu.Lock()
		running := r.running
		r.mu.Unlock()
		if running == 0 {
			break
		}
		runtime.Gosched()
	}
	if n := statements.Load(); n != int32(maxReads) {
		t.Errorf("%d statements: the read whose page went was fetched anyway", n)
	}
	if len(r.waiting) != 0 || len(r.order) != 0 {
		t.Errorf("left waiting: %v %v", r.waiting, r.order)
	}
}
