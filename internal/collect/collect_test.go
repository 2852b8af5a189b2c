package collect

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		" 120 ":                         2 * time.Minute,
		"-3":                            0,
		"soon":                          0,
		"999999999":                     24 * time.Hour,
		"Wed, 25 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Wed, 25 Nov 2026 11:00:00 GMT": 0,
	} {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := RetryAfter(&h, now); got != want {
			t.Errorf("Retry-After %q = %v; want %v", v, got, want)
		}
	}
}

func TestBackoffDoublesWithJitterAndCap(t *testing.T) {
	cl := New(t.Context(), Options{BackoffBase: 100 * time.Millisecond, BackoffMax: time.Second})
	for attempt, lo := range []time.Duration{50, 100, 200, 400, 500, 500} {
		lo *= time.Millisecond
		for range 50 {
			if d := cl.backoff(attempt); d < lo || d > 2*lo {
				t.Fatalf("backoff(%d) = %v; want in [%v, %v]", attempt, d, lo, 2*lo)
			}
		}
	}
}

func TestLoadCookie(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "cookie.txt")
	if err := os.WriteFile(good, []byte("Cookie: a=1; b=2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if v, err := LoadCookie(good); err != nil || v != "a=1; b=2" {
		t.Errorf("LoadCookie = %q, %v", v, err)
	}
	bad := filepath.Join(dir, "two-lines.txt")
	if err := os.WriteFile(bad, []byte("a=1\r\nX-Evil: 1"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadCookie(bad)
	if err == nil || !strings.Contains(err.Error(), bad) || strings.Contains(err.Error(), "a=1") {
		t.Errorf("err = %v; want one naming the file and not its content", err)
	}
	t.Setenv(CookieEnv, "sess=xyz")
	if v, err := LoadCookie(""); err != nil || v != "sess=xyz" {
		t.Errorf("from env: %q, %v", v, err)
	}
	if _, err := LoadCookie(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestLooksHTML(t *testing.T) {
	if !LooksHTML([]byte("\n  <!DOCTYPE html>")) || LooksHTML([]byte(`{"a":"<b>"}`)) || LooksHTML(nil) {
		t.Error("LooksHTML misjudged")
	}
	if !IsRateLimitPage([]byte("<h1>You have EXCEEDED the maximum allowed page request rate for this website.</h1>")) {
		t.Error("rate-limit page not recognised")
	}
}

// TestGetHTMLStaysOnAllowedHosts checks that a page is fetched with the URL it came from after
// a redirect on the same host, and that a redirect to another host is refused at once, not retried.
func TestGetHTMLStaysOnAllowedHosts(t *testing.T) {
	calls := 0
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new/page", http.StatusMovedPermanently)
		case "/away":
			http.Redirect(w, r, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)+"/new/page", http.StatusFound)
		default:
			fmt.Fprint(w, "<html><body>hello</body></html>")
		}
	}))
	defer srv.Close()
	cl := New(t.Context(), Options{Interval: -1, BackoffBase: time.Millisecond, AllowedHosts: []string{"127.0.0.1"}})
	body, from, err := cl.GetHTML(t.Context(), srv.URL+"/old")
	if err != nil || !strings.Contains(string(body), "hello") || from.Path != "/new/page" {
		t.Fatalf("GetHTML /old = %q from %v, %v; want the page from /new/page", body, from, err)
	}
	calls = 0
	if _, _, err := cl.GetHTML(t.Context(), srv.URL+"/away"); err == nil || calls != 1 {
		t.Errorf("redirect to another host: err %v after %d calls; want an error after 1", err, calls)
	}
}
