package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web"
)

// The served script: its header names the site it came from, and a hostile Host header cannot
// write into it.
func TestUserscriptRoute(t *testing.T) {
	base := serve(t, storetest.New(t))
	res, err := http.Get(base + "/userscripts/hitwage.user.js")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/javascript") {
		t.Fatalf("status %d, content type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	u, _ := url.Parse(base)
	header := userscriptHeader(t, string(body))
	want := map[string][]string{
		"@match":   {"https://app.prolific.com/*"},
		"@connect": {u.Hostname()},
		"@grant":   {"GM_xmlhttpRequest", "GM_getValue", "GM_setValue", "unsafeWindow"},
		"@run-at":  {"document-start"},
	}
	for k, v := range want {
		if strings.Join(header[k], "|") != strings.Join(v, "|") {
			t.Errorf("%s = %q, want %q", k, header[k], v)
		}
	}
	for _, k := range []string{"@name", "@namespace", "@version", "@description"} {
		if len(header[k]) != 1 || header[k][0] == "" {
			t.Errorf("%s = %q", k, header[k])
		}
	}
	if !strings.Contains(string(body), "const SITE = \""+base+"\";") {
		t.Error("the script does not name the site it was downloaded from as SITE")
	}
	// The script is valid JavaScript (when node is at hand to say so).
	if node, err := exec.LookPath("node"); err == nil {
		f := filepath.Join(t.TempDir(), "hitwage.user.js")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("node --check: %v\n%s", err, out)
		}
	}

	// Hostile hosts, sent raw (Go's client refuses to send them): refused, or at least not
	// written into the script.
	addr := strings.TrimPrefix(base, "http://")
	for _, hdr := range []string{
		"Host: evil\"\n// @connect *",
		"Host: evil\" ;alert(1);//",
		"Host: evil.example/<script>",
		"Host: evil.example:99999",
		"Host: " + addr + "\r\nX-Forwarded-Host: evil\";alert(1);//",
		"Host: " + addr + "\r\nX-Forwarded-Proto: javascript",
	} {
		status, body := rawGet(t, addr, "/userscripts/hitwage.user.js", hdr)
		if status == 200 && (strings.Contains(body, "evil") || strings.Contains(body, "@connect *") || strings.Contains(body, "javascript:")) {
			t.Errorf("%q: status 200 with the hostile value in the script", hdr)
		}
		if status != 400 && status != 404 { // a host with a slash or a space also garbles the request's URL: no route
			t.Errorf("%q: status %d, want 400", hdr, status)
		}
	}
	// A proxy's forwarded https host is taken when it is a plain host.
	status, body2 := rawGet(t, addr, "/userscripts/hitwage.user.js", "Host: "+addr+"\r\nX-Forwarded-Host: Hitwage.Example:8443\r\nX-Forwarded-Proto: https")
	if status != 200 || !strings.Contains(body2, `const SITE = "https://hitwage.example:8443";`) ||
		!strings.Contains(body2, "// @connect      hitwage.example\n") {
		t.Errorf("forwarded host: status %d\n%.1200s", status, body2)
	}
}

// userscriptHeader reads the metadata block's keys and values.
func userscriptHeader(t *testing.T, script string) map[string][]string {
	t.Helper()
	start := strings.Index(script, "// ==UserScript==\n")
	end := strings.Index(script, "// ==/UserScript==")
	if start != 0 || end < 0 {
		t.Fatalf("no metadata block at the start:\n%.600s", script)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(script[len("// ==UserScript==\n"):end], "\n") {
		if line == "" {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(line, "//"))
		if !strings.HasPrefix(line, "// @") || len(f) < 1 {
			t.Fatalf("not a metadata line: %q", line)
		}
		out[f[0]] = append(out[f[0]], strings.Join(f[1:], " "))
	}
	return out
}

// rawGet sends a GET with the given header lines as they are and answers the status and body.
func rawGet(t *testing.T, addr, path, headers string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\n%s\r\nConnection: close\r\n\r\n", path, headers); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Ids of the Prolific-like world the browser test uses: researcher A has reports on the site,
// researcher B none.
const (
	usResearcherA = "5b0c1d2e3f405162738495a1"
	usResearcherB = "5b0c1d2e3f405162738495b2"
	usStudyA1     = "6c0d1e2f30415263748596a1"
	usStudyA2     = "6c0d1e2f30415263748596a2"
	usStudyB1     = "6c0d1e2f30415263748596b1"
	usStudyGone   = "6c0d1e2f30415263748596f9" // in no list, and its submission names no researcher
	usParticipant = "7d0e1f2031425364758697c3" // the participant's own id: never sent
	usStudyA2Name = `Rate <img src=x onerror=alert(1)> clips & "more"`
)

// usSubmission is a submission id of the test's history.
func usSubmission(n int) string { return fmt.Sprintf("8e0f102132435465768798%02x", n) }

// prolificLike serves a page like Prolific's participant app: its script fetches the studies
// list (fetch) and the submission history (XMLHttpRequest) from the same server, as JSON in
// Prolific's shapes, and lists the studies. It logs every path it is asked for.
type prolificLike struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func (p *prolificLike) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.paths...)
}

const prolificPage = `<!doctype html><html><head><meta charset="utf-8"><title>Studies</title></head>
<body><main id="app">Loading</main>
<script>
(async function () {
  const res = await fetch('/api/v1/participant/studies/');
  const studies = await res.json();
  const app = document.getElementById('app');
  app.textContent = '';
  const ul = document.createElement('ul');
  for (const s of studies.results) {
    const li = document.createElement('li');
    li.className = 'study';
    // Only the first study carries its id in the markup; the others are found by name.
    if (s.id.endsWith('a1')) li.setAttribute('data-testid', 'study-card-' + s.id);
    const h = document.createElement('h2');
    h.textContent = s.name;
    const p = document.createElement('p');
    p.textContent = s.researcher.name + ', £' + (s.study_reward.amount / 100).toFixed(2);
    li.append(h, p);
    ul.appendChild(li);
  }
  app.appendChild(ul);
  const x = new XMLHttpRequest();
  x.open('GET', '/api/v1/participant/submissions/?ordering=-started_at');
  x.responseType = 'json';
  x.onload = function () { document.body.setAttribute('data-history', String(x.response.results.length)); };
  x.send();
})();
</script></body></html>`

func newProlificLike(t *testing.T, now time.Time) *prolificLike {
	t.Helper()
	ts := func(d time.Duration) string { return now.Add(-d).Format("2006-01-02T15:04:05.000000Z") }
	money := func(amount int, cur string) map[string]any { return map[string]any{"amount": amount, "currency": cur} }
	study := func(id, name, rid, rname string, reward int) map[string]any {
		return map[string]any{"id": id, "name": name, "study_type": "SINGLE", "total_available_places": 100, "places_taken": 10,
			"study_reward": money(reward, "GBP"), "study_average_reward_per_hour": money(900, "GBP"),
			"researcher": map[string]any{"id": rid, "name": rname, "country": "GB"}, "estimated_completion_time": 15,
			"average_completion_time_in_seconds": 900, "is_ongoing_study": false, "study_labels": []string{}}
	}
	studies := map[string]any{"results": []any{
		study(usStudyA1, "Choices under a deadline", usResearcherA, "Userscript Decision Lab", 225),
		study(usStudyA2, usStudyA2Name, usResearcherA, "Userscript Decision Lab", 150),
		study(usStudyB1, "Reading speed, part 2", usResearcherB, "Userscript Reading Group", 300),
	}, "_links": map[string]any{"next": map[string]any{"href": nil}}}
	sub := func(n int, status string, studyField string, studyVal any, start, taken int, completed bool, reward map[string]any, bonus []any) map[string]any {
		s := map[string]any{"id": usSubmission(n), "status": status, studyField: studyVal, "participant_id": usParticipant,
			"started_at": ts(time.Duration(start) * time.Hour), "completed_at": nil, "returned_at": nil, "time_taken": nil,
			"submission_reward": reward, "bonus_payments": bonus, "is_complete": completed, "completion_code": nil}
		if completed {
			s["completed_at"] = ts(time.Duration(start)*time.Hour - time.Duration(taken)*time.Second)
			s["time_taken"] = taken
			s["completion_code"] = fmt.Sprintf("CODE%04d", n)
		}
		return s
	}
	withResearcher := map[string]any{"id": usStudyA1, "name": "Choices under a deadline",
		"researcher": map[string]any{"id": usResearcherA, "name": "Userscript Decision Lab"}}
	history := map[string]any{"results": []any{
		sub(1, "APPROVED", "study", withResearcher, 50, 1290, true, money(225, "GBP"), []any{money(50, "GBP"), money(25, "GBP")}),
		sub(2, "SCREENED OUT", "study_id", usStudyB1, 40, 200, true, money(14, "USD"), []any{}),
		sub(3, "RETURNED", "study", map[string]any{"id": usStudyA2, "name": usStudyA2Name}, 30, 0, false, money(0, "GBP"), []any{}),
		sub(4, "AWAITING REVIEW", "study", withResearcher, 20, 1140, true, money(225, "GBP"), []any{}),
		sub(5, "TIMED-OUT", "study", map[string]any{"id": usStudyA1}, 10, 0, false, money(225, "GBP"), []any{}),
		sub(6, "REJECTED", "study", map[string]any{"id": usStudyB1, "name": "Reading speed, part 2",
			"researcher": map[string]any{"id": usResearcherB}}, 9, 300, true, money(300, "GBP"), []any{}),
		sub(7, "ACTIVE", "study", withResearcher, 1, 0, false, money(225, "GBP"), []any{}),
		sub(8, "RESERVED", "study_id", usStudyB1, 1, 0, false, money(300, "GBP"), []any{}),
		sub(9, "APPROVED", "study_id", usStudyGone, 60, 600, true, money(100, "GBP"), []any{}),
	}}
	p := &prolificLike{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.paths = append(p.paths, r.Method+" "+r.URL.RequestURI())
		p.mu.Unlock()
		var body any
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, prolificPage)
			return
		case "/api/v1/participant/studies/":
			body = studies
		case "/api/v1/participant/submissions/":
			body = history
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(p.Close)
	return p
}

// gmShim stands in for the userscript manager: GM_getValue and GM_setValue keep values in the
// page origin's localStorage (so they outlive a reload), and GM_xmlhttpRequest sends with the
// page's own XMLHttpRequest (taken before the userscript wraps it) and logs what it sent in
// sessionStorage, for the test to read.
const gmShim = `(function () {
  const X = window.XMLHttpRequest;
  const ls = window.localStorage, ss = window.sessionStorage;
  window.GM_getValue = function (k, d) { const v = ls.getItem('gm:' + k); return v === null ? d : JSON.parse(v); };
  window.GM_setValue = function (k, v) { ls.setItem('gm:' + k, JSON.stringify(v)); };
  window.GM_xmlhttpRequest = function (d) {
    const log = JSON.parse(ss.getItem('gm-log') || '[]');
    log.push({ method: d.method, url: d.url, data: d.data === undefined ? null : d.data });
    ss.setItem('gm-log', JSON.stringify(log));
    const x = new X();
    x.open(d.method, d.url);
    for (const h in d.headers || {}) x.setRequestHeader(h, d.headers[h]);
    x.onload = function () { d.onload && d.onload({ status: x.status, responseText: x.responseText, responseHeaders: x.getAllResponseHeaders(), finalUrl: d.url }); };
    x.onerror = function () { d.onerror && d.onerror({ status: 0 }); };
    x.send(d.data === undefined ? null : d.data);
  };
})();
`

// usSite serves the site with researcher A's reports (by six workers, in pounds) and a
// reporting token scoped to Prolific; the Prolific-like origin may post reports (its CORS).
func usSite(t *testing.T, origin string) (site, string) {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-userscript-test-key-000"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var recs []records.Record
	for i := 0; i < 12; i++ {
		acc := now.Add(-time.Duration(i+2) * 24 * time.Hour)
		fin := acc.Add(15 * time.Minute)
		st := records.Approved
		if i%4 == 3 {
			st = records.ScreenedOut
		}
		recs = append(recs, records.Record{
			RequesterID: platform.Key(platform.Prolific, usResearcherA), RequesterName: "Userscript Decision Lab",
			HitSetID: usStudyA1, Title: "Choices under a deadline", AssignmentID: fmt.Sprintf("9f%022x", i),
			Reporter: h.Reporter("worker", fmt.Sprintf("W%d", i%6)), Reward: decimal.RequireFromString("2.25"), Currency: "GBP",
			AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 900, Status: st, AllottedSeconds: 3600, Source: "test", ReceivedAt: fin,
		})
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	// Figures with grades: the wages, then the ratings, then the directory scored by them.
	w := wages.New(s, wages.Config{})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	rt := ratings.New(s, w, ratings.Config{})
	if err := rt.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	dir := lookup.New(s, w, lookup.RatingsScorer{R: rt})
	if err := dir.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	deps := web.Deps{Store: s, Wages: w, Directory: dir}
	svc := ingest.NewService(s, h, ingest.Config{Rate: 1000, Burst: 1000, CORSOrigins: []string{origin}})
	secret, _, err := svc.Tokens.CreateFor(ctx, "userscript test", platform.Prolific)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close(context.Background()) }) // after the server's shutdown
	deps.Ingest, deps.Hasher = svc, h
	return site{base: serveDeps(t, deps), store: s, dir: deps.Directory, deps: deps}, secret
}

// requestLog is every request the browser made, as "METHOD URL".
type requestLog struct {
	mu     sync.Mutex
	reqs   []string
	posts  []string // the bodies of the posts to the reports API
	relays []string // the bodies of the posts to the studies API
}

func (l *requestLog) bodies() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.posts...)
}

func (l *requestLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.reqs...)
}

func (l *requestLog) count(method, prefix string) int {
	n := 0
	for _, r := range l.all() {
		if strings.HasPrefix(r, method+" "+prefix) {
			n++
		}
	}
	return n
}

// A participant with the userscript: the researchers' figures appear beside the studies, and
// once a token is saved the finished submissions reach the site once; a reload sends nothing
// again, and the browser talks to no one but the two local servers. Once in a manager (the
// shim's GM_* functions), once without one (the page's fetch and localStorage).
func TestUserscriptInBrowser(t *testing.T) {
	t.Run("manager", func(t *testing.T) { userscriptInBrowser(t, gmShim) })
	t.Run("no manager", func(t *testing.T) { userscriptInBrowser(t, "") })
}

func userscriptInBrowser(t *testing.T, shim string) {
	now := time.Now().UTC()
	pl := newProlificLike(t, now)
	st, secret := usSite(t, pl.URL)

	// The script as a participant downloads it.
	res, err := http.Get(st.base + "/userscripts/hitwage.user.js")
	if err != nil {
		t.Fatal(err)
	}
	script, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("download: %d %s", res.StatusCode, script)
	}

	ctx, blog := startBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	reqs := &requestLog{}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			reqs.mu.Lock()
			reqs.reqs = append(reqs.reqs, e.Request.Method+" "+e.Request.URL)
			if e.Request.Method == "POST" && (strings.HasSuffix(e.Request.URL, "/api/v1/reports") || strings.HasSuffix(e.Request.URL, "/api/v1/studies")) {
				var b []byte
				for _, d := range e.Request.PostDataEntries {
					b = append(b, d.Bytes...)
				}
				if strings.HasSuffix(e.Request.URL, "/api/v1/studies") {
					reqs.relays = append(reqs.relays, string(b))
				} else {
					reqs.posts = append(reqs.posts, string(b))
				}
			}
			reqs.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	// The shim and the script run in every document before its own scripts, as a manager's
	// document-start script does.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: shim + string(script)}); err != nil {
		t.Fatal(err)
	}
	shot := func(name string) {
		if dir := os.Getenv("HITWAGE_SCREENSHOTS"); dir != "" {
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				_ = os.WriteFile(filepath.Join(dir, name), png, 0o644)
			}
		}
	}

	// The expected badges, worked out from the site's own answer for researcher A.
	var a struct {
		Grade *string `json:"grade"`
		Wage  struct {
			Currency        string   `json:"currency"`
			EffectiveHourly *float64 `json:"effective_hourly"`
		} `json:"wage"`
	}
	getJSON(t, st.base+"/api/v1/requesters/"+usResearcherA+"?platform=prolific", 200, &a)
	if a.Grade == nil || a.Wage.EffectiveHourly == nil || a.Wage.Currency != "GBP" {
		t.Fatalf("researcher A has no grade or wage to show: %+v", a)
	}
	wantA := fmt.Sprintf("hitwage: grade %s · £%.2f/h", *a.Grade, *a.Wage.EffectiveHourly)
	wantBadges := map[string]string{usStudyA1: wantA, usStudyA2: wantA, usStudyB1: "hitwage: no reports yet"}
	// Each badge, and the name of the study whose list item holds it.
	const badges = `Object.fromEntries(Array.from(document.querySelectorAll('[data-hitwage-badge]')).map(function (b) {
		const li = b.closest('li.study');
		return [b.getAttribute('data-hitwage-badge'), {text: b.textContent, study: li ? li.querySelector('h2').textContent : ''}];
	}))`
	type badge struct{ Text, Study string }
	checkBadges := func(when string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('[data-hitwage-badge]').length === 3 && document.body.hasAttribute('data-history')`,
			chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[map[string]badge](badges))
			t.Fatalf("%s: the badges did not appear: %v (%+v)", when, err, got)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]badge](badges))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]string{usStudyA1: "Choices under a deadline", usStudyA2: usStudyA2Name, usStudyB1: "Reading speed, part 2"}
		for id, want := range wantBadges {
			if got[id].Text != want || got[id].Study != names[id] {
				t.Errorf("%s: badge of %s = %+v, want %q beside %q", when, id, got[id], want, names[id])
			}
		}
		// The panel lists every study, as text: the hostile name made no element.
		panel, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#hitwage-studies li')).map(function (li) { return li.textContent; })`))
		if err != nil || len(panel) != 3 || !strings.Contains(panel[1], usStudyA2Name) || !strings.HasSuffix(panel[1], strings.TrimPrefix(wantA, "hitwage: ")) {
			t.Errorf("%s: panel %q (%v)", when, panel, err)
		}
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('img').length`)); err != nil || n != 0 {
			t.Errorf("%s: %d img elements in the page (%v)", when, n, err)
		}
	}
	status := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('hitwage-status') || {}).textContent || ''`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	gmLog := func() []struct{ Method, URL, Data string } {
		t.Helper()
		var out []struct{ Method, URL, Data string }
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem('gm-log') || '[]'`))
		if err != nil {
			t.Fatal(err)
		}
		var entries []struct {
			Method string  `json:"method"`
			URL    string  `json:"url"`
			Data   *string `json:"data"`
		}
		if err := json.Unmarshal([]byte(raw), &entries); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			d := ""
			if e.Data != nil {
				d = *e.Data
			}
			out = append(out, struct{ Method, URL, Data string }{e.Method, e.URL, d})
		}
		return out
	}

	// 1. No token yet: the figures appear, from one batched lookup; nothing is reported.
	if err := chromedp.Do(ctx, chromedp.Navigate(pl.URL+"/")); err != nil {
		t.Fatal(err)
	}
	checkBadges("first visit")
	shot("userscript-badges.png")
	if n := reqs.count("GET", st.base+"/api/v1/requesters?"); n != 1 {
		t.Errorf("%d lookups on the first visit, want one batch", n)
	}
	for _, r := range reqs.all() {
		if strings.HasPrefix(r, "GET "+st.base+"/api/v1/requesters?") {
			q, _ := url.Parse(strings.TrimPrefix(r, "GET "))
			ids := strings.Split(q.Query().Get("ids"), ",")
			sort.Strings(ids)
			if q.Query().Get("platform") != "prolific" || strings.Join(ids, ",") != usResearcherA+","+usResearcherB {
				t.Errorf("lookup %s", r)
			}
		}
	}
	time.Sleep(300 * time.Millisecond)
	if s := status(); !strings.HasPrefix(s, "0 submissions sent") {
		t.Errorf("status before a token: %q", s)
	}
	if n := reqs.count("POST", st.base); n != 0 {
		t.Errorf("%d posts before a token was saved", n)
	}

	// 2. The participant pastes the token in the panel: the six finished submissions go, once.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#hitwage-toggle")),
		chromedp.WaitVisible(chromedp.CSS("#hitwage-token")),
		chromedp.SendKeys(chromedp.CSS("#hitwage-token"), secret),
		chromedp.Click(chromedp.CSS("#hitwage-save")),
	)
	if err != nil {
		t.Fatalf("save the token: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.getElementById('hitwage-status').textContent || '').indexOf('6 submissions sent') === 0`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		errText, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('hitwage-error').textContent`))
		t.Fatalf("the submissions were not sent: status %q, error %q", status(), errText)
	}
	shot("userscript-sent.png")
	type row struct{ Assignment, Requester, Study, Title, Status, Reward, Bonus, Currency string }
	stored := func() map[string]row {
		t.Helper()
		rs, err := st.store.Query(context.Background(), `SELECT assignment_id, requester_id, hit_set_id, title, toString(status),
			toString(reward), toString(bonus), currency FROM task_records FINAL WHERE source != 'test'`, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		out := map[string]row{}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.Assignment, &r.Requester, &r.Study, &r.Title, &r.Status, &r.Reward, &r.Bonus, &r.Currency); err != nil {
				t.Fatal(err)
			}
			out[r.Assignment] = r
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	keyA, keyB := platform.Key(platform.Prolific, usResearcherA), platform.Key(platform.Prolific, usResearcherB)
	want := map[string]row{
		usSubmission(1): {usSubmission(1), keyA, usStudyA1, "Choices under a deadline", "approved", "2.25", "0.75", "GBP"},
		usSubmission(2): {usSubmission(2), keyB, usStudyB1, "Reading speed, part 2", "screened_out", "0.14", "0", "USD"},
		usSubmission(3): {usSubmission(3), keyA, usStudyA2, usStudyA2Name, "returned", "0", "0", "GBP"},
		usSubmission(4): {usSubmission(4), keyA, usStudyA1, "Choices under a deadline", "pending", "2.25", "0", "GBP"},
		usSubmission(5): {usSubmission(5), keyA, usStudyA1, "Choices under a deadline", "timed_out", "2.25", "0", "GBP"},
		usSubmission(6): {usSubmission(6), keyB, usStudyB1, "Reading speed, part 2", "rejected", "3", "0", "GBP"},
	}
	got := stored()
	if len(got) != len(want) {
		t.Errorf("stored %d records, want %d: %+v", len(got), len(want), got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("record %s = %+v, want %+v", id, got[id], w)
		}
	}
	posts := func() []string {
		t.Helper()
		var viaShim []string
		for _, e := range gmLog() {
			if e.Method == "POST" && strings.HasSuffix(e.URL, "/api/v1/reports") {
				viaShim = append(viaShim, e.Data)
			}
		}
		if shim == "" && len(viaShim) > 0 || shim != "" && len(viaShim) != len(reqs.bodies()) {
			t.Errorf("%d posts through GM_xmlhttpRequest, %d seen by the browser", len(viaShim), len(reqs.bodies()))
		}
		return reqs.bodies()
	}
	sent := posts()
	if len(sent) != 1 || reqs.count("POST", st.base+"/api/v1/reports") != 1 {
		t.Fatalf("%d posts, want one: %q", len(sent), sent)
	}
	// What left the page: the report fields only, never the participant's id or completion codes.
	var body []map[string]any
	if err := json.Unmarshal([]byte(sent[0]), &body); err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"platform": true, "assignment_id": true, "hit_set_id": true, "requester_id": true, "requester_name": true,
		"title": true, "status": true, "reward": true, "bonus": true, "currency": true, "accepted_at": true, "finished_at": true, "duration_seconds": true}
	for _, rec := range body {
		for k := range rec {
			if !allowed[k] {
				t.Errorf("sent a field %q: %v", k, rec)
			}
		}
	}
	if strings.Contains(sent[0], usParticipant) || strings.Contains(sent[0], "CODE0") {
		t.Errorf("the participant's id or a completion code left the page: %s", sent[0])
	}
	if body[0]["duration_seconds"] != float64(1290) || body[0]["accepted_at"] == nil || body[0]["finished_at"] == nil {
		t.Errorf("first record's times: %v", body[0])
	}

	// 3. A reload: the figures come from the cache and nothing is sent again.
	lookups := reqs.count("GET", st.base+"/api/v1/requesters?")
	if err := chromedp.Do(ctx, chromedp.Navigate(pl.URL+"/")); err != nil {
		t.Fatal(err)
	}
	checkBadges("after a reload")
	time.Sleep(1500 * time.Millisecond) // time enough for a resend to show
	if s := status(); !strings.HasPrefix(s, "6 submissions sent") {
		t.Errorf("status after a reload: %q", s)
	}
	if n := reqs.count("POST", st.base+"/api/v1/reports"); n != 1 {
		t.Errorf("after a reload: %d report posts, want still one", n)
	}
	// With a token, the studies list seen on the reload is relayed once as listings: what every
	// participant sees of a study, nothing of the participant.
	if n := reqs.count("POST", st.base+"/api/v1/studies"); n != 1 {
		t.Errorf("after a reload: %d listing relays, want one", n)
	}
	reqs.mu.Lock()
	relays := append([]string(nil), reqs.relays...)
	reqs.mu.Unlock()
	for _, b := range append(posts(), relays...) {
		if strings.Contains(b, usParticipant) || strings.Contains(b, "CODE0") {
			t.Errorf("the participant's id or a completion code left the page: %s", b)
		}
	}
	var listings uint64
	if err := st.store.QueryRow(context.Background(), `SELECT count() FROM listing_snapshots WHERE source = 'prolific-studies'
		AND requester_id IN ({a:String}, {b:String}) AND advertised_hourly = 9 AND estimated_seconds = 900`,
		store.Args{"a": keyA, "b": keyB}, &listings); err != nil || listings != 3 {
		t.Errorf("%d study listings relayed (%v), want the 3 studies", listings, err)
	}
	if n := reqs.count("GET", st.base+"/api/v1/requesters?"); n != lookups {
		t.Errorf("after a reload: %d lookups, want the cached %d", n, lookups)
	}
	if got := stored(); len(got) != len(want) {
		t.Errorf("after a reload: %d records, want %d", len(got), len(want))
	}

	// 4. The off switch: no lookups, no reports, no badges.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#hitwage-toggle")),
		chromedp.Click(chromedp.CSS("#hitwage-enabled")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('[data-hitwage-badge]').length === 0`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("badges stayed after switching off: %v", err)
	}
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`localStorage.setItem('gm:figures.prolific', '{}'), localStorage.setItem('hitwage:figures.prolific', '{}'), true`)) // a stale cache would ask again
	if err != nil {
		t.Fatal(err)
	}
	before := len(reqs.all())
	if err := chromedp.Do(ctx, chromedp.Navigate(pl.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.hasAttribute('data-history')`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	for _, r := range reqs.all()[before:] {
		if strings.Contains(r, st.base) {
			t.Errorf("switched off, the script still sent %s", r)
		}
	}

	// Nothing went anywhere but the two local servers, and the script asked Prolific's server
	// for nothing: it only read what the page fetched (three visits, one of each a visit).
	for _, r := range reqs.all() {
		u, err := url.Parse(r[strings.IndexByte(r, ' ')+1:])
		if err != nil || u.Scheme == "data" {
			continue
		}
		if origin := u.Scheme + "://" + u.Host; origin != st.base && origin != pl.URL {
			t.Errorf("a request left the two local servers: %s", r)
		}
	}
	counts := map[string]int{}
	for _, p := range pl.seen() {
		counts[p]++
	}
	if counts["GET /"] != 3 || counts["GET /api/v1/participant/studies/"] != 3 || counts["GET /api/v1/participant/submissions/?ordering=-started_at"] != 3 {
		t.Errorf("the Prolific-like server was asked for %v", counts)
	}
	for p := range counts {
		if p != "GET /" && p != "GET /favicon.ico" && !strings.HasPrefix(p, "GET /api/v1/participant/") {
			t.Errorf("the Prolific-like server was asked for %s", p)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if console, offsite := blog.take(); len(console) > 0 || len(offsite) > 0 {
		t.Errorf("console errors %v, offsite requests %v", console, offsite)
	}
}
