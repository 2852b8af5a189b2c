package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// benchRecords is how many tasks the history benchmarks import: HITWAGE_BENCH_RECORDS, default 1,000,000.
func benchRecords() int {
	if n, err := strconv.Atoi(os.Getenv("HITWAGE_BENCH_RECORDS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// writeHistoryBench writes the same n tasks as an MTurk Suite backup and as hitwage's CSV (the
// peer: the import the issue asks the backup to keep up with), untimed in both.
func writeHistoryBench(b *testing.B, n int) (backup, csv string) {
	b.Helper()
	dir := b.TempDir()
	backup, csv = filepath.Join(dir, "HIT_Tracker_Backup_20260930.json"), filepath.Join(dir, "history.csv")
	write := func(path string, head, tail string, row func(i int, w *bufio.Writer)) {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		w.WriteString(head)
		for i := 0; i < n; i++ {
			row(i, w)
		}
		w.WriteString(tail)
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	states := []string{"Paid", "Approved", "Rejected", "Pending", "Returned"}
	write(backup, `{"days": [{"date": "20260901", "submitted": 3, "paid": null, "earnings": "4.50"}], "hits": [`, "]}", func(i int, w *bufio.Writer) {
		if i > 0 {
			w.WriteString(",\n")
		}
		fmt.Fprintf(w, `{"hit_id": "3BNHHIT%023d", "assignment_id": "3BNHASG%023d", "requester_id": "A3BNH%010d", `+
			`"requester_name": "Requester %d", "title": "Task %d of a long backup", "reward": {"amount_in_dollars": %d.%02d, "currency_code": "USD"}, `+
			`"state": "%s", "date": "202609%02d", "requester_feedback": null, "source": "https://example.invalid/?a=%d", "answer": {"q1": "an answer"}}`,
			i, i, i%3000, i%3000, i%5000, i%3, i%100, states[i%len(states)], 1+i%28, i)
	})
	pacific := time.FixedZone("PDT", -7*3600)
	write(csv, "assignment_id,hit_id,requester_id,requester_name,title,reward,finished_at,status\n", "", func(i int, w *bufio.Writer) {
		day := time.Date(2026, 9, 1+i%28, 0, 0, 0, 0, pacific)
		fmt.Fprintf(w, "3BNHASG%023d,3BNHHIT%023d,A3BNH%010d,Requester %d,Task %d of a long backup,%d.%02d,%s,%s\n",
			i, i, i%3000, i%3000, i%5000, i%3, i%100, day.Format(time.RFC3339), states[i%len(states)])
	})
	return backup, csv
}

// BenchmarkImportHistory imports n tasks through the collector's import (read through once,
// then stored) from an MTurk Suite backup and, as the peer in the same run, from hitwage's CSV,
// each into a fresh database; it reports records/s.
func BenchmarkImportHistory(b *testing.B) {
	n := benchRecords()
	backup, csv := writeHistoryBench(b, n)
	h, err := records.NewHasher([]byte("bench-import-history-key"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		format     histories.Format
	}{{"mturk-suite", backup, histories.HitTracker}, {"csv", csv, ingest.CSV}} {
		b.Run(c.name, func(b *testing.B) {
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := storetest.New(b)
				imp := &importer{stdout: io.Discard, s: s, h: h}
				imp.do = func(r io.Reader, opts ingest.ImportOptions) (ingest.FileReport, error) {
					return ingest.Import(context.Background(), s, h, r, opts)
				}
				b.StartTimer()
				t0 := time.Now()
				err := imp.file(context.Background(), c.path, "", histories.Options{}, ingest.ImportOptions{Name: c.path, WorkerID: "A1BENCHWORKER1"})
				elapsed += time.Since(t0)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				var stored uint64
				if err := s.QueryRow(context.Background(), "SELECT count() FROM task_records", nil, &stored); err != nil || stored != uint64(n) {
					b.Fatalf("%d records stored (%v), want %d", stored, err, n)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/elapsed.Seconds(), "records/s")
		})
	}
}
