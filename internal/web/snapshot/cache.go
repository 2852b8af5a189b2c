// Package snapshot keeps values made from one directory snapshot (a requester's API document, its
// page's parts, the market's charts) until the next snapshot replaces them.
package snapshot

import (
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache keeps values by key for one directory snapshot: entries made from the snapshot
// taken at `at` die when a newer one is taken. A Max above zero bounds it: a full cache starts
// over, so a crawler walking every page does not hold them all.
//
// A value is put with the ticket taken before it was made: if a key was forgotten in between (its
// sources changed while the value was being read), the value may predate the change and is not
// kept, so the next reader makes it anew.
//
// Concurrent loads of one missing key make it once (single flight): the others wait for that
// value instead of each querying the store.
type Cache[V any] struct {
	mu   sync.RWMutex
	at   time.Time
	vals map[string]V
	Max  int    // most values kept at once; 0: no bound
	gen  uint64 // Forget calls so far

	flight singleflight.Group // loads in progress, by key
}

// ticket is taken before making a value from the store, and given back to put.
func (sc *Cache[V]) ticket() uint64 {
	sc.mu.RLock()
	defer sc.mu.RUnlock()
	return sc.gen
}

// Get returns the value kept for key from the snapshot taken at `at`.
func (sc *Cache[V]) Get(at time.Time, key string) (V, bool) {
	sc.mu.RLock()
	defer sc.mu.RUnlock()
	v, ok := sc.vals[key]
	if !ok || !sc.at.Equal(at) {
		var zero V
		return zero, false
	}
	return v, true
}

// put keeps v for key as made from the snapshot taken at `at`, dropping other snapshots' values,
// unless a key was forgotten since ticket t was taken.
func (sc *Cache[V]) put(at time.Time, key string, v V, t uint64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if t != sc.gen {
		return
	}
	if !sc.at.Equal(at) || sc.vals == nil || (sc.Max > 0 && len(sc.vals) >= sc.Max) {
		sc.at, sc.vals = at, map[string]V{}
	}
	sc.vals[key] = v
}

// Forget drops the value kept for key, when something it was made from changed before the
// next snapshot (a requester's page after a review of it was posted).
func (sc *Cache[V]) Forget(key string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.gen++
	delete(sc.vals, key)
	sc.flight.Forget(key) // a load after this one reads anew rather than joining one begun before
}

// Load returns the value kept for key from the snapshot taken at `at`, or makes it with read
// and keeps it (unless key was forgotten meanwhile, see put). Loads of key made while one is
// reading share its value or error (a load under a newer snapshot that joins one begun under
// the older gets its value, kept for the older: that request alone sees the older state).
func (sc *Cache[V]) Load(at time.Time, key string, read func() (V, error)) (V, error) {
	if v, ok := sc.Get(at, key); ok {
		return v, nil
	}
	r, err, _ := sc.flight.Do(key, func() (any, error) {
		t := sc.ticket() // before the read: a forget during it keeps its result out
		if v, ok := sc.Get(at, key); ok {
			return v, nil // kept by a load that ended since this one missed
		}
		v, err := read()
		if err == nil {
			sc.put(at, key, v, t)
		}
		return v, err
	})
	v, _ := r.(V)
	return v, err
}
