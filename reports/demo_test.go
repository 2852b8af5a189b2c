package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/reports"
)

// TestDemoStore: on a store holding the demo data set, the site's report jobs write nothing into
// the reports folder, and a report built of it says it is demo data in its title, its citation and
// a notice; once the store no longer holds the demo data set, the same jobs write.
func TestDemoStore(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("report-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 600, Requesters: 12, Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if !s.IsDemo(ctx) {
		t.Fatal("demo.Load did not mark the store as demo data")
	}
	b := &reports.Builder{Store: s, Wages: wages.New(s, wages.Config{}), Revision: "test", BaseURL: "https://hitwage.example",
		Grades: func(string) string { return "" }}
	root := t.TempDir()
	now := func() time.Time { return fixedNow.Add(6 * time.Hour) }
	runJobs := func() {
		t.Helper()
		for _, kind := range []string{reports.Weekly, reports.Monthly} {
			if err := reports.Job(b, root, kind, now).Run(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := reports.EnsureAll(ctx, b, root, now()); err != nil {
			t.Fatal(err)
		}
		if err := reports.RefreshJob(b, root, now).Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	runJobs()
	if files := written(t, root); len(files) != 0 {
		t.Errorf("the report jobs wrote %v from demo data", files)
	}

	r := build(t, b, "2026-W47")
	if !r.Demo || !strings.HasSuffix(r.Title, reports.DemoLabel) || !strings.Contains(r.Citation, reports.DemoLabel) {
		t.Errorf("demo report: demo %v, title %q, citation %q; want both labelled %q", r.Demo, r.Title, r.Citation, reports.DemoLabel)
	}
	files, err := r.Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		reports.MarkdownFile: "# hitwage weekly wage report 2026-W47 " + reports.DemoLabel + "\n",
		reports.HTMLFile:     "<strong>Demo data.</strong> This report is built from hitwage's generated demo data set",
		"about.csv":          reports.DemoLabel,
	} {
		if !strings.Contains(string(files[name]), want) {
			t.Errorf("demo report's %s lacks %q", name, want)
		}
	}
	if !strings.Contains(string(files[reports.MarkdownFile]), "**Demo data.** This report is built from hitwage's generated demo data set") {
		t.Errorf("demo report's Markdown lacks its notice:\n%.600s", files[reports.MarkdownFile])
	}

	// The same store, no longer marked as demo data (cleared long after demo.Load marked it): the jobs write.
	if err := s.SetMeta(ctx, "demo", ""); err != nil {
		t.Fatal(err)
	}
	runJobs()
	if files := written(t, root); len(files) == 0 {
		t.Error("the report jobs wrote nothing from a store without demo data: the test shows nothing")
	}
	r = build(t, b, "2026-W47")
	if r.Demo || strings.Contains(r.Title, "demo") {
		t.Errorf("report of a store without demo data: demo %v, title %q", r.Demo, r.Title)
	}
}

// written lists the report.md files under root.
func written(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == reports.MarkdownFile {
			out = append(out, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
