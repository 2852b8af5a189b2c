package main

import (
	"context"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// minHeadroom is the least the Go heap may grow past its live data before the collector works to
// hold it (a soft limit: debug.SetMemoryLimit).
const minHeadroom = 320 << 20

// softMemoryLimit sets the Go heap's soft limit to its live data plus as much again, but at least
// minHeadroom more, unless GOMEMLIMIT sets one. With the default GOGC=100 alone the heap grows
// to twice its live data between collections, whatever its size: at 10M records the live heap is
// about 200-300 MB (the directory and its caches) and a third of the site's memory was garbage
// waiting (docs/benchmarks.md). A large heap keeps GOGC's room, so that a reload, which holds two
// snapshots at once, does not keep the collector running. At start (gc) it collects first for a
// true figure; after a reload it takes the live heap the last collection measured. Hand rolled:
// the libraries that set GOMEMLIMIT size it from a container's limit, not the live data.
func softMemoryLimit(log *slog.Logger, gc bool) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	if gc {
		runtime.GC()
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := int64(sample[0].Value.Uint64())
	limit := live + max(live, minHeadroom)
	prev := debug.SetMemoryLimit(limit)
	level := slog.LevelDebug // after a reload, and only when it moved
	if gc {
		level = slog.LevelInfo
	} else if prev>>20 == limit>>20 {
		return
	}
	log.Log(context.Background(), level, "go heap soft limit", slog.Int64("live_mib", live>>20), slog.Int64("limit_mib", limit>>20))
}
