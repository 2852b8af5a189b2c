package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// benchFile writes a generated import file of about HITWAGE_BENCH_MB megabytes (default 50)
// in the given format and returns its path and record count.
func benchFile(b *testing.B, format string) (string, int) {
	b.Helper()
	mb := 50
	if v, err := strconv.Atoi(os.Getenv("HITWAGE_BENCH_MB")); err == nil && v > 0 {
		mb = v
	}
	path := filepath.Join(b.TempDir(), "bench."+format)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if format == "csv" {
		fmt.Fprintln(w, "assignment_id,hit_set_id,requester_id,requester_name,title,reward,accepted_at,finished_at,status")
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n, size := 0, 0
	for size < mb<<20 {
		acc := start.Add(time.Duration(n) * 7 * time.Second)
		fin := acc.Add(time.Duration(30+n%900) * time.Second)
		var line string
		if format == "csv" {
			line = fmt.Sprintf("3BNASG%024d,3BNGRP%024d,A3BENCHREQ%05d,Bench Requester %d,\"Survey about topic %d, part two\",%d.%02d,%s,%s,%s\n",
				n, n%5000, n%3000, n%3000, n%5000, n%3, n%100, acc.Format(time.RFC3339), fin.Format(time.RFC3339), statuses[n%4])
		} else {
			line = fmt.Sprintf(`{"assignment_id":"3BNASG%024d","hit_set_id":"3BNGRP%024d","hit_id":"3BNHIT%024d","requester_id":"A3BENCHREQ%05d",`+
				`"requester_name":"Bench Requester %d","title":"Survey about topic %d","reward":"%d.%02d","bonus":"0.00",`+
				`"accepted_at":"%s","finished_at":"%s","status":"%s","allotted_seconds":3600}`+"\n",
				n, n%5000, n, n%3000, n%3000, n%5000, n%3, n%100, acc.Format(time.RFC3339), fin.Format(time.RFC3339), statuses[n%4])
		}
		w.WriteString(line)
		size += len(line)
		n++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, n
}

var statuses = []string{"submitted", "approved", "approved", "rejected"}

func BenchmarkImportNDJSON(b *testing.B) { benchImport(b, "ndjson", false) }
func BenchmarkImportCSV(b *testing.B)    { benchImport(b, "csv", false) }

// BenchmarkReimportCSV imports the file into a store that holds every one of its tasks
// already: each batch is looked up in the store, and the report counts only duplicates.
func BenchmarkReimportCSV(b *testing.B) { benchImport(b, "csv", true) }

// benchImport imports a generated file into a fresh database per iteration (after an
// untimed import of the same file when again is set) and reports records/s, MB/s, the Go
// heap's peak, the process's peak RSS (chDB included) and the CPU time per record.
func benchImport(b *testing.B, format string, again bool) {
	path, n := benchFile(b, format)
	st, _ := os.Stat(path)
	h := testHasher(b)
	var peakHeap uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				peakHeap = max(peakHeap, ms.HeapAlloc)
			}
		}
	}()
	imp := func(s *store.Store) ingest.FileReport {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		rep, err := ingest.Import(context.Background(), s, h, f, ingest.ImportOptions{Name: path, BatchSize: benchBatch()})
		if err != nil {
			b.Fatalf("import: %v", err)
		}
		return rep
	}
	var elapsed, cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := storetest.New(b)
		if again {
			imp(s)
		}
		c0 := cpuTime()
		b.StartTimer()
		t0 := time.Now()
		rep := imp(s)
		elapsed += time.Since(t0)
		b.StopTimer()
		cpu += cpuTime() - c0
		stored, dups := n, 0
		if again {
			stored, dups = 0, n
		}
		if rep.Stored != stored || rep.Duplicates != dups || rep.Rejected != 0 {
			b.Fatalf("report %+v, want %d stored and %d duplicates", rep, stored, dups)
		}
		b.StartTimer()
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	secs := elapsed.Seconds() / float64(b.N)
	b.ReportMetric(float64(n)/secs, "records/s")
	b.ReportMetric(float64(st.Size())/secs/1e6, "MB/s")
	b.ReportMetric(float64(st.Size())/1e6, "file_MB")
	b.ReportMetric(float64(peakHeap)/1e6, "peak_heap_MB")
	b.ReportMetric(float64(ru.Maxrss)/1e3, "peak_rss_MB")
	// CPU time of the process (Go and engine, user and system) per record while importing:
	// what the import costs, whatever else the machine is doing.
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu_µs/record")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchBatch() int {
	n, _ := strconv.Atoi(os.Getenv("HITWAGE_BENCH_BATCH"))
	return n
}
