package reports_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/reports"
)

// Prolific researchers of the two-platform store: one paying in pounds, one in dollars; and an
// MTurk requester of the archive, whose records end before MTurk closed.
const (
	poundsRes  = "5f0a1b2c3d4e5f60718293a4"
	dollarsRes = "6a1b2c3d4e5f60718293a4b5"
	archiveReq = "AMTURKARCHIVE001"
)

// twoPlatforms builds a store with both platforms' records, each by six workers: in week
// 2026-W47 the pounds researcher pays £1.50 for 10 minutes (£9.00/h) three times and screens each
// worker out once (unpaid: £6.75/h over the four), the dollars researcher $2.34 (= £1.80 at the shipped 1.30, £10.80/h); MTurk's
// requester pays $1.00 in week 2026-W39, before the closure.
func twoPlatforms(t *testing.T) *reports.Builder {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("report-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	add := func(p platform.ID, req, group, cur, reward string, w int, at time.Time, st records.Status) {
		fin := at.Add(10 * time.Minute)
		recs = append(recs, records.Record{RequesterID: platform.Key(p, req), Reporter: h.Reporter("worker", fmt.Sprint("W", w)),
			HitSetID: group, AssignmentID: fmt.Sprintf("%s-%d-%d", req, w, at.Unix()), RequesterName: "Lab " + req[:6],
			Title: "Study", Reward: decimal.RequireFromString(reward), Currency: cur, AcceptedAt: &at, FinishedAt: &fin,
			DurationSeconds: 600, Status: st, AllottedSeconds: 3600, Source: "test", ReceivedAt: fin})
	}
	w47, w39 := time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC), time.Date(2026, 9, 22, 9, 0, 0, 0, time.UTC)
	for w := range 6 {
		for i := range 3 {
			at := w47.Add(time.Duration(w)*time.Hour + time.Duration(i)*11*time.Minute)
			add(platform.Prolific, poundsRes, "65aa00bb11cc22dd33ee44ff", "GBP", "1.50", w, at, records.Approved)
			add(platform.Prolific, dollarsRes, "75bb11cc22dd33ee44ff0011", "USD", "2.34", w, at.Add(24*time.Hour), records.Approved)
			add(platform.MTurk, archiveReq, "3ARCHIVEGROUP00000000000000001", "USD", "1.00", w, w39.Add(time.Duration(w*3+i)*11*time.Minute), records.Approved)
		}
		add(platform.Prolific, poundsRes, "65aa00bb11cc22dd33ee44ff", "GBP", "0.00", w, w47.Add(48*time.Hour+time.Duration(w)*time.Hour), records.ScreenedOut)
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	return &reports.Builder{Store: s, Wages: wages.New(s, wages.Config{}), Revision: "test", BaseURL: "https://hitwage.example",
		Grades: func(string) string { return "" }}
}

// TestProlificReport: a Prolific report is in pounds, says so, lists Prolific's researchers alone
// under their own ids, converts the researcher paying in dollars, and lives at its own path.
func TestProlificReport(t *testing.T) {
	b := twoPlatforms(t).ForPlatform(platform.Prolific)
	r := build(t, b, "2026-W47")
	if r.NoData || r.Currency != "GBP" || r.Title != "hitwage Prolific weekly wage report 2026-W47" ||
		r.URL != "https://hitwage.example/reports/prolific/2026-W47" || r.Path != "/reports/prolific/2026-W47" {
		t.Fatalf("report %q in %s at %s (%s), no data %v", r.Title, r.Currency, r.URL, r.Path, r.NoData)
	}
	files, err := r.Files()
	if err != nil {
		t.Fatal(err)
	}
	md := string(files["report.md"])
	for _, want := range []string{
		"Effective hourly wage £",
		"% of work time paid under £6.00/h",
		"under the £9.00/h target",
		"| currency | GBP |",
		"| platform | Prolific |",
		"Amounts are in GBP, Prolific's market currency",
		"Researchers paying in USD are a market of their own: 18 tasks reported by 6 workers, effective hourly wage $14.04.",
		"## The 20 largest researchers by reported tasks",
		"| rank | researcher | researcher id | tasks | of them without a time | reporters | effective £/h | nominal £/h | median £/h | % of time under £6.00/h | grade |",
		"| 1 | Lab 5f0a1b | " + poundsRes + " | 24 | 0 | 6 | 6.75 | 9.00 | 9.00 | 25.0 |",
		"| 2 | Lab 6a1b2c | " + dollarsRes + " | 18 | 0 | 6 | 10.80 | 10.80 | 10.80 | 0.0 |",
		"| screened out | 6 |",
		"https://hitwage.example/reports/prolific/2026-W47",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Prolific report lacks %q:\n%s", want, md)
		}
	}
	for n, f := range files {
		for _, bad := range []string{archiveReq, "prolific:", "HIT supply", "$/h", "US federal"} {
			if bytes.Contains(f, []byte(bad)) {
				t.Errorf("Prolific report's %s contains %q", n, bad)
			}
		}
	}
	dist, _ := r.Table("distribution")
	if dist.Head[0] != "£/h from" || dist.Rows[4][2] != "18" || dist.Rows[5][2] != "18" || dist.Rows[0][2] != "6" {
		t.Errorf("distribution in pounds (screen-outs at £0, £9.00/h, $14.04/h as £10.80/h): %v %v", dist.Head, dist.Rows[:6])
	}
	html := string(files["report.html"])
	for _, want := range []string{`href="/reports/prolific/2026-W47.md"`, `href="/reports/prolific/2026-W47/requesters.csv"`, "tasks per £2/h bin"} {
		if !strings.Contains(html, want) {
			t.Errorf("Prolific report HTML lacks %q", want)
		}
	}

	// MTurk's report of its last week holds none of it.
	mr := build(t, b.ForPlatform(platform.MTurk), "2026-W39")
	if mr.NoData || mr.Path != "/reports/2026-W39" || mr.Currency != "USD" {
		t.Errorf("MTurk report at %s in %s, no data %v", mr.Path, mr.Currency, mr.NoData)
	}
	m, err := mr.Files()
	if err != nil {
		t.Fatal(err)
	}
	for n, f := range m {
		if bytes.Contains(f, []byte(poundsRes)) || bytes.Contains(f, []byte(dollarsRes)) || bytes.Contains(f, []byte("£")) {
			t.Errorf("MTurk report's %s holds Prolific's figures", n)
		}
	}
}

// TestJobsWriteEveryPlatform: the scheduled jobs write each platform's reports into its folder
// (MTurk's where they always were), and write no empty report of MTurk after it closed.
func TestJobsWriteEveryPlatform(t *testing.T) {
	ctx := context.Background()
	b := twoPlatforms(t)
	root := t.TempDir()
	exists := func(path string) bool {
		_, err := os.Stat(filepath.Join(root, path, "report.md"))
		return err == nil
	}
	// Week 39, before the closure: both platforms' reports (Prolific's without data).
	if err := reports.Job(b, root, reports.Weekly, func() time.Time { return time.Date(2026, 9, 28, 6, 0, 0, 0, time.UTC) }).Run(ctx); err != nil {
		t.Fatal(err)
	}
	// Week 47, after it: Prolific's alone.
	if err := reports.Job(b, root, reports.Weekly, func() time.Time { return time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC) }).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if !exists("2026-W39") || !exists("prolific/2026-W39") || !exists("prolific/2026-W47") || exists("2026-W47") {
		t.Errorf("written: MTurk W39 %v, Prolific W39 %v, Prolific W47 %v, MTurk W47 %v (want true, true, true, false)",
			exists("2026-W39"), exists("prolific/2026-W39"), exists("prolific/2026-W47"), exists("2026-W47"))
	}
	if err := reports.EnsureAll(ctx, b, root, time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if !exists("prolific/2026-10") || exists("2026-10") {
		t.Errorf("EnsureAll: Prolific 2026-10 %v, MTurk 2026-10 %v (want true, false)", exists("prolific/2026-10"), exists("2026-10"))
	}
	mturk, err := reports.List(reports.Dir(root, platform.MTurk))
	if err != nil {
		t.Fatal(err)
	}
	prolific, err := reports.List(reports.Dir(root, platform.Prolific))
	if err != nil {
		t.Fatal(err)
	}
	if len(mturk) != 1 || mturk[0].Period.Name != "2026-W39" || len(prolific) != 3 {
		t.Errorf("listed MTurk %v, Prolific %v", mturk, prolific)
	}
	if err := reports.RefreshJob(b, root, func() time.Time { return time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC) }).Run(ctx); err != nil {
		t.Fatal(err)
	}
}
