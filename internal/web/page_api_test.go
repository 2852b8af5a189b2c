package web_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestAPIPage: /api lists, for people, every operation the OpenAPI document describes, with its
// parameters and answers, and says which need a token; the footer links it.
func TestAPIPage(t *testing.T) {
	base := serve(t, storetest.New(t))
	page, _ := getPage(t, base+"/api", 200)
	res, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var doc struct {
		Paths map[string]map[string]struct {
			Summary  string
			Security []any `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			n++
			want := "<code>" + strings.ToUpper(method) + " " + html.EscapeString(path) + "</code>"
			if !strings.Contains(page, want) || !strings.Contains(page, html.EscapeString(op.Summary)) {
				t.Errorf("/api lacks %s %s (%q)", method, path, op.Summary)
			}
		}
	}
	if n < 15 {
		t.Fatalf("only %d operations in openapi.json", n)
	}
	for _, want := range []string{`<code>id</code> (required)`, `<span class="flag">token</span>`, `href="/api/v1/openapi.json"`,
		`id="get-api-v1-requesters-id"`, `href="#get-api-v1-requesters-id"`} {
		if !strings.Contains(page, want) {
			t.Errorf("/api lacks %s", want)
		}
	}
	if home, _ := getPage(t, base+"/about", 200); !strings.Contains(home, `<a href="/api">API</a>`) {
		t.Error("the footer does not link /api")
	}
}
