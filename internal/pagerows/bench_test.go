package pagerows_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/pagerows"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// benchKeeper loads a demo market of 500 requesters and 100,000 records and computes its figures.
func benchKeeper(b *testing.B) (*pagerows.Keeper, []string) {
	k, ids, _, _ := benchSetup(b)
	return k, ids
}

// benchSetup is benchKeeper with the store and the figures.
func benchSetup(b *testing.B) (*pagerows.Keeper, []string, *store.Store, *wages.Wages) {
	b.Helper()
	ctx := context.Background()
	s := storetest.New(b)
	h, err := records.NewHasher([]byte("pagerows-bench-key-0123456789abcdef"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Seed: 3, Requesters: 500, Reporters: 1000, Records: 100_000}); err != nil {
		b.Fatal(err)
	}
	w := wages.New(s, wages.Config{NoRecordCache: true})
	if err := w.Recompute(ctx); err != nil {
		b.Fatal(err)
	}
	figs, err := w.Requesters(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(figs))
	for i, f := range figs {
		ids[i] = f.RequesterID
	}
	return pagerows.New(s, w), ids, s, w
}

// BenchmarkBuild makes every requester's row (the work after a full recompute); rows/s is the rate.
func BenchmarkBuild(b *testing.B) {
	k, ids := benchKeeper(b)
	ctx := context.Background()
	for b.Loop() {
		if err := k.Build(ctx, ids); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadAtOnce reads rows from many goroutines at once, as cold pages under load do: the
// reads share statements.
func BenchmarkReadAtOnce(b *testing.B) {
	k, ids := benchKeeper(b)
	ctx := context.Background()
	if err := k.Build(ctx, ids); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.SetParallelism(32) // 64 readers on two cores, as the cold-page load test's connections
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := ids[int(next.Add(1))%len(ids)]
			if _, ok, err := k.Read(ctx, id); err != nil || !ok {
				b.Errorf("row of %s: ok %v, %v", id, ok, err)
				return
			}
		}
	})
}

// BenchmarkLiveAtOnce is BenchmarkReadAtOnce's peer: the three live reads a page made without a
// kept row (pagerows.Live: the kept figures, the reviews, the source split), from as many goroutines.
func BenchmarkLiveAtOnce(b *testing.B) {
	_, ids, s, w := benchSetup(b)
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := ids[int(next.Add(1))%len(ids)]
			if _, err := pagerows.Live(ctx, s, w, []string{id}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
