package export_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// generateSQL writes n synthetic task records: 500 requesters, 5,000 reporters, 20,000 HIT groups,
// spread over 60 days from 2026-10-01.
const generateSQL = `INSERT INTO task_records (requester_id, record_key, reporter, hit_set_id, hit_id, assignment_id,
    requester_name, title, reward, bonus, accepted_at, finished_at, duration_seconds, status, decided_at,
    allotted_seconds, source, received_at, version)
SELECT
    concat('R', toString(number % 500)),
    concat('k', toString(number)),
    lower(hex(SHA256(toString(number % 5000)))),
    concat('G', toString(number % 20000)),
    concat('H', toString(number)),
    concat('A', toString(number)),
    concat('Requester ', toString(number % 500)),
    concat('Task title ', toString(number % 20000)),
    toDecimal32((number % 200) / 100, 2),
    toDecimal32(0, 2),
    toDateTime64('2026-10-01 00:00:00', 3, 'UTC') + toIntervalMillisecond((number * 1037) % (60 * 86400000)) AS acc,
    acc + toIntervalSecond(30 + number % 900),
    toUInt32(30 + number % 900),
    ['approved', 'pending', 'rejected', 'returned', 'approved'][1 + number % 5],
    NULL,
    1800,
    '',
    acc + toIntervalSecond(1000),
    1
FROM numbers({n:UInt64})`

// status reads a field of /proc/self/status in kB.
func status(tb testing.TB, field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			v, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return v
		}
	}
	tb.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// resetPeak resets the process's peak RSS (VmHWM) to its current RSS.
func resetPeak(tb testing.TB) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Skipf("cannot reset peak RSS: %v", err)
	}
}

// countingWriter counts bytes and lines (rows of CSV and NDJSON).
type countingWriter struct{ n, lines int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	c.lines += int64(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// BenchmarkExport5M streams exports of 5,000,000 task records (and of 1,000,000, to compare) in each
// format and reports throughput and the process's peak RSS above its RSS before the export (chDB runs
// in-process, so this is the whole engine's memory). Run: go test ./internal/export -run - -bench Export5M -benchtime 1x
func BenchmarkExport5M(b *testing.B) {
	ctx := context.Background()
	s := storetest.New(b)
	start := time.Now()
	if err := s.Exec(ctx, generateSQL, store.Args{"n": uint64(5_000_000)}); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated 5,000,000 records in %v; RSS %.0f MB", time.Since(start).Round(time.Millisecond), status(b, "VmRSS")/1024)
	e := &export.Exporter{Store: s, Revision: "bench"}
	for _, c := range []struct {
		name     string
		from, to time.Time
	}{
		{"1M", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 13, 0, 0, 0, 0, time.UTC)},
		{"5M", time.Time{}, time.Time{}},
	} {
		for _, f := range []string{"csv", "ndjson", "parquet"} {
			b.Run(c.name+"/"+f, func(b *testing.B) {
				for range b.N {
					o := export.Options{Dataset: "records", Format: f, From: c.from, To: c.to}
					if _, err := e.About(ctx, &o); err != nil {
						b.Fatal(err)
					}
					before := status(b, "VmRSS")
					resetPeak(b)
					var cw countingWriter
					var sink io.Writer = &cw
					var file *os.File
					if f == "parquet" { // kept to read back
						var err error
						if file, err = os.Create(filepath.Join(b.TempDir(), "export.parquet")); err != nil {
							b.Fatal(err)
						}
						sink = io.MultiWriter(&cw, file)
					}
					bw := bufio.NewWriterSize(sink, 1<<20)
					t0 := time.Now()
					if err := e.Write(ctx, o, bw); err != nil {
						b.Fatal(err)
					}
					if err := bw.Flush(); err != nil {
						b.Fatal(err)
					}
					el := time.Since(t0)
					peak := status(b, "VmHWM")
					b.ReportMetric(float64(cw.n)/1e6, "MB_out")
					if f != "parquet" {
						b.ReportMetric(float64(cw.lines), "lines")
					}
					b.ReportMetric(el.Seconds(), "s_export")
					b.ReportMetric(before/1024, "MB_rss_before")
					b.ReportMetric(peak/1024, "MB_rss_peak")
					b.ReportMetric((peak-before)/1024, "MB_rss_growth")
					if file != nil {
						_ = file.Close()
						var rows uint64
						if err := s.QueryRow(ctx, "SELECT count() FROM file({p:String}, 'Parquet')", store.Args{"p": file.Name()}, &rows); err != nil {
							b.Fatal(err)
						}
						b.ReportMetric(float64(rows), "rows_read_back")
					}
				}
			})
		}
	}
}
