package web

import (
	"sync"
	"time"
)

// snapshotCache keeps values by key for one directory snapshot: entries made from the snapshot
// taken at `at` die when a newer one is taken. A max above zero bounds it: a full cache starts
// over, so a crawler walking every page does not hold them all.
type snapshotCache[V any] struct {
	mu   sync.RWMutex
	at   time.Time
	vals map[string]V
	max  int
}

// get returns the value kept for key from the snapshot taken at `at`.
func (sc *snapshotCache[V]) get(at time.Time, key string) (V, bool) {
	sc.mu.RLock()
	defer sc.mu.RUnlock()
	v, ok := sc.vals[key]
	if !ok || !sc.at.Equal(at) {
		var zero V
		return zero, false
	}
	return v, true
}

// put keeps v for key as made from the snapshot taken at `at`, dropping other snapshots' values.
func (sc *snapshotCache[V]) put(at time.Time, key string, v V) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if !sc.at.Equal(at) || sc.vals == nil || (sc.max > 0 && len(sc.vals) >= sc.max) {
		sc.at, sc.vals = at, map[string]V{}
	}
	sc.vals[key] = v
}

// forget drops the value kept for key, when something it was made from changed before the
// next snapshot (a requester's page after a review of it was posted).
func (sc *snapshotCache[V]) forget(key string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.vals, key)
}
