package reports_test

import (
	"context"
	"testing"

	"github.com/hitwage/hitwage/reports"
)

// BenchmarkBuild builds the fixed data set's monthly report (requester figures of two periods included).
func BenchmarkBuild(b *testing.B) {
	_, builder := fixture(b)
	p, err := reports.ParsePeriod("2026-11")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := builder.Build(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}
