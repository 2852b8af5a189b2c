package ingest

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	ok := map[string]time.Duration{
		"390":         390 * time.Second,
		"390.4":       390*time.Second + 400*time.Millisecond,
		"390s":        390 * time.Second,
		"390 sec":     390 * time.Second,
		"390 seconds": 390 * time.Second,
		"6.5 min":     390 * time.Second,
		"6.5min":      390 * time.Second,
		"6 Minutes":   6 * time.Minute,
		"6m30s":       390 * time.Second,
		"6 min 30 s":  390 * time.Second,
		"1h 2m 3s":    3723 * time.Second,
		"1.5 hours":   90 * time.Minute,
		"6:30":        390 * time.Second,
		"06:30":       390 * time.Second,
		"00:06:30":    390 * time.Second,
		"1:02:03":     3723 * time.Second,
		"25:00:00":    25 * time.Hour,
		"0:59.5":      59500 * time.Millisecond,
		"PT6M30S":     390 * time.Second,
		" 90 secs ":   90 * time.Second,
	}
	for in, want := range ok {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "6:", ":30", "6:60", "1:2:3:4", "-5", "5 fortnights", "6::30", "1e400", "NaN",
		"6:-3", "s", "9999999999999", "1:60:00", "-1:30"} {
		if d, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, d)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"6:30", "00:06:30", "390s", "6.5 min", "1h 2m", "PT6M30S", "0:59.5", "", "::", "1e9h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 || d > maxParsedDuration+time.Second {
			t.Fatalf("ParseDuration(%q) = %v, outside [0, %v]", s, d, maxParsedDuration)
		}
	})
}
