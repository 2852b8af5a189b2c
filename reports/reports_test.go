package reports_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// schemaRe hides the schema version, which grows with every migration anyone adds.
var schemaRe = regexp.MustCompile(`schema version( \| | |,)[0-9]+`)

func normalize(b []byte) []byte { return schemaRe.ReplaceAll(b, []byte("schema version${1}N")) }

func build(t *testing.T, b *reports.Builder, name string) *reports.Report {
	t.Helper()
	p, err := reports.ParsePeriod(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.Build(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReports builds the fixed data set once and runs the report tests on it.
func TestReports(t *testing.T) {
	_, b := fixture(t)
	built := map[string]*reports.Report{}
	get := func(t *testing.T, name string) *reports.Report {
		if r, ok := built[name]; ok {
			return r
		}
		r := build(t, b, name)
		built[name] = r
		return r
	}
	t.Run("golden", func(t *testing.T) { testGolden(t, get) })
	t.Run("contents", func(t *testing.T) { testContents(t, get) })
	t.Run("html charts", func(t *testing.T) { testHTMLCharts(t, get) })
	t.Run("reproducible", func(t *testing.T) { testReproducible(t, b, get) })
	t.Run("no data", func(t *testing.T) { testNoData(t, get) })
	t.Run("write and list", func(t *testing.T) { testWriteAndList(t, get) })
}

// testGolden renders the fixed data set's week and compares the Markdown and every CSV with the golden
// files in testdata/golden/<period>/ (go test ./reports -update rewrites them).
func testGolden(t *testing.T, get func(*testing.T, string) *reports.Report) {
	for _, name := range []string{"2026-W47", "2026-11", "2020-W10"} {
		t.Run(name, func(t *testing.T) {
			files, err := get(t, name).Files()
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", "golden", name)
			if *update {
				_ = os.RemoveAll(dir)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			var names []string
			for n := range files {
				if strings.HasSuffix(n, ".md") || strings.HasSuffix(n, ".csv") {
					names = append(names, n)
				}
			}
			sort.Strings(names)
			for _, n := range names {
				got := normalize(files[n])
				path := filepath.Join(dir, n)
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./reports -update to write it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s:\n%s", n, path, firstDiff(string(got), string(want)))
				}
			}
			golden, _ := filepath.Glob(filepath.Join(dir, "*"))
			if len(golden) != len(names) {
				t.Errorf("%d golden files, %d rendered", len(golden), len(names))
			}
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\n got: %q\nwant: %q", i+1, a, b)
		}
	}
	return "(no line differs)"
}

// testContents checks what readers rely on in the week's report, beyond the golden bytes.
func testContents(t *testing.T, get func(*testing.T, string) *reports.Report) {
	r := get(t, "2026-W47")
	if r.NoData {
		t.Fatal("week with records reported as no data")
	}
	top, ok := r.Table("requesters")
	if !ok || len(top.Rows) != reports.TopRequesters {
		t.Fatalf("requesters table: %d rows, want %d", len(top.Rows), reports.TopRequesters)
	}
	var fair, three []string
	for _, row := range top.Rows {
		switch row[2] {
		case "AFAIRPAYLAB01":
			fair = row
		case "ATHREEREPORT1":
			three = row
		}
	}
	if fair == nil || three == nil {
		t.Fatalf("hand-made requesters missing from the top table: %v", top.Rows)
	}
	if fair[6] != "20.00" { // $1.00 per 180 s task
		t.Errorf("fair requester effective wage %q, want 20.00", fair[6])
	}
	if fair[4] != "0" {
		t.Errorf("fair requester's tasks without a time %q, want 0", fair[4])
	}
	for _, c := range three[6:10] {
		if c != "<5" {
			t.Errorf("3-reporter requester shows wage cell %q, want suppressed", c)
		}
	}
	ch, _ := r.Table("changes")
	found := false
	for _, row := range ch.Rows {
		if row[1] == "AFAIRPAYLAB01" {
			found = true
			if row[2] != "10.00" || row[3] != "20.00" || row[4] != "+10.00" {
				t.Errorf("fair requester change row %v, want 10.00 -> 20.00 (+10.00)", row)
			}
		}
	}
	if !found {
		t.Errorf("fair requester's doubled wage not among the biggest changes: %v", ch.Rows)
	}
	md, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(md, []byte("<b>")) || regexp.MustCompile(`[^\\]\]\(javascript`).Match(md) {
		t.Error("untrusted requester name left as markup in the Markdown")
	}
	for _, want := range []string{"## Cite this report", "revision test-revision", "https://hitwage.example/reports/2026-W47", "## Methodology", "## HIT supply", "## Data coverage"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

// testHTMLCharts checks that the HTML rendering carries the site's chart elements and escapes names.
func testHTMLCharts(t *testing.T, get func(*testing.T, string) *reports.Report) {
	html, err := get(t, "2026-W47").HTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"report-effective", "report-nominal", "report-supply"} {
		re := regexp.MustCompile(`<div class="chart" id="` + id + `"[^>]* data-chart="\{[^"]*series[^"]*\}"`)
		if !re.Match(html) {
			t.Errorf("HTML lacks chart %s with options", id)
		}
	}
	if bytes.Contains(html, []byte("<b>Pay</b>")) {
		t.Error("untrusted requester name not escaped in the HTML")
	}
	if bytes.Contains(html, []byte("<script")) {
		t.Error("inline script in the report HTML (the site's CSP forbids it)")
	}
}

// testReproducible builds the same past period twice (with a recompute of the site's figures between)
// and expects the same bytes in every file.
func testReproducible(t *testing.T, b *reports.Builder, get func(*testing.T, string) *reports.Report) {
	first, err := get(t, "2026-W47").Files()
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Wages.Recompute(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, err := build(t, b, "2026-W47").Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(second) {
		t.Fatalf("%d files then %d", len(first), len(second))
	}
	for n, f := range first {
		if !bytes.Equal(f, second[n]) {
			t.Errorf("%s differs between two builds:\n%s", n, firstDiff(string(second[n]), string(f)))
		}
	}
}

// testNoData renders a period without records as a clear no-data report.
func testNoData(t *testing.T, get func(*testing.T, string) *reports.Report) {
	r := get(t, "2020-W10")
	if !r.NoData {
		t.Fatal("empty week not marked as no data")
	}
	md, err := r.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(md, []byte("**No data.** No task records were reported for this period")) {
		t.Errorf("no-data Markdown lacks its notice:\n%s", md)
	}
	if !bytes.Contains(md, []byte("data: no records (0 records)")) {
		t.Errorf("no-data report lacks its stamp:\n%s", md)
	}
	if _, ok := r.Table("requesters"); ok {
		t.Error("no-data report has a requesters table")
	}
}

// testWriteAndList writes reports into a folder, lists them newest first, and rewrites one in place.
func testWriteAndList(t *testing.T, get func(*testing.T, string) *reports.Report) {
	dir := t.TempDir()
	for _, name := range []string{"2026-W46", "2026-W47", "2026-11"} {
		if err := reports.Write(dir, get(t, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := reports.Write(dir, get(t, "2026-W47")); err != nil {
		t.Fatal(err)
	}
	list, err := reports.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Period.Name)
	}
	if strings.Join(got, " ") != "2026-11 2026-W47 2026-W46" {
		t.Errorf("listed %v, want 2026-11 2026-W47 2026-W46", got)
	}
	for _, f := range []string{"report.md", "report.html", "report.csv", "market.csv", "requesters.csv", "changes.csv", "supply.csv", "coverage.csv", "about.csv", "distribution.csv"} {
		if _, err := os.Stat(filepath.Join(dir, "2026-W47", f)); err != nil {
			t.Error(err)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left behind: %v", leftovers)
	}
}
