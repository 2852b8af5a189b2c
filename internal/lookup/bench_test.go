package lookup_test

import (
	"testing"

	"github.com/hitwage/hitwage/internal/platform"
)

// BenchmarkRankedHome asks for the best and the worst ten payers, as every home page view does.
func BenchmarkRankedHome(b *testing.B) {
	_, d := loaded(b)
	for b.Loop() {
		if len(d.Ranked(platform.MTurk, 10, 5, false)) == 0 || len(d.Ranked(platform.MTurk, 10, 5, true)) == 0 {
			b.Fatal("no ranked requesters")
		}
	}
}

// BenchmarkSearch runs a search box query with a typo (the fuzzy pass reads every name).
func BenchmarkSearch(b *testing.B) {
	_, d := loaded(b)
	q := []rune(d.All()[0].Name)
	q[1] = 'x'
	query := string(q[:min(len(q), 8)])
	for b.Loop() {
		d.Search(platform.MTurk, query, 50)
	}
}
