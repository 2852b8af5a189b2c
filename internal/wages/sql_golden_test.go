package wages

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateSQL = flag.Bool("update", false, "rewrite testdata/sql from the templates")

// TestRenderedSQL keeps the statements the wage engine runs, rendered from the .sql templates,
// as files in testdata/sql, so that a change to a template shows in review as a diff of what
// runs (go test ./internal/wages -run TestRenderedSQL -update rewrites them). Table names of a
// run are fixed placeholders (wage_run_R...).
func TestRenderedSQL(t *testing.T) {
	const run = "wage_run_R"
	stmts := map[string]string{
		"source_recompute":     renderData("source.sql", sqlData{Where: whereNone, Versions: true}),
		"source_update":        renderData("source.sql", sqlData{Where: whereRequesters}),
		"source_fresh":         renderData("source.sql", sqlData{Where: whereRequesters, Fresh: true}),
		"source_own":           renderData("source.sql", sqlData{Where: whereReporterVia, Own: true}),
		"cached":               renderData("cached.sql", sqlData{Where: whereRequesters, Cache: "wage_run_CACHE", Src: run + "_fresh"}),
		"overlapping":          renderData("overlapping.sql", sqlData{Src: run}),
		"names":                renderData("names.sql", sqlData{Src: run}),
		"titles":               renderData("titles.sql", sqlData{Src: run}),
		"live_requester":       figuresQuery(scopeRequester, whereRequester),
		"live_requester_trend": trendQuery(scopeReqWeek, whereRequester),
		"live_histogram":       render("histogram.sql", scopeRequester, whereRequester),
	}
	// A run's statements: each template once in each form it takes (a full scope keyed by
	// requester, one by HIT group with titles, a lean trend scope); the other scopes differ from
	// these only in their key expressions.
	for _, sc := range []scope{scopeRequester, scopeGroup, scopeReqWeek} {
		d := sqlData{K1: sc.k1, K2: sc.k2, K3: sc.k3, Lean: sc.lean,
			Src: run, Overlaps: run + "_ovl", Pairs: run + "_" + sc.name, PairsA: run + "_" + sc.name + "_a"}
		if !sc.lean && sc.k1 != "''" {
			d.Names = run + "_names"
		}
		if !sc.lean && sc.k2 != "''" {
			d.Titles = run + "_titles"
		}
		if sc == scopeRequester {
			stmts["run_pairs"] = renderData("pairs.sql", d)
			stmts["run_pairs_ok"] = renderData("pairs_ok.sql", d)
		}
		stmts["run_"+sc.name+"_figures"] = insertFigures(d)
	}
	// A ClickHouse server's run: no run tables; the overlapping reporters bound as {ovl}.
	stmts["server_requester_figures"] = renderData("figures.sql", sqlData{K1: scopeRequester.k1, K2: "''", K3: "''", Where: whereRequesters, OverlapSet: true})

	dir := filepath.Join("testdata", "sql")
	if *updateSQL {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, q := range stmts {
		path := filepath.Join(dir, name+".sql")
		q = strings.TrimSpace(q) + "\n"
		if *updateSQL {
			if err := os.WriteFile(path, []byte(q), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (go test ./internal/wages -run TestRenderedSQL -update writes it)", name, err)
			continue
		}
		if string(want) != q {
			t.Errorf("%s differs from %s: review the change and rewrite with -update", name, path)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.sql")); len(files) != len(stmts) {
		t.Errorf("%d files in %s for %d statements: rewrite with -update", len(files), dir, len(stmts))
	}
}
