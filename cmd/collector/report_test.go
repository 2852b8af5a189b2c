package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/reports"
)

var demoOnce sync.Once

// withDemo loads the demo data set (ending now) into the package's store once.
func withDemo(t *testing.T) string {
	t.Helper()
	dir := storetest.DataDir(t)
	demoOnce.Do(func() {
		var out strings.Builder
		err := dispatch(context.Background(), []string{"demo", "--data", dir, "--records", "1500", "--requesters", "20"}, &out)
		if err != nil && !strings.Contains(err.Error(), "already holds") {
			t.Fatalf("demo: %v", err)
		}
	})
	return dir
}

func TestReportCommand(t *testing.T) {
	dir := withDemo(t)
	out := t.TempDir()
	week := reports.LastComplete(reports.Weekly, time.Now()).Name
	var stdout strings.Builder
	err := dispatch(context.Background(), []string{"report", "--data", dir, "--period", week, "--out", out,
		"--base-url", "https://hitwage.example", "--print", "md"}, &stdout)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	md := stdout.String()
	for _, want := range []string{"# hitwage weekly wage report " + week, "https://hitwage.example/reports/" + week, "## Cite this report"} {
		if !strings.Contains(md, want) {
			t.Errorf("printed report lacks %q", want)
		}
	}
	written, err := os.ReadFile(filepath.Join(out, week, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if string(written) != md {
		t.Error("printed Markdown differs from the written file")
	}
	// A second run over the same data writes the same bytes.
	if err := dispatch(context.Background(), []string{"report", "--data", dir, "--period", week, "--out", out,
		"--base-url", "https://hitwage.example"}, &stdout); err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(filepath.Join(out, week, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(written) {
		t.Error("rerunning the report changed its bytes")
	}
}

func TestReportCommandBadPeriod(t *testing.T) {
	dir := withDemo(t)
	err := dispatch(context.Background(), []string{"report", "--data", dir, "--period", "2026-W99", "--out", t.TempDir()}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "--period") || !strings.Contains(err.Error(), "no week 99") {
		t.Errorf("bad period: error %v, want one naming --period and the week", err)
	}
}

// TestReportCommandPlatform: --platform prolific writes Prolific's report, in pounds, into the
// reports folder's prolific/ subfolder; an unknown platform is an error naming the flag.
func TestReportCommandPlatform(t *testing.T) {
	dir := withDemo(t)
	out := t.TempDir()
	week := reports.LastComplete(reports.Weekly, time.Now()).Name
	var stdout strings.Builder
	err := dispatch(context.Background(), []string{"report", "--data", dir, "--platform", "prolific", "--period", week, "--out", out,
		"--base-url", "https://hitwage.example", "--print", "md"}, &stdout)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	md := stdout.String()
	for _, want := range []string{"# hitwage Prolific weekly wage report " + week, "https://hitwage.example/reports/prolific/" + week, "| currency | GBP |"} {
		if !strings.Contains(md, want) {
			t.Errorf("printed Prolific report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "$/h") {
		t.Error("Prolific report in dollars")
	}
	written, err := os.ReadFile(filepath.Join(out, "prolific", week, "report.md"))
	if err != nil || string(written) != md {
		t.Errorf("written report (%v) differs from the printed one", err)
	}
	if _, err := os.Stat(filepath.Join(out, week)); !os.IsNotExist(err) {
		t.Errorf("a Prolific report was written into MTurk's folder: %v", err)
	}

	err = dispatch(context.Background(), []string{"report", "--data", dir, "--platform", "toloka", "--out", out}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "--platform") || !strings.Contains(err.Error(), "prolific") {
		t.Errorf("bad platform: error %v, want one naming --platform and the platforms", err)
	}
}

// TestReportCommandDemo: on a store holding the demo data set, collector report refuses to write
// into the reports folder the site publishes (the default, or --out naming it or a folder inside it),
// and writes into another folder named with --out, labelled as demo data in title and citation.
func TestReportCommandDemo(t *testing.T) {
	dir := withDemo(t)
	week := reports.LastComplete(reports.Weekly, time.Now()).Name
	folder := filepath.Join(dir, "reports")
	for _, args := range [][]string{{}, {"--out", folder}, {"--out", filepath.Join(folder, "prolific")}, {"--out", folder + "/x/.."}} {
		err := dispatch(context.Background(), append([]string{"report", "--data", dir, "--period", week}, args...), &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), "demo data set") || !strings.Contains(err.Error(), "--out") {
			t.Errorf("report %v on a demo store: error %v, want one naming the demo data and --out", args, err)
		}
	}
	if _, err := os.Stat(filepath.Join(folder, week)); !os.IsNotExist(err) {
		t.Errorf("a demo report was written into the reports folder: %v", err)
	}

	out := t.TempDir()
	var stdout strings.Builder
	if err := dispatch(context.Background(), []string{"report", "--data", dir, "--period", week, "--out", out}, &stdout); err != nil {
		t.Fatalf("report --out %s: %v", out, err)
	}
	if !strings.Contains(stdout.String(), "demo data") {
		t.Errorf("stdout %q does not say the report is of demo data", stdout.String())
	}
	md, err := os.ReadFile(filepath.Join(out, week, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	title := "# hitwage weekly wage report " + week + " " + reports.DemoLabel + "\n"
	if !strings.HasPrefix(string(md), title) || !strings.Contains(string(md), "**Demo data.**") {
		t.Errorf("demo report does not start with %q and a notice:\n%.400s", title, md)
	}
	cite := string(md)[strings.Index(string(md), "## Cite this report"):]
	if !strings.Contains(cite, reports.DemoLabel) {
		t.Errorf("demo report's citation lacks %q:\n%s", reports.DemoLabel, cite)
	}
}
