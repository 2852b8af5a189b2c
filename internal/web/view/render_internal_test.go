package view

import (
	"testing"

	"github.com/hitwage/hitwage/internal/web/site"
)

// Counts on pages, cards and group pages say "1 report", not "1 reports", whatever integer type
// the count has.
func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    any
		want string
	}{
		{uint64(1), "1 report"}, {uint64(3), "3 reports"}, {0, "0 reports"}, {int64(1), "1 report"}, {uint32(12), "12 reports"},
	} {
		if got := site.Plural(c.n, "report"); got != c.want {
			t.Errorf("plural(%v) = %q, want %q", c.n, got, c.want)
		}
	}
	if got := anchor("GET", "/api/v1/requesters/{id}"); got != "get-api-v1-requesters-id" {
		t.Errorf("anchor = %q", got)
	}
}
