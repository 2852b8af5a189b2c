package reports_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/reports"
)

// TestRefresh: a recent report is rewritten when its period's records change after it was written
// (a late report, a later status), and only then; reports older than the window stay as written.
func TestRefresh(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("report-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	six := []string{"W1", "W2", "W3", "W4", "W5", "W6"}
	w47 := time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC)
	w46 := time.Date(2026, 11, 11, 9, 0, 0, 0, time.UTC)
	w30 := time.Date(2026, 7, 22, 9, 0, 0, 0, time.UTC)
	var recs []records.Record
	recs = append(recs, batch(h, fairID, "Fair Lab", "GFAIR", six, 3, "1.00", 180, w47)...)
	recs = append(recs, batch(h, fairID, "Fair Lab", "GFAIR", six, 3, "1.00", 180, w46)...)
	recs = append(recs, batch(h, fairID, "Fair Lab", "GFAIR", six, 3, "1.00", 180, w30)...)
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	b := &reports.Builder{Store: s, Wages: wages.New(s, wages.Config{}), Revision: "test", BaseURL: "https://hitwage.example",
		Grades: func(string) string { return "" }}
	dir := t.TempDir()
	for _, name := range []string{"2026-W47", "2026-W46", "2026-W30"} {
		if err := reports.Write(dir, build(t, b, name)); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC)
	refresh := func(want ...string) {
		t.Helper()
		got, err := b.Refresh(ctx, dir, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 || len(want) != 0 {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("refresh rewrote %v, want %v", got, want)
			}
		}
	}
	refresh() // nothing changed

	// A late report of a task finished in week 47.
	late := batch(h, fairID, "Fair Lab", "GFAIR", []string{"W7"}, 1, "1.00", 180, w47.Add(24*time.Hour))
	late[0].ReceivedAt = now.Add(-time.Hour)
	if err := records.Insert(ctx, s, late); err != nil {
		t.Fatal(err)
	}
	refresh("2026-W47")
	if got := aboutValue(t, dir, "2026-W47", "records"); got != "19" {
		t.Errorf("2026-W47 records after the refresh = %s, want 19", got)
	}
	refresh() // written again, now current

	// A week-46 task decided later: rejected, reported again.
	again := batch(h, fairID, "Fair Lab", "GFAIR", six[:1], 1, "1.00", 180, w46)
	again[0].Status, again[0].ReceivedAt = records.Rejected, now.Add(-time.Minute)
	if err := records.Insert(ctx, s, again); err != nil {
		t.Fatal(err)
	}
	refresh("2026-W46")
	if got := aboutValue(t, dir, "2026-W46", "records"); got != "18" {
		t.Errorf("2026-W46 records = %s, want 18 (a re-report is the same task)", got)
	}

	// Week 30 ended more than 8 weeks ago: a late record there leaves its report as written.
	old := batch(h, fairID, "Fair Lab", "GFAIR", []string{"W8"}, 1, "1.00", 180, w30.Add(time.Hour))
	if err := records.Insert(ctx, s, old); err != nil {
		t.Fatal(err)
	}
	refresh()
	if got := aboutValue(t, dir, "2026-W30", "records"); got != "18" {
		t.Errorf("2026-W30 records = %s, want 18 (out of the refresh window)", got)
	}

	// A report written before fingerprints existed is rewritten once.
	about := filepath.Join(dir, "2026-W47", "about.csv")
	body, err := os.ReadFile(about)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, "data fingerprint,") {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(about, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	refresh("2026-W47")
	refresh()
}

// aboutValue reads one row of a written report's about table.
func aboutValue(t *testing.T, dir, period, item string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, period, "about.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r[0] == item {
			return r[1]
		}
	}
	t.Fatalf("%s: no %q in about.csv", period, item)
	return ""
}
