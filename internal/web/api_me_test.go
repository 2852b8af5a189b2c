package web_test

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web"
)

// meSite serves a store where the token mine reported two tasks of its own, worked at the same
// time (14:00-14:06:30, $0.85 each with the bonus: merged 390 s, so $1.70 / 390 s = $15.69/h), and
// one relayed for worker A1HWTESTWORKER01; the token other reported nothing.
type meSite struct {
	base, mine, other string
	h                 *records.Hasher
}

func newMeSite(t *testing.T) meSite {
	t.Helper()
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
	t.Cleanup(func() { _ = svc.Close(ctx) }) // after the server's shutdown (cleanups run last first)
	base := serveDeps(t, web.Deps{Store: s, Ingest: svc, Hasher: h, Wages: wages.New(s, wages.Config{})})
	env := &ingestEnv{s: s, h: h, svc: svc, base: base}
	body := "[" + rec(1, "") + "," + rec(2, "") + "," + rec(3, `,"worker_id":"A1HWTESTWORKER01"`) + "]"
	if a := env.post(t, mine, body); a.status != 200 {
		t.Fatalf("reports: %d %s", a.status, a.body)
	}
	return meSite{base: base, mine: mine, other: other, h: h}
}

// TestMyWages: a worker reads their own wage figures with the token they report with, and nobody
// else's: the token's records, or those of the worker a relaying script names; private caching.
func TestMyWages(t *testing.T) {
	ms := newMeSite(t)
	base, mine, other, h := ms.base, ms.mine, ms.other, ms.h
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
		// Another token naming the worker that mine relayed sees nothing: a worker id is no password.
		{other, "?worker_id=A1HWTESTWORKER01", 404, ""},
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

// TestMyWagesPage: the /me form shows a worker their own figures after they paste their token,
// privately, and refuses a wrong token or date without echoing the token.
func TestMyWagesPage(t *testing.T) {
	ms := newMeSite(t)
	page, hdr := getPage(t, ms.base+"/me", 200)
	for _, want := range []string{`<label for="me-token">`, `type="password"`, `action="/me"`} {
		if !strings.Contains(page, want) {
			t.Errorf("/me lacks %s", want)
		}
	}
	if hdr.Get("Cache-Control") != "private, no-store" {
		t.Errorf("/me Cache-Control %q", hdr.Get("Cache-Control"))
	}
	post := func(form url.Values) (int, string, http.Header) {
		t.Helper()
		resp, err := http.PostForm(ms.base+"/me", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	st, body, hdr := post(url.Values{"token": {ms.mine}})
	if st != 200 || !strings.Contains(body, "$15.69/h") || !strings.Contains(body, "All your reported tasks") {
		t.Fatalf("own figures: %d, want 200 with $15.69/h: %s", st, body)
	}
	if hdr.Get("Cache-Control") != "private, no-store" || hdr.Get("Set-Cookie") != "" {
		t.Errorf("figures page: Cache-Control %q, Set-Cookie %q", hdr.Get("Cache-Control"), hdr.Get("Set-Cookie"))
	}
	if strings.Contains(body, ms.mine) {
		t.Error("the page echoes the token")
	}
	for _, c := range []struct {
		form   url.Values
		status int
		want   string
	}{
		{url.Values{"token": {"hwt_wrong"}}, 401, "unknown or revoked"},
		{url.Values{"token": {""}}, 400, "Paste your reporting token"},
		{url.Values{"token": {ms.other}}, 404, "No task reports of yours"},
		{url.Values{"token": {ms.mine}, "from": {"soon"}}, 400, "is not a date"},
		{url.Values{"token": {ms.mine}, "worker_id": {"<b>x</b>"}}, 400, "A worker ID is"},
	} {
		st, body, _ := post(c.form)
		if st != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%v: %d, want %d with %q", c.form, st, c.status, c.want)
		}
		if strings.Contains(body, "<b>x</b>") {
			t.Error("the page shows the worker id unescaped")
		}
	}
}

// TestMyWagesPageInBrowser: in a real browser, pasting the token shows the figures.
func TestMyWagesPageInBrowser(t *testing.T) {
	ms := newMeSite(t)
	ctx, log := startBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(ms.base+"/me"),
		chromedp.WaitVisible(chromedp.CSS("#me-token")),
		chromedp.SendKeys(chromedp.CSS("#me-token"), ms.mine),
		chromedp.Click(chromedp.CSS("form.review-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".grid .figure")),
	)
	if err != nil {
		t.Fatalf("fill and submit /me: %v", err)
	}
	figure, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".grid .figure")))
	if err != nil || figure != "$15.69/h" {
		t.Errorf("effective wage shown %q (%v), want $15.69/h", figure, err)
	}
	if errs, off := log.take(); len(errs) > 0 || len(off) > 0 {
		t.Errorf("console errors %v, off-site requests %v", errs, off)
	}
}
