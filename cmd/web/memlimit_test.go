package main

import (
	"log/slog"
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestSoftMemoryLimit: without GOMEMLIMIT the heap's soft limit is its live data plus the
// headroom; with it, the operator's limit stands.
func TestSoftMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(math.MaxInt64)
	softMemoryLimit(slog.Default())
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	got := debug.SetMemoryLimit(-1)
	if got < heapHeadroom || got > int64(m.HeapAlloc)+2*heapHeadroom {
		t.Errorf("soft limit %d MiB, live heap %d MiB: want the live heap plus %d MiB", got>>20, m.HeapAlloc>>20, heapHeadroom>>20)
	}

	t.Setenv("GOMEMLIMIT", "900MiB")
	debug.SetMemoryLimit(900 << 20)
	softMemoryLimit(slog.Default())
	if got := debug.SetMemoryLimit(-1); got != 900<<20 {
		t.Errorf("GOMEMLIMIT=900MiB, soft limit now %d MiB", got>>20)
	}
}
