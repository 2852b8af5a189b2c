package store_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestReleaseMemory: after a statement that held a few hundred MB, the process keeps that memory
// until ReleaseMemory returns it; a site would otherwise stay at a recompute's peak between
// recomputes.
func TestReleaseMemory(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	if err := s.Exec(ctx, "CREATE TABLE big ENGINE = Memory AS SELECT number, toString(number) AS s, repeat('x', 20) AS pad FROM numbers(8000000)", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, "DROP TABLE big SYNC", nil); err != nil {
		t.Fatal(err)
	}
	before := residentMiB(t)
	if err := s.ReleaseMemory(ctx); err != nil {
		t.Fatal(err)
	}
	after := residentMiB(t)
	t.Logf("resident: %.0f MiB before, %.0f MiB after", before, after)
	// The table held about 8M x (8 + 8 + 20 + offsets) bytes: well over 200 MiB went back.
	if before-after < 200 {
		t.Errorf("resident memory fell by %.0f MiB (%.0f -> %.0f); want the dropped table's memory back", before-after, before, after)
	}
	var n uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM numbers(10)", nil, &n); err != nil || n != 10 {
		t.Fatalf("the store after a release: %d, %v", n, err)
	}
}

// residentMiB is the process's anonymous resident memory (RssAnon): the engine's allocations,
// without the library's file-backed pages, which the kernel may page in or out meanwhile.
func residentMiB(t *testing.T) float64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "RssAnon:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb / 1024
		}
	}
	t.Fatal("no RssAnon in /proc/self/status")
	return 0
}
