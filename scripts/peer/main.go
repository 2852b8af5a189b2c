// Command peer is the hitwage side of scripts/peer-postgres.sh (issue 20): it writes a generated
// market's MTurk task records as one CSV that both systems load, and times hitwage's full
// recompute of a store.
//
//	peer csv --data DIR --out FILE        the store's timed, unflagged MTurk records as CSV
//	peer recompute --data DIR [--trace]   time wages.Recompute on the store; prints seconds
//
// --trace also writes to stderr the process's resident memory whenever it has moved by 200 MiB,
// beside the wage engine's phases (its debug log): where a recompute's peak comes from
// (docs/benchmarks.md, "Memory and growth"; wrap in /usr/bin/time for the peak itself).
//
// The CSV names each record's worker by an MTurk-shaped id made from its reporter pseudonym, so
// that both systems merge the same worker's overlapping tasks.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
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
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peer csv|recompute [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "csv":
		err = cmdCSV(os.Args[2:])
	case "recompute":
		err = cmdRecompute(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (csv, recompute)", os.Args[1])
	}
	store.ShutdownEmbedded()
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}

// csvSQL reads what both systems need of each record, in hitwage's import format. Only timed,
// unflagged MTurk records: the peer's query has no flags to apply.
const csvSQL = `SELECT assignment_id,
	concat('A', upper(substring(reporter, 1, 13))) AS worker_id,
	requester_id, hit_set_id, toString(reward), toString(bonus),
	formatDateTime(assumeNotNull(accepted_at), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC'),
	formatDateTime(assumeNotNull(finished_at), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC'),
	toString(status)
FROM task_records FINAL
WHERE position(requester_id, ':') = 0 AND accepted_at IS NOT NULL AND finished_at IS NOT NULL
	AND finished_at > accepted_at AND dateDiff('second', accepted_at, finished_at) BETWEEN 1 AND 86400
	AND reward >= 0 AND bonus >= 0
FORMAT CSV`

func cmdCSV(args []string) error {
	fs := flag.NewFlagSet("peer csv", flag.ContinueOnError)
	data := fs.String("data", "", "store data directory (required)")
	out := fs.String("out", "", "CSV file to write (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *out == "" {
		return errors.New("csv: --data and --out are required")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: *data, QueryTimeout: time.Hour})
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := s.Query(ctx, strings.TrimSuffix(csvSQL, "FORMAT CSV"), nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "assignment_id,worker_id,requester_id,hit_set_id,reward,bonus,accepted_at,finished_at,status")
	var v [9]string
	n := 0
	for rows.Next() {
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]); err != nil {
			return err
		}
		w.WriteString(strings.Join(v[:], ","))
		w.WriteByte('\n')
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "peer: %d records written to %s\n", n, *out)
	return f.Close()
}

func cmdRecompute(args []string) error {
	fs := flag.NewFlagSet("peer recompute", flag.ContinueOnError)
	data := fs.String("data", "", "store data directory (required)")
	trace := fs.Bool("trace", false, "write the resident memory and the engine's phases to stderr while it runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("recompute: --data is required")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: *data, QueryTimeout: time.Hour})
	if err != nil {
		return err
	}
	defer s.Close()
	w := wages.New(s, wages.Config{})
	t := time.Now()
	if *trace {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
		done := make(chan struct{})
		defer close(done)
		go traceResident(t, done)
	}
	if err := w.Recompute(ctx); err != nil {
		return err
	}
	took := time.Since(t)
	// What a site holds once its figures are computed: the records cache stays until the next recompute.
	if rss, err := residentMiB(); err == nil {
		fmt.Fprintf(os.Stderr, "peer: resident after the recompute: %.0f MiB\n", rss)
	}
	fmt.Printf("%.3f\n", took.Seconds())
	return nil
}

// traceResident writes the resident memory to stderr, every time it has moved by 200 MiB, until done.
func traceResident(start time.Time, done <-chan struct{}) {
	last := 0.0
	for {
		select {
		case <-done:
			return
		case <-time.After(100 * time.Millisecond):
		}
		if m, err := residentMiB(); err == nil && (m > last+200 || m < last-200) {
			last = m
			fmt.Fprintf(os.Stderr, "peer: %6.1fs resident %.0f MiB\n", time.Since(start).Seconds(), m)
		}
	}
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
	return 0, errors.New("no VmRSS in /proc/self/status")
}
