package wages_test

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// benchEnd is where the generated market's time range ends: fixed, so runs on different days read the same data.
var benchEnd = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// market writes records [offset, offset+n) of the generated market of size records (demo.Market:
// size/200 requesters with a long tail, size/100 reporters).
func market(ctx context.Context, s *store.Store, size, offset, n uint64) error {
	return demo.Market(ctx, s, demo.MarketOptions{Records: n, Offset: offset, Requesters: size / 200, Reporters: size / 100, End: benchEnd})
}

// requesterIDs returns up to n requester ids of the store, the largest (most records) first.
func requesterIDs(b *testing.B, s *store.Store, n int) []string {
	b.Helper()
	rows, err := s.Query(benchCtx(b), "SELECT requester_id FROM task_records GROUP BY requester_id ORDER BY count() DESC, requester_id LIMIT {n:UInt64}",
		store.Args{"n": uint64(n)})
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) < 8 {
		b.Fatalf("%d requesters generated, want at least 8", len(ids))
	}
	return ids
}

// benchCtx gives generous time: the store's default 30-second query timeout is for requests.
func benchCtx(b *testing.B) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	b.Cleanup(cancel)
	return ctx
}

func benchSize() uint64 {
	if v, err := strconv.ParseUint(os.Getenv("HITWAGE_BENCH_RECORDS"), 10, 64); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// generated returns a store holding a generated market of benchSize() records and 1 requester per 200 records.
func generated(b *testing.B) (*store.Store, *wages.Wages, uint64) {
	b.Helper()
	if os.Getenv("HITWAGE_BENCH_TRACE") != "" { // log each step of a run (copy, overlaps, scopes) with its time
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	n := benchSize()
	s := storetest.New(b)
	if err := market(benchCtx(b), s, n, 0, n); err != nil {
		b.Fatal(err)
	}
	return s, wages.New(s, wages.Config{}), n
}

// cpuTime is the process's CPU time so far, the embedded engine's threads included. Reported per
// op beside the wall time, it says what an op costs when other work shares the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkRecompute(b *testing.B) {
	s, w, n := generated(b)
	benchRecompute(b, s, w, n)
}

// BenchmarkRecomputeNoRecordCache is BenchmarkRecompute keeping no records cache (what the cache
// costs a recompute: the flagged records' identities and every record's version are read too).
func BenchmarkRecomputeNoRecordCache(b *testing.B) {
	s, _, n := generated(b)
	benchRecompute(b, s, wages.New(s, wages.Config{NoRecordCache: true}), n)
}

func benchRecompute(b *testing.B, s *store.Store, w *wages.Wages, n uint64) {
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if err := w.Recompute(benchCtx(b)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(n), "records")
	b.ReportMetric(float64(runTables(b, s, "Memory"))/float64(n), "kept-B/record")
	b.ReportMetric(float64(runTables(b, s, "MergeTree"))/float64(n), "disk-B/record")
}

// runTables is the bytes of the store's tables of engine: between runs, the records cache (on disk,
// MergeTree) and its flagged records (in memory) alone.
func runTables(b *testing.B, s *store.Store, engine string) uint64 {
	var n uint64
	err := s.QueryRow(benchCtx(b), "SELECT sum(total_bytes) FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'wage_run_') AND engine = {e:String}",
		store.Args{"e": engine}, &n)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

func BenchmarkRequesterLookup(b *testing.B) {
	s, w, _ := generated(b)
	ids := requesterIDs(b, s, 1000)
	ctx := benchCtx(b)
	if err := w.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		if _, err := w.Requester(ctx, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupsLookup(b *testing.B) {
	s, w, _ := generated(b)
	big := requesterIDs(b, s, 8)[7] // one of the largest requesters
	ctx := benchCtx(b)
	if err := w.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := w.Groups(ctx, big); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRequesterRangeLive computes one requester's figures for a week straight from the records.
func BenchmarkRequesterRangeLive(b *testing.B) {
	s, w, _ := generated(b)
	big := requesterIDs(b, s, 8)[7]
	ctx := benchCtx(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := w.RequesterTrend(ctx, big); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdate10k times Update after a batch of 10,000 new records (the insert itself is not timed),
// with the default StaleShare: requesters whose new records are under 1 % of those counted wait for
// the next Recompute.
func BenchmarkUpdate10k(b *testing.B) { benchUpdate(b, wages.Config{}) }

// BenchmarkUpdate10kEvery is BenchmarkUpdate10k recomputing every requester that received records.
func BenchmarkUpdate10kEvery(b *testing.B) { benchUpdate(b, wages.Config{StaleShare: -1}) }

func benchUpdate(b *testing.B, cfg wages.Config) {
	s, _, n := generated(b)
	w := wages.New(s, cfg)
	ctx := benchCtx(b)
	if err := w.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := w.Update(ctx); err != nil { // nothing to do: Recompute covered everything
		b.Fatal(err)
	}
	offset := n
	touched := 0
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		if err := market(ctx, s, n, offset, 10_000); err != nil {
			b.Fatal(err)
		}
		offset += 10_000
		b.StartTimer()
		c := cpuTime()
		k, err := w.Update(ctx)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c
		touched += k
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(touched)/float64(b.N), "requesters/op")
}

// BenchmarkRatingsRefresh rebuilds the ratings snapshot from precomputed figures and reviews.
func BenchmarkRatingsRefresh(b *testing.B) {
	s, w, _ := generated(b)
	ctx := benchCtx(b)
	if err := w.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	r := ratings.New(s, w, ratings.Config{})
	b.ResetTimer()
	for b.Loop() {
		if err := r.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRatingsLookup100 looks up 100 requesters at once in the snapshot, as a userscript asks.
func BenchmarkRatingsLookup100(b *testing.B) {
	s, w, _ := generated(b)
	ctx := benchCtx(b)
	r := ratings.New(s, w, ratings.Config{})
	if err := r.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	var ids []string // every 7th of the 700 largest
	for i, id := range requesterIDs(b, s, 700) {
		if i%7 == 0 {
			ids = append(ids, id)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if got := r.Lookup(ids); len(got) == 0 {
			b.Fatal("no ratings")
		}
	}
}
