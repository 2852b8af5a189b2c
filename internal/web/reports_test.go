package web_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web"
	"github.com/hitwage/hitwage/reports"
)

func fetch(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// reportsSite writes MTurk's reports of week 2026-W47 (demo data) and of an empty week, and
// Prolific's of 2026-W47, each into its platform's folder, and serves them.
func reportsSite(t *testing.T) (base, dir string) {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-reports-test-key-0123"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 600, Requesters: 12, Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	w := wages.New(s, wages.Config{})
	b := &reports.Builder{Store: s, Wages: w, Revision: "test", BaseURL: "https://hitwage.example"}
	dir = t.TempDir()
	for _, name := range []string{"2026-W47", "2020-W10"} {
		p, _ := reports.ParsePeriod(name)
		r, err := b.Build(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := reports.Write(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := reports.ParsePeriod("2026-W47")
	r, err := b.ForPlatform(platform.Prolific).Build(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := reports.Write(reports.Dir(dir, platform.Prolific), r); err != nil {
		t.Fatal(err)
	}
	return serveDeps(t, web.Deps{Store: s, Wages: w, ReportsDir: dir}), dir
}

func TestReportRoutes(t *testing.T) {
	base, dir := reportsSite(t)

	res, body := fetch(t, base+"/reports/")
	if res.StatusCode != 200 || !strings.Contains(body, `href="/reports/2026-W47"`) || !strings.Contains(body, `href="/reports/2020-W10.md"`) {
		t.Errorf("/reports/: status %d, lacks links:\n%s", res.StatusCode, body)
	}

	res, body = fetch(t, base+"/reports/2026-W47")
	if res.StatusCode != 200 {
		t.Fatalf("/reports/2026-W47: status %d: %s", res.StatusCode, body)
	}
	for _, want := range []string{`<div class="chart" id="report-effective"`, `data-chart="{`, "hitwage weekly wage report 2026-W47", "echarts-5.6.0.min.js", "Cite this report"} {
		if !strings.Contains(body, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("report page CSP %q", csp)
	}

	for _, c := range []struct{ path, file, ctype string }{
		{"/reports/2026-W47.md", "report.md", "text/markdown"},
		{"/reports/2026-W47.csv", "report.csv", "text/csv"},
		{"/reports/2026-W47/requesters.csv", "requesters.csv", "text/csv"},
		{"/reports/2020-W10.md", "report.md", "text/markdown"},
	} {
		res, body := fetch(t, base+c.path)
		want, err := os.ReadFile(filepath.Join(dir, strings.Split(strings.TrimPrefix(c.path, "/reports/"), ".")[0][:8], c.file))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || body != string(want) || !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("%s: status %d, type %q, body equal to %s: %v", c.path, res.StatusCode, res.Header.Get("Content-Type"), c.file, body == string(want))
		}
	}
	if _, body := fetch(t, base+"/reports/2020-W10.md"); !strings.Contains(body, "**No data.**") {
		t.Errorf("empty week's report lacks its no-data notice:\n%s", body)
	}

	for _, c := range []struct {
		path, want string
	}{
		{"/reports/2026-W46", "no report for 2026-W46 yet"},
		{"/reports/2026-W99", "ISO week"},
		{"/reports/2026-W47.pdf", "no report format"},
		{"/reports/2026-W47/secret.txt", "no table"},
		{"/reports/2026-W47/report.csv", "no table"},
		{"/reports/..%2F..%2Fetc/passwd.csv", "ISO week"},
	} {
		res, body := fetch(t, base+c.path)
		if res.StatusCode != 404 || !strings.Contains(body, c.want) {
			t.Errorf("%s: status %d, want 404 saying %q: %s", c.path, res.StatusCode, c.want, body)
		}
	}

	var list struct {
		Reports []struct{ Period, Kind, URL, Markdown string } `json:"reports"`
	}
	getJSON(t, base+"/api/v1/wage-reports", 200, &list)
	if len(list.Reports) != 2 || list.Reports[0].Period != "2026-W47" || !strings.HasSuffix(list.Reports[0].Markdown, "/reports/2026-W47.md") {
		t.Errorf("/api/v1/reports = %+v", list)
	}
}

// TestReportsPerPlatform: the index lists every platform's reports (Prolific's first, MTurk's as
// the archive it is), and Prolific's live at their own permanent URLs.
func TestReportsPerPlatform(t *testing.T) {
	base, dir := reportsSite(t)
	res, body := fetch(t, base+"/reports/")
	if res.StatusCode != 200 {
		t.Fatalf("/reports/: status %d", res.StatusCode)
	}
	pro, mt := strings.Index(body, `<section id="prolific">`), strings.Index(body, `<section id="mturk">`)
	if pro < 0 || mt < pro {
		t.Errorf("/reports/ lacks a Prolific section before MTurk's:\n%s", body)
	}
	for _, want := range []string{`href="/reports/prolific/2026-W47"`, `href="/reports/prolific/2026-W47.md"`, `href="/reports/2026-W47"`,
		"MTurk <small class=\"muted\">(archive through 2026-09-30)</small>", "Amounts in GBP; floor £6.00/h", "Amounts in USD; floor $7.25/h"} {
		if !strings.Contains(body, want) {
			t.Errorf("/reports/ lacks %q", want)
		}
	}
	if strings.Contains(body[pro:mt], `href="/reports/2026-W47"`) || strings.Contains(body[mt:], "/reports/prolific/") {
		t.Error("/reports/ lists a report under the other platform")
	}

	res, body = fetch(t, base+"/reports/prolific/2026-W47")
	if res.StatusCode != 200 || !strings.Contains(body, "hitwage Prolific weekly wage report 2026-W47") || !strings.Contains(body, "effective £/h") ||
		!strings.Contains(body, `href="/reports/prolific/2026-W47/requesters.csv"`) {
		t.Errorf("/reports/prolific/2026-W47: status %d:\n%s", res.StatusCode, body)
	}
	for _, c := range []struct{ path, file string }{
		{"/reports/prolific/2026-W47.md", "report.md"},
		{"/reports/prolific/2026-W47.csv", "report.csv"},
		{"/reports/prolific/2026-W47/requesters.csv", "requesters.csv"},
	} {
		res, body := fetch(t, base+c.path)
		want, err := os.ReadFile(filepath.Join(dir, "prolific", "2026-W47", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || body != string(want) {
			t.Errorf("%s: status %d, body equal to prolific/2026-W47/%s: %v", c.path, res.StatusCode, c.file, body == string(want))
		}
	}
	if res, _ := fetch(t, base+"/reports/prolific/2026-W47/requesters.csv"); !strings.Contains(res.Header.Get("Content-Disposition"), "hitwage-prolific-2026-W47-requesters.csv") {
		t.Errorf("Prolific table Content-Disposition %q", res.Header.Get("Content-Disposition"))
	}
	// A query cannot move a permanent URL to another platform's report.
	_, mturk := fetch(t, base+"/reports/2026-W47.md?platform=prolific")
	if want, _ := os.ReadFile(filepath.Join(dir, "2026-W47", "report.md")); mturk != string(want) {
		t.Error("/reports/2026-W47.md?platform=prolific is not MTurk's report")
	}
	if res, body := fetch(t, base+"/reports/prolific/2026-W46"); res.StatusCode != 404 || !strings.Contains(body, "no Prolific report for 2026-W46 yet") {
		t.Errorf("/reports/prolific/2026-W46: status %d: %s", res.StatusCode, body)
	}
	if res, _ := fetch(t, base+"/reports/prolific"); res.StatusCode != 200 || res.Request.URL.Path != "/reports/" || res.Request.URL.Fragment != "" && res.Request.URL.Fragment != "prolific" {
		t.Errorf("/reports/prolific ends at %s (status %d)", res.Request.URL, res.StatusCode)
	}

	var list struct {
		Reports []struct{ Platform, Period, URL, Markdown string } `json:"reports"`
	}
	getJSON(t, base+"/api/v1/wage-reports?platform=prolific", 200, &list)
	if len(list.Reports) != 1 || list.Reports[0].Platform != "prolific" || !strings.HasSuffix(list.Reports[0].URL, "/reports/prolific/2026-W47") {
		t.Errorf("/api/v1/wage-reports?platform=prolific = %+v", list)
	}
	var bad struct {
		Error struct{ Field string } `json:"error"`
	}
	getJSON(t, base+"/api/v1/wage-reports?platform=toloka", 400, &bad)
	if bad.Error.Field != "platform" {
		t.Errorf("/api/v1/wage-reports?platform=toloka names field %q", bad.Error.Field)
	}
}
