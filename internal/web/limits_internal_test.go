package web

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

func TestStoreUse(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/requesters/A1B2C3D4E5F6G7", usesUncached},
		{"GET", "/prolific/researchers/5f0c8a1b2c3d4e5f6a7b8c9d", usesUncached},
		{"GET", "/market", usesStore},
		{"HEAD", "/prolific/market", usesStore},
		{"POST", "/me", usesStore},
		{"GET", "/me", usesMemory},
		{"GET", "/api/v1/me/wages", usesStore},
		{"GET", "/api/v1/export/records.csv", usesExport},
		{"GET", "/api/v1/export", usesMemory},
		{"GET", "/api/v1/requesters/A1B2C3D4E5F6G7", usesMemory},
		{"GET", "/api/v1/market", usesMemory},
		{"GET", "/api/v1/search", usesMemory},
		{"GET", "/embed/requesters/A1B2C3D4E5F6G7/card", usesMemory},
		{"GET", "/hits/3HOSTILEGROUP00000000000000001", usesMemory}, // loadHitGroup limits itself
		{"POST", "/api/v1/reports", usesMemory},
		{"GET", "/", usesMemory},
		// fiber routes whatever the case and a trailing slash: so must the limits.
		{"GET", "/MARKET/", usesStore},
		{"POST", "/Me", usesStore},
		{"GET", "/API/V1/EXPORT/records.csv", usesExport},
		{"GET", "/Requesters/A1B2C3D4E5F6G7/", usesUncached},
		{"GET", "/PROLIFIC/Researchers/5f0c8a1b2c3d4e5f6a7b8c9d", usesUncached},
	} {
		if got := storeUse(tc.method, tc.path); got != tc.want {
			t.Errorf("storeUse(%s %s) = %d, want %d", tc.method, tc.path, got, tc.want)
		}
	}
}

// Behind a proxy (Limits.ClientHeader) each client has its own bucket, keyed by the address the
// proxy added last; without the setting the header is ignored.
func TestClientHeader(t *testing.T) {
	a, base := serveApp(t, Deps{Store: storetest.New(t), Limits: Limits{Rate: 1e-9, Burst: 1, ClientHeader: "X-Forwarded-For"}})
	get := func(xff string) int {
		req, _ := http.NewRequest("GET", base+"/api/v1/me/wages", nil)
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// The site keeps no reports: a request let through is the handler's 503; one over the rate a 429.
	if s1, s2, s3 := get("203.0.113.9, 198.51.100.1"), get("203.0.113.9, 198.51.100.2"), get("198.51.100.1"); s1 != 503 || s2 != 503 || s3 != 429 {
		t.Fatalf("statuses %d %d %d, want 503 503 429 (one bucket per last address)", s1, s2, s3)
	}
	if _, ok := a.site.Limits.Tokens("127.0.0.1"); ok {
		t.Fatal("the proxy's own address was charged")
	}
	_, base2 := serveApp(t, Deps{Store: storetest.New(t), Limits: Limits{Rate: 1e-9, Burst: 1}})
	base = base2
	if s1, s2 := get("198.51.100.1"), get("198.51.100.2"); s1 != 503 || s2 != 429 {
		t.Fatalf("without ClientHeader: %d %d, want 503 429 (the header ignored)", s1, s2)
	}
}

// serveApp serves New(d) on a loopback port.
func serveApp(t *testing.T, d Deps) (*App, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.BaseURL = "http://" + ln.Addr().String()
	a := New(d)
	go func() { _ = a.Listener(ln) }()
	t.Cleanup(func() { _ = a.ShutdownWithTimeout(5 * time.Second) })
	return a, d.BaseURL
}

type reply struct {
	status            int
	retryAfter, ctype string
	body              string
}

func do(t *testing.T, method, url string, body io.Reader) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{status: -1, body: err.Error()} // no Fatal: do runs on other goroutines too
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Content-Type"), string(b)}
}

func errorCode(body string) string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal([]byte(body), &e)
	return e.Error.Code
}

// With every store slot taken, a request that must query the store is answered 429 with
// Retry-After once QueueWait passes: the HTML error page for pages, JSON for the API. Once the
// slot frees the request goes through to its handler.
func TestBusyStoreAnswers429(t *testing.T) {
	a, base := serveApp(t, Deps{Store: storetest.New(t), Limits: Limits{StoreSlots: 1, QueueWait: time.Millisecond, Rate: -1}})
	release, err := a.site.Limits.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, path string
		json         bool
	}{
		{"GET", "/market", false},
		{"GET", "/prolific/market", false},
		{"POST", "/me", false},
		{"GET", "/api/v1/me/wages", true},
		{"GET", "/api/v1/export/records.csv", true},
		{"GET", "/api/v1/hits/3HOSTILEGROUP00000000000000001", true},
		{"GET", "/hits/3HOSTILEGROUP00000000000000001", false},
	} {
		var body io.Reader
		if tc.method == "POST" {
			body = strings.NewReader(url.Values{"token": {"x"}}.Encode())
		}
		r := do(t, tc.method, base+tc.path, body)
		if r.status != 429 || r.retryAfter != "1" {
			t.Errorf("%s %s with the store busy: %d Retry-After %q %.200s", tc.method, tc.path, r.status, r.retryAfter, r.body)
			continue
		}
		if tc.json && errorCode(r.body) != "busy" {
			t.Errorf("%s %s: %s, want a JSON error with code busy", tc.method, tc.path, r.body)
		}
		if !tc.json && !strings.HasPrefix(r.ctype, "text/html") {
			t.Errorf("%s %s: %s, want the HTML error page", tc.method, tc.path, r.ctype)
		}
	}
	if n := testutil.ToFloat64(a.site.Metrics.Refused.WithLabelValues("busy")); n != 7 {
		t.Errorf("%v busy refusals counted, want 7", n)
	}
	release()
	if r := do(t, "GET", base+"/api/v1/me/wages", nil); r.status != 503 || errorCode(r.body) != "reports_disabled" {
		t.Fatalf("with the slot free: %d %s, want the handler's 503", r.status, r.body)
	}
}

// At most Limits.Exports exports stream at once; one more is a JSON 429 with Retry-After, and
// nothing of the export (no attachment header) is sent with it.
func TestExportsLimited(t *testing.T) {
	a, base := serveApp(t, Deps{Store: storetest.New(t), Limits: Limits{Exports: 1, Rate: -1}})
	release, err := a.site.Limits.ExportSlot()
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(base + "/api/v1/export/records.csv")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 429 || res.Header.Get("Retry-After") != "60" || errorCode(string(b)) != "busy" || res.Header.Get("Content-Disposition") != "" {
		t.Fatalf("an export over the limit: %d Retry-After %q %v %s", res.StatusCode, res.Header.Get("Retry-After"), res.Header, b)
	}
	release()
	if r := do(t, "GET", base+"/api/v1/export/records.csv", nil); r.status != 200 {
		t.Fatalf("with the export slot free: %d %.200s", r.status, r.body)
	}
	// The export that ran gave its slot back when its stream ended.
	rel, err := a.site.Limits.ExportSlot()
	if err != nil {
		t.Fatalf("the slot was not given back after the export: %v", err)
	}
	rel()
}

// Concurrent requests for one HIT group that arrive while the store is busy share one read once it
// frees, instead of queueing one read each.
func TestHitGroupLoadsShare(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-limits-internal-key-0123456"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 2000, Now: time.Date(2026, 9, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	w := wages.New(s, wages.Config{})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	var group string
	if err := s.QueryRow(ctx, "SELECT any(hit_set_id) FROM task_records WHERE requester_id NOT LIKE '%:%'", store.Args{}, &group); err != nil {
		t.Fatal(err)
	}
	const n, burst = 16, 1000
	a, base := serveApp(t, Deps{Store: s, Wages: w, Limits: Limits{StoreSlots: 1, QueueWait: time.Minute, Rate: 1e-9, Burst: burst}})
	release, err := a.site.Limits.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	replies := make([]reply, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { replies[i] = do(t, "GET", base+"/api/v1/hits/"+group, nil) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	// Every request has been charged (and goes on to wait for the busy store) before it frees.
charged:
	for {
		select {
		case <-done:
			break charged // answered without waiting: the checks below say why
		default:
		}
		if tokens, ok := a.site.Limits.Tokens("127.0.0.1"); ok && tokens < burst-n+0.5 { // tokens refill (a little) meanwhile
			break
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond) // from the charge to joining the read: a few instructions
	release()
	<-done
	for i, r := range replies {
		if r.status != 200 {
			t.Fatalf("request %d: %d %.200s", i, r.status, r.body)
		}
	}
	reads := int(testutil.ToFloat64(a.site.Metrics.Reads.WithLabelValues("hit_group")))
	t.Logf("%d requests, %d reads", n, reads)
	if reads >= n {
		t.Fatalf("%d reads for %d concurrent requests of one group: none shared", reads, n)
	}
}
