package wages_test

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// genSQL generates a market in ClickHouse: {n} records from {offset}, {req} requesters with a long
// tail (requester k gets a share falling like a cubic), 4 HIT groups each with their own reward,
// {rep} reporters each working roughly one task every 15 minutes (jitter makes some overlap),
// log-normal-ish task times and the usual spread of statuses.
const genSQL = `INSERT INTO task_records (requester_id, record_key, reporter, hit_set_id, requester_name, title,
	reward, bonus, accepted_at, finished_at, duration_seconds, status, decided_at, allotted_seconds, received_at, version)
SELECT
	concat('A', toString(req)) AS requester_id,
	concat('k', toString(n)) AS record_key,
	concat('w', toString(n % {rep:UInt64})) AS reporter,
	concat('3G', toString(req * 4 + cityHash64(n, 4) % 4)) AS hit_set_id,
	concat('Requester ', toString(req)) AS requester_name,
	'Generated task' AS title,
	toDecimal64((cityHash64(req * 4 + cityHash64(n, 4) % 4) % 200 + 1) / 100, 2) AS reward,
	toDecimal64(if(cityHash64(n, 5) % 40 = 0, 0.25, 0), 2) AS bonus,
	toDateTime64('2026-01-05 00:00:00', 3, 'UTC') + toIntervalSecond(intDiv(n, {rep:UInt64}) * 900 + cityHash64(n, 6) % 600) AS accepted_at,
	accepted_at + toIntervalSecond(secs) AS finished_at,
	secs AS duration_seconds,
	multiIf(st < 80, 'approved', st < 87, 'pending', st < 92, 'rejected', st < 96, 'returned', 'abandoned') AS status,
	if(st < 80 OR (st >= 87 AND st < 92), finished_at + toIntervalSecond(3600 + cityHash64(n, 7) % 200000), NULL) AS decided_at,
	3600 AS allotted_seconds,
	finished_at AS received_at,
	1 AS version
FROM (
	SELECT number + {offset:UInt64} AS n,
		toUInt64(pow((cityHash64(n, 3) % 1000000) / 1000000, 3) * {req:UInt64}) AS req,
		toUInt32(20 + exp(4.5 + ((cityHash64(n, 1) % 1000) / 1000 - 0.5) * 2.5)) AS secs,
		cityHash64(n, 2) % 100 AS st
	FROM numbers({n:UInt64})
)`

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
	err := s.Exec(benchCtx(b), genSQL, store.Args{"n": n, "offset": uint64(0), "req": n / 200, "rep": n / 100})
	if err != nil {
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
	_, w, n := generated(b)
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if err := w.Recompute(benchCtx(b)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(n), "records")
}

func BenchmarkRequesterLookup(b *testing.B) {
	_, w, _ := generated(b)
	ctx := benchCtx(b)
	if err := w.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		if _, err := w.Requester(ctx, "A"+strconv.Itoa(i%1000)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupsLookup(b *testing.B) {
	_, w, _ := generated(b)
	ctx := benchCtx(b)
	if err := w.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := w.Groups(ctx, "A7"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRequesterRangeLive computes one requester's figures for a week straight from the records.
func BenchmarkRequesterRangeLive(b *testing.B) {
	_, w, _ := generated(b)
	ctx := benchCtx(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := w.RequesterTrend(ctx, "A7"); err != nil {
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
		err := s.Exec(ctx, genSQL, store.Args{"n": uint64(10_000), "offset": offset, "req": n / 200, "rep": n / 100})
		if err != nil {
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
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = "A" + strconv.Itoa(i*7)
	}
	b.ResetTimer()
	for b.Loop() {
		if got := r.Lookup(ids); len(got) == 0 {
			b.Fatal("no ratings")
		}
	}
}
