package lookup_test

import "testing"

// BenchmarkRankedHome asks for the best and the worst ten payers, as every home page view does.
func BenchmarkRankedHome(b *testing.B) {
	_, d := loaded(b)
	for b.Loop() {
		if len(d.Ranked(10, 5, false)) == 0 || len(d.Ranked(10, 5, true)) == 0 {
			b.Fatal("no ranked requesters")
		}
	}
}
