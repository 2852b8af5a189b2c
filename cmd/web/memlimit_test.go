package main

import (
	"log/slog"
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestSoftMemoryLimit: without GOMEMLIMIT the heap's soft limit is twice its live data, or its
// live data plus the least headroom for a small heap; with it, the operator's limit stands.
func TestSoftMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(math.MaxInt64)
	keep := make([]byte, 400<<20) // a live heap larger than the least headroom
	softMemoryLimit(slog.Default(), true)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	got := debug.SetMemoryLimit(-1)
	if live := int64(m.HeapAlloc); got < 2*live-(8<<20) || got > 2*live+(64<<20) {
		t.Errorf("soft limit %d MiB, live heap %d MiB: want twice the live heap", got>>20, live>>20)
	}
	runtime.KeepAlive(keep)
	keep = nil
	softMemoryLimit(slog.Default(), true)
	runtime.ReadMemStats(&m)
	if got, live := debug.SetMemoryLimit(-1), int64(m.HeapAlloc); got < live+minHeadroom-(8<<20) || got > live+minHeadroom+(64<<20) {
		t.Errorf("soft limit %d MiB, live heap %d MiB: want the live heap plus %d MiB", got>>20, live>>20, minHeadroom>>20)
	}

	t.Setenv("GOMEMLIMIT", "900MiB")
	debug.SetMemoryLimit(900 << 20)
	softMemoryLimit(slog.Default(), true)
	if got := debug.SetMemoryLimit(-1); got != 900<<20 {
		t.Errorf("GOMEMLIMIT=900MiB, soft limit now %d MiB", got>>20)
	}
}
