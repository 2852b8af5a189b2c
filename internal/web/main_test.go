package web_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// serve starts the site on a loopback port and returns its base URL.
func serve(t *testing.T, s *store.Store) string {
	t.Helper()
	return serveDeps(t, web.Deps{Store: s})
}

// serveDeps starts the site with the given dependencies on a loopback port.
func serveDeps(t testing.TB, d web.Deps) string {
	t.Helper()
	base, _ := serveWithOps(t, d)
	return base
}

// serveWithOps starts the site with the given dependencies and its operations endpoints
// (web.App.Ops), each on a loopback port, and returns their base URLs.
func serveWithOps(t testing.TB, d web.Deps) (base, ops string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	oln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base, ops = "http://"+ln.Addr().String(), "http://"+oln.Addr().String()
	d.BaseURL, d.Version = base, "test"
	app := web.New(d)
	go func() { _ = app.Listener(ln) }()
	go func() { _ = app.Ops().Listener(oln) }()
	t.Cleanup(func() {
		_ = app.Ops().ShutdownWithTimeout(5 * time.Second)
		_ = app.ShutdownWithTimeout(5 * time.Second)
	})
	return base, ops
}

// getJSON fetches a URL and decodes its JSON body.
func getJSON(t *testing.T, url string, want int, into any) http.Header {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", url, res.StatusCode, want, body)
	}
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("GET %s: %v: %s", url, err, body)
		}
	}
	return res.Header
}

// The detailed health is on the operations address.
func TestHealthz(t *testing.T) {
	s := storetest.New(t)
	_, ops := serveWithOps(t, web.Deps{Store: s})
	var h struct {
		Status string `json:"status"`
		Store  struct {
			Mode          string `json:"mode"`
			SchemaVersion int    `json:"schema_version"`
			DataDir       string `json:"data_dir"`
		} `json:"store"`
		Demo bool `json:"demo_data"`
	}
	getJSON(t, ops+"/healthz", 200, &h)
	ms, _ := store.Migrations()
	if h.Status != "ok" || h.Store.Mode != "embedded" || h.Store.SchemaVersion != ms[len(ms)-1].Version || h.Store.DataDir != storetest.DataDir(t) || h.Demo {
		t.Fatalf("healthz = %+v", h)
	}
}

func TestUnknownPathIsJSONForAPI(t *testing.T) {
	base := serve(t, storetest.New(t))
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	getJSON(t, base+"/api/v1/nope", 404, &e)
	if e.Error.Code != "not_found" {
		t.Fatalf("error body %+v", e)
	}
}

func TestMetrics(t *testing.T) {
	base, ops := serveWithOps(t, web.Deps{Store: storetest.New(t)})
	getJSON(t, base+"/healthz", 200, nil)
	getJSON(t, base+"/api/v1/nope", 404, nil)
	res, err := http.Get(ops + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	body := string(b)
	for _, want := range []string{
		`hitwage_http_requests_total{code="2xx",method="GET",route="/healthz"} 1`,
		`hitwage_http_requests_total{code="4xx",method="GET",route="unmatched"} 1`,
		`hitwage_http_request_duration_seconds_count{route="/healthz"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, body)
		}
	}
}

// Requests of other methods, then more requests, then /metrics: the counters are keyed by the
// request's method and route, which must be copies (fiber reuses a request's buffers), or the
// map's keys change under it and /metrics panics (which took the whole site down).
func TestMetricsAfterManyMethods(t *testing.T) {
	base, ops := serveWithOps(t, web.Deps{Store: storetest.New(t)})
	do := func(method, path string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader("x=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v (did the server die?)", method, path, err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	for i := 0; i < 3; i++ {
		do("DELETE", "/api/v1/reviews/AXXXXXXXXXXXXXXXXX")
		do("POST", "/me")
		do("PUT", "/healthz")
		for j := 0; j < 5; j++ {
			do("GET", "/")
			do("GET", "/healthz")
		}
		res, err := http.Get(ops + "/metrics")
		if err != nil {
			t.Fatalf("/metrics: %v (did the server die?)", err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(b), `method="DELETE"`) || !strings.Contains(string(b), `method="POST"`) {
			t.Fatalf("/metrics: %d\n%s", res.StatusCode, b)
		}
	}
}

// A long URL on an API route (a malformed id of 5,000 characters) is answered by the route, as
// JSON naming the field, not by the HTTP server's bare 431 page.
func TestLongURLIsAnAPIError(t *testing.T) {
	base := serve(t, storetest.New(t))
	var e struct {
		Error struct{ Code, Field string } `json:"error"`
	}
	req, _ := http.NewRequest("DELETE", base+"/api/v1/reviews/"+strings.Repeat("A", 5000), nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || json.Unmarshal(b, &e) != nil || e.Error.Field != "id" {
		t.Fatalf("long URL: %d %.200s, want 400 naming id", res.StatusCode, b)
	}
}

// Past the 16 KiB read buffer the path is never parsed: the answer is still JSON naming the URL.
func TestHugeURLIsJSON(t *testing.T) {
	base := serve(t, storetest.New(t))
	res, err := http.Get(base + "/api/v1/requesters?ids=" + strings.Repeat("A", 20<<10))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var e struct {
		Error struct{ Field string } `json:"error"`
	}
	if res.StatusCode != 431 || json.Unmarshal(b, &e) != nil || e.Error.Field != "url" {
		t.Fatalf("huge URL: %d %.200s", res.StatusCode, b)
	}
}
