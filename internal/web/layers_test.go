package web_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Imports flow one way (cmd -> web -> ratings -> wages -> store; ../../shared/style.md, Layout):
// no package below the site imports it, test helpers and tests included, and nothing imports cmd.
func TestNothingImportsUpward(t *testing.T) {
	const mod = "github.com/hitwage/hitwage/"
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "data" || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, mod) {
				continue
			}
			target := strings.TrimPrefix(p, mod)
			site := target == "internal/web" || strings.HasPrefix(target, "internal/web/")
			switch {
			case strings.HasPrefix(target, "cmd/"):
				t.Errorf("%s imports %s: nothing imports a command", rel, p)
			case site && !strings.HasPrefix(dir, "cmd/") && dir != "internal/web" && !strings.HasPrefix(dir, "internal/web/") && !strings.HasPrefix(dir, "scripts"):
				t.Errorf("%s imports %s: only commands import the site", rel, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
