// Command memprobe runs one full recompute of a store and prints how the process's memory moves
// while it runs: its resident memory (VmRSS) whenever it has moved by 200 MiB since the last line,
// the wage engine's phases (its debug log), and what the process holds once the recompute is over.
// docs/benchmarks.md ("Memory and growth") used it to find where a recompute's peak comes from.
//
//	go run ./scripts/memprobe DIR    (a store's data directory; wrap in /usr/bin/time -v for the peak)
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: memprobe DATA_DIR")
		os.Exit(2)
	}
	if err := probe(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "memprobe:", err)
		os.Exit(1)
	}
}

func probe(dir string) error {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: dir, QueryTimeout: time.Hour})
	if err != nil {
		return err
	}
	defer s.Close()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	start := time.Now()
	done := make(chan struct{})
	go func() {
		last := 0.0
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if m, err := residentMiB(); err == nil && (m > last+200 || m < last-200) {
				last = m
				fmt.Fprintf(os.Stderr, "%6.1fs resident %.0f MiB\n", time.Since(start).Seconds(), m)
			}
		}
	}()
	err = wages.New(s, wages.Config{}).Recompute(ctx)
	close(done)
	if err != nil {
		return err
	}
	m, err := residentMiB()
	if err != nil {
		return err
	}
	fmt.Printf("recompute %.1f s; resident after it %.0f MiB\n", time.Since(start).Seconds(), m)
	return nil
}

// residentMiB reads the process's resident memory (VmRSS) from /proc.
func residentMiB() (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}
