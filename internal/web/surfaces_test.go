package web_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The site's packages import one way (routes.go): web -> the surfaces (api, embeds, ops, pages) ->
// view -> site -> snapshot. No sub-package imports web, no surface imports another, and the shared
// packages import no surface, tests included.
func TestSurfacesImportOnlyTheCore(t *testing.T) {
	const site = "github.com/hitwage/hitwage/internal/web"
	allowed := map[string][]string{ // what each sub-package may import of the site's packages
		"api":      {"site", "snapshot"},
		"embeds":   {"site", "view"},
		"ops":      {"site"},
		"pages":    {"site", "snapshot", "view"},
		"view":     {"site"},
		"site":     {"snapshot"},
		"snapshot": {},
	}
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "testdata" {
			continue
		}
		may, known := allowed[d.Name()]
		files, _ := filepath.Glob(filepath.Join(d.Name(), "*.go"))
		if !known && len(files) > 0 {
			t.Errorf("package %s is not in this test's list: say what it may import", d.Name())
			continue
		}
		for _, f := range files {
			pf, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range pf.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if p != site && !strings.HasPrefix(p, site+"/") {
					continue
				}
				if rel := strings.TrimPrefix(strings.TrimPrefix(p, site), "/"); rel == "" || !slices.Contains(may, rel) {
					t.Errorf("%s imports %s: %s may import only %v of the site's packages", f, p, d.Name(), may)
				}
			}
		}
	}
}
