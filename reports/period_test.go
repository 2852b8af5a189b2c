package reports_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hitwage/hitwage/reports"
)

func TestParsePeriod(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		in, kind, prev string
		from, to       time.Time
	}{
		{"2026-W47", reports.Weekly, "2026-W46", day(2026, 11, 16), day(2026, 11, 23)},
		{"2026-W01", reports.Weekly, "2025-W52", day(2025, 12, 29), day(2026, 1, 5)},
		{"2026-W53", reports.Weekly, "2026-W52", day(2026, 12, 28), day(2027, 1, 4)}, // 2026 has 53 ISO weeks
		{"2021-W01", reports.Weekly, "2020-W53", day(2021, 1, 4), day(2021, 1, 11)},
		{"2026-11", reports.Monthly, "2026-10", day(2026, 11, 1), day(2026, 12, 1)},
		{"2026-01", reports.Monthly, "2025-12", day(2026, 1, 1), day(2026, 2, 1)},
	} {
		p, err := reports.ParsePeriod(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if p.Name != c.in || p.Kind != c.kind || !p.From.Equal(c.from) || !p.To.Equal(c.to) || p.Previous().Name != c.prev {
			t.Errorf("%s: got %+v (previous %s)", c.in, p, p.Previous().Name)
		}
	}
	for _, bad := range []string{"", "2026", "2026-W54", "2025-W53", "2026-W00", "2026-13", "2026-00", "2026-w47", "26-11", "2026-11-01", "../etc", "2026-W47.md", "1999-12"} {
		if _, err := reports.ParsePeriod(bad); !errors.Is(err, reports.ErrPeriod) {
			t.Errorf("%q: error %v, want ErrPeriod", bad, err)
		}
	}
}

func TestLastComplete(t *testing.T) {
	now := time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC) // a Wednesday
	if got := reports.LastComplete(reports.Weekly, now).Name; got != "2026-W47" {
		t.Errorf("last complete week %s, want 2026-W47", got)
	}
	if got := reports.LastComplete(reports.Monthly, now).Name; got != "2026-10" {
		t.Errorf("last complete month %s, want 2026-10", got)
	}
}

// FuzzParsePeriod checks that any accepted name round-trips and spans a week or a month.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-W47", "2026-11", "2026-W53", "2025-W53", "x", "2026-W9", "9999-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := reports.ParsePeriod(s)
		if err != nil {
			return
		}
		if p.Name != s {
			t.Fatalf("%q parsed as %q", s, p.Name)
		}
		days := p.To.Sub(p.From).Hours() / 24
		if (p.Kind == reports.Weekly && days != 7) || (p.Kind == reports.Monthly && (days < 28 || days > 31)) {
			t.Fatalf("%q spans %v days", s, days)
		}
	})
}
