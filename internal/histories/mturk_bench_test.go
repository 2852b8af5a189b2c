package histories

import (
	"io"
	"testing"
)

// mturkBackupReader produces a HIT Tracker backup of n hits as it is read, so the benchmark
// measures the reader, not a file held in memory.
type mturkBackupReader struct {
	n, i int
	buf  []byte
	done bool
}

func (g *mturkBackupReader) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		switch {
		case g.done:
			return 0, io.EOF
		case g.i == 0 && g.n > 0:
			g.buf = append([]byte(`{"hits": [`), mturkBackupHit(0)...)
		case g.i < g.n:
			g.buf = append([]byte(",\n"), mturkBackupHit(g.i)...)
		default:
			g.buf = []byte(`], "days": [{"date": "20260901", "submitted": 3, "paid": null, "earnings": "4.50"}]}`)
			g.done = true
		}
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// BenchmarkHitTrackerRead reads a 1,000,000-hit backup through Next (compare with the CSV
// import rate in docs/benchmarks.md).
func BenchmarkHitTrackerRead(b *testing.B) {
	const hits = 1_000_000
	records := 0
	for b.Loop() {
		r, err := openMTurk(HitTracker, &mturkBackupReader{n: hits}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			it, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil || it.Err != nil {
				b.Fatal(err, it)
			}
			n++
		}
		if n != hits || len(r.Days()) != 1 {
			b.Fatalf("%d records, %d days", n, len(r.Days()))
		}
		records += n
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
