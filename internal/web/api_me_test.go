package web_test

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web"
)

// TestMyWages: a worker reads their own wage figures with the token they report with, and nobody
// else's: the token's records, or those of the worker a relaying script names; private caching.
func TestMyWages(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-me-test-key-0000000000"))
	if err != nil {
		t.Fatal(err)
	}
	svc := ingest.NewService(s, h, ingest.Config{Rate: 1000, Burst: 1000})
	mine, _, err := svc.Tokens.Create(ctx, "my script")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := svc.Tokens.Create(ctx, "someone else")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	app := web.New(web.Deps{Store: s, BaseURL: base, Version: "test", Ingest: svc, Hasher: h, Wages: wages.New(s, wages.Config{})})
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() {
		_ = app.ShutdownWithTimeout(5 * time.Second)
		_ = svc.Close(ctx)
	})
	env := &ingestEnv{s: s, h: h, svc: svc, base: base}
	// Two tasks of the token's own, worked at the same time (14:00-14:06:30, $0.85 each with the
	// bonus): merged time 390 s, so $1.70 / 390 s = $15.69/h. One task relayed for a named worker.
	body := "[" + rec(1, "") + "," + rec(2, "") + "," + rec(3, `,"worker_id":"A1HWTESTWORKER01"`) + "]"
	if a := env.post(t, mine, body); a.status != 200 {
		t.Fatalf("reports: %d %s", a.status, a.body)
	}

	get := func(token, query string) (int, http.Header, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, base+"/api/v1/me/wages"+query, nil)
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b
	}
	type figures struct {
		Records         uint64   `json:"records"`
		Reporters       uint64   `json:"reporters"`
		EffectiveHourly *float64 `json:"effective_hourly"`
		EffectiveSecs   float64  `json:"effective_seconds"`
		Paid            float64  `json:"paid"`
	}
	read := func(token, query string) figures {
		t.Helper()
		st, hdr, b := get(token, query)
		if st != 200 {
			t.Fatalf("GET %s: %d %s", query, st, b)
		}
		if cc := hdr.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("Cache-Control %q, want private, no-store", cc)
		}
		if strings.Contains(string(b), "A1HWTESTWORKER01") || strings.Contains(string(b), h.Reporter("worker", "A1HWTESTWORKER01")) {
			t.Errorf("answer names the worker: %s", b)
		}
		var f figures
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		return f
	}

	f := read(mine, "")
	if f.Records != 2 || f.Reporters != 1 || f.EffectiveSecs != 390 || math.Abs(f.Paid-1.70) > 1e-9 ||
		f.EffectiveHourly == nil || math.Abs(*f.EffectiveHourly-1.70/390*3600) > 0.0005 {
		t.Errorf("own figures %+v (hourly %v), want 2 records, 390 s, $1.70, $15.69/h", f, deref(f.EffectiveHourly))
	}
	if f := read(mine, "?worker_id=A1HWTESTWORKER01&from=2026-11-20&to=2026-11-21"); f.Records != 1 {
		t.Errorf("relayed worker's figures: %d records, want 1", f.Records)
	}
	for _, c := range []struct {
		token, query string
		status       int
		field        string
	}{
		{"", "", 401, "Authorization"},
		{"not-a-token", "", 401, "Authorization"},
		{other, "", 404, ""},                                // a token with no records sees none of mine
		{mine, "?from=2026-11-21", 404, ""},                 // nothing in the range
		{mine, "?worker_id=bob", 400, "worker_id"},          // not a worker id
		{mine, "?from=yesterday", 400, "from"},              // not a date
		{mine, "?from=2026-11-21&to=2026-11-20", 400, "to"}, // backwards
		{mine, "?worker_id=A1HWNOBODY000000", 404, ""},      // a worker without records
	} {
		st, _, b := get(c.token, c.query)
		if st != c.status {
			t.Errorf("%q %s: %d %s, want %d", c.token, c.query, st, b, c.status)
			continue
		}
		var e struct {
			Error struct {
				Field string `json:"field"`
			} `json:"error"`
		}
		if err := json.Unmarshal(b, &e); err != nil || e.Error.Field != c.field {
			t.Errorf("%q %s: error %s, want field %q", c.token, c.query, b, c.field)
		}
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
