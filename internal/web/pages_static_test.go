package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func getPage(t *testing.T, url string, want int) (string, http.Header) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %.300s", url, res.StatusCode, want, b)
	}
	return string(b), res.Header
}

func TestStaticPages(t *testing.T) {
	base := serve(t, storetest.New(t))
	for path, want := range map[string]string{"/methodology": "<h1", "/about": "How to contribute reports"} {
		body, h := getPage(t, base+path, 200)
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q", path, want)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s CSP = %q", path, csp)
		}
		if strings.Contains(body, "<script>") {
			t.Errorf("%s has an inline script", path)
		}
	}
	body, h := getPage(t, base+"/assets/site.css", 200)
	if !strings.Contains(body, "font") || !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Errorf("site.css: cache-control %q", h.Get("Cache-Control"))
	}
	getPage(t, base+"/assets/nope.js", 404)
	page, _ := getPage(t, base+"/no/such/page", 404)
	if !strings.Contains(page, "<html") {
		t.Error("an unknown page should be an HTML 404 page")
	}
}

func TestStaticPagesInBrowser(t *testing.T) {
	base := serve(t, storetest.New(t))
	for i, p := range browse(t, base+"/about", base+"/methodology") {
		if len(p.ConsoleErrors) > 0 || len(p.Offsite) > 0 {
			t.Errorf("page %d: console %v, offsite requests %v", i, p.ConsoleErrors, p.Offsite)
		}
	}
}
