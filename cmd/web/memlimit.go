package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
)

// heapHeadroom is how far the Go heap may grow past its live data at start before the collector
// works to hold it (a soft limit: debug.SetMemoryLimit).
const heapHeadroom = 320 << 20

// softMemoryLimit sets the Go heap's soft limit to its live data once the figures are loaded plus
// heapHeadroom, unless GOMEMLIMIT sets one. With the default GOGC=100 alone the heap grows to twice
// its live data between collections: at 10M records the live heap is about 300 MB (the directory
// and its caches), so a third of the site's memory was garbage waiting (docs/benchmarks.md). Hand
// rolled: the libraries that set GOMEMLIMIT size it from a container's limit, not the live data.
func softMemoryLimit(log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	limit := int64(m.HeapAlloc) + heapHeadroom
	debug.SetMemoryLimit(limit)
	log.Info("go heap soft limit", slog.Int64("live_mib", int64(m.HeapAlloc)>>20), slog.Int64("limit_mib", limit>>20))
}
