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
