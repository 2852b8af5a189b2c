package web_test

import (
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

// Every API route the site serves is described in the OpenAPI file, and the file is valid JSON.
func TestOpenAPIDescribesEveryAPIRoute(t *testing.T) {
	base := serve(t, storetest.New(t))
	var spec struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	getJSON(t, base+"/api/v1/openapi.json", 200, &spec)
	if !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", spec.OpenAPI)
	}
	app := web.New(web.Deps{Store: storetest.New(t)})
	for _, r := range app.GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "OPTIONS" || r.Method == "USE" {
			continue
		}
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/requesters" && r.Path != "/oembed" && !strings.HasPrefix(r.Path, "/embed/") {
			continue
		}
		path := r.Path
		for _, p := range []string{":id", ":hit_set_id", ":file"} {
			path = strings.ReplaceAll(path, p, "{"+strings.TrimPrefix(p, ":")+"}")
		}
		if strings.HasPrefix(r.Path, "/api/v1/hits/") {
			path = "/api/v1/hits/{hit_set_id}"
		}
		ops, ok := spec.Paths[path]
		if !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, path)
			continue
		}
		if _, ok := ops[strings.ToLower(r.Method)]; !ok {
			t.Errorf("openapi.json lacks %s %s", r.Method, path)
		}
	}
}
