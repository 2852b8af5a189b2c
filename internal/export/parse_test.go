package export_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/export"
)

func TestParseTime(t *testing.T) {
	for in, want := range map[string]time.Time{
		"":                          {},
		"2026-11-01":                time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		"2026-11-01T10:30:00+02:00": time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC),
	} {
		got, err := export.ParseTime("from", in)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "2026-13-01", "0001-01-01", "2026-11-01 10:00", "9999-01-01"} {
		_, err := export.ParseTime("to", bad)
		var oe *export.OptionError
		if !errors.As(err, &oe) || oe.Field != "to" || !errors.Is(err, export.ErrBadOptions) {
			t.Errorf("%q: error %v, want an OptionError naming to", bad, err)
		}
	}
}

// FuzzParseTime checks that any accepted value is a UTC time in range, and nothing panics.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-11-01", "2026-11-01T10:30:00Z", "2026-11-01T10:30:00+14:00", "x", "1969-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := export.ParseTime("from", s)
		if err != nil || s == "" {
			return
		}
		if got.Location() != time.UTC || got.Year() < 1969 || got.Year() > 2100 {
			t.Fatalf("%q parsed as %v", s, got)
		}
	})
}
