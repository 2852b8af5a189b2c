package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

type ingestEnv struct {
	s     *store.Store
	h     *records.Hasher
	svc   *ingest.Service
	base  string
	token string
	tokID string
}

func newIngestEnv(t testing.TB, cfg ingest.Config) *ingestEnv {
	t.Helper()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-ingest-test-key-000000"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rate == 0 {
		cfg.Rate, cfg.Burst = 1000, 1000
	}
	svc := ingest.NewService(s, h, cfg)
	secret, tok, err := svc.Tokens.Create(context.Background(), "test script")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close(context.Background()) }) // after the server's shutdown (cleanups run last first)
	base := serveDeps(t, web.Deps{Store: s, Ingest: svc, Hasher: h})
	return &ingestEnv{s: s, h: h, svc: svc, base: base, token: secret, tokID: tok.ID}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (e *ingestEnv) post(t *testing.T, token, body string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.base+"/api/v1/reports", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header, b}
}

func (e *ingestEnv) count(t *testing.T, where string, args store.Args) uint64 {
	t.Helper()
	q := "SELECT count() FROM task_records FINAL"
	if where != "" {
		q += " WHERE " + where
	}
	var n uint64
	if err := e.s.QueryRow(context.Background(), q, args, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
		Errors  []struct {
			Index   *int   `json:"index"`
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"error"`
}

func decodeErr(t *testing.T, a answer, status int, code string) apiError {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	var e apiError
	if err := json.Unmarshal(a.body, &e); err != nil || e.Error.Code != code {
		t.Fatalf("error body %s (%v), want code %s", a.body, err, code)
	}
	return e
}

// rec renders one valid record; n makes its ids unique.
func rec(n int, extra string) string {
	return fmt.Sprintf(`{"hit_set_id":"3HWGRP%024d","hit_id":"3HWHIT%024d","assignment_id":"3HWASG%024d",`+
		`"requester_id":"A3HWTESTREQ0001","requester_name":"Harbor <Survey> Lab","title":"Survey %d","reward":0.75,"bonus":"0.10",`+
		`"accepted_at":"2026-11-20T14:00:00Z","finished_at":"2026-11-20T14:06:30Z","status":"submitted","allotted_seconds":1800%s}`,
		n%100, n, n, n, extra)
}

func TestReportsStoresBatch(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	body := "[" + rec(1, "") + "," + rec(2, `,"worker_id":"A1HWTESTWORKER01"`) + "," + rec(3, `,"duration_seconds":"6:30","finished_at":null`) + "]"
	a := e.post(t, e.token, body, "Origin", "https://worker.mturk.com")
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var res ingest.Result
	if err := json.Unmarshal(a.body, &res); err != nil || res.Received != 3 || res.Stored != 3 || res.Duplicates != 0 {
		t.Fatalf("result %s", a.body)
	}
	if a.header.Get("Access-Control-Allow-Origin") != "https://worker.mturk.com" {
		t.Fatalf("no CORS header on the answer: %v", a.header)
	}
	// Acknowledged means readable, at once.
	if n := e.count(t, "duration_seconds = 390 AND source = 'api'", nil); n != 3 {
		t.Fatalf("%d records readable after the ack, want 3", n)
	}
	// The worker's record carries the worker's pseudonym, the others the token's; no raw worker id anywhere.
	if n := e.count(t, "reporter = {r:String} AND assignment_id = {a:String}", store.Args{
		"r": e.h.Reporter("worker", "A1HWTESTWORKER01"), "a": fmt.Sprintf("3HWASG%024d", 2)}); n != 1 {
		t.Fatal("worker record's reporter is not the worker pseudonym")
	}
	if n := e.count(t, "reporter = {r:String}", store.Args{"r": e.h.Reporter("token", e.tokID)}); n != 2 {
		t.Fatalf("%d records under the token's pseudonym, want 2", n)
	}
	var leaks uint64
	if err := e.s.QueryRow(context.Background(), `SELECT count() FROM task_records WHERE
		position(concat(reporter, hit_set_id, hit_id, assignment_id, requester_name, title, source), 'HWTESTWORKER') > 0`, nil, &leaks); err != nil || leaks != 0 {
		t.Fatalf("raw worker id stored (%d, %v)", leaks, err)
	}

	// NDJSON and a single object work too.
	if a := e.post(t, e.token, rec(4, "")+"\n"+rec(5, "")+"\n"); a.status != 200 || !strings.Contains(string(a.body), `"stored":2`) {
		t.Fatalf("ndjson: %d %s", a.status, a.body)
	}
	if a := e.post(t, e.token, "{\n  \"requester_id\": \"A3HWTESTREQ0001\",\n  \"reward\": \"1.00\",\n  \"duration_seconds\": 60,\n  \"finished_at\": \"2026-11-21T08:00:00Z\"\n}"); a.status != 200 {
		t.Fatalf("single object: %d %s", a.status, a.body)
	}
	if n := e.count(t, "", nil); n != 6 {
		t.Fatalf("%d records, want 6", n)
	}
}

func TestReportsReplayIsNoDuplicate(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	var recs []string
	for i := 0; i < 50; i++ {
		recs = append(recs, rec(i, ""))
	}
	body := "[" + strings.Join(recs, ",") + "]"
	for i := 0; i < 3; i++ {
		if a := e.post(t, e.token, body); a.status != 200 {
			t.Fatalf("post %d: %d %s", i, a.status, a.body)
		}
	}
	if n := e.count(t, "", nil); n != 50 {
		t.Fatalf("%d records after three replays, want 50", n)
	}
	// A later report of the same assignment wins: the status moves on, still one record.
	if a := e.post(t, e.token, rec(7, `,"status":"approved","decided_at":"2026-11-22T10:00:00Z"`)); a.status != 200 {
		t.Fatalf("update: %d %s", a.status, a.body)
	}
	if n := e.count(t, "", nil); n != 50 {
		t.Fatalf("%d records after an update, want 50", n)
	}
	if n := e.count(t, "status = 'approved' AND assignment_id = {a:String}", store.Args{"a": fmt.Sprintf("3HWASG%024d", 7)}); n != 1 {
		t.Fatal("the later status did not win")
	}
	// The same task twice in one request counts once.
	a := e.post(t, e.token, "["+rec(60, "")+","+rec(60, `,"status":"returned"`)+"]")
	if a.status != 200 || !strings.Contains(string(a.body), `"stored":1,"duplicates":1`) {
		t.Fatalf("in-batch duplicate: %d %s", a.status, a.body)
	}
	if n := e.count(t, "status = 'returned'", nil); n != 1 {
		t.Fatal("the later report in the batch did not win")
	}
}

func TestReportsRejectsBadRecordsWhole(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	bad := []struct{ extra, field string }{
		{`,"status":"finished"`, "status"},
		{`,"reward":-1`, "reward"},
		{`,"duration_seconds":0.5,"finished_at":""`, "duration_seconds"},
		{`,"duration_seconds":"25:00:00","finished_at":""`, "duration_seconds"},
		{`,"finished_at":"2026-11-20T13:00:00Z"`, "finished_at"},
		{`,"hit_set_id":"3K2CED"`, "hit_set_id"},
		{`,"requester_id":"not-a-requester"`, "requester_id"},
		{`,"assignment_id":"'; DROP TABLE task_records; --"`, "assignment_id"},
		{`,"worker_id":"W123"`, "worker_id"},
		{`,"accepted_at":"last tuesday"`, "accepted_at"},
	}
	items := []string{rec(100, "")}
	for i, b := range bad {
		items = append(items, rec(i, b.extra))
	}
	items = append(items, rec(len(bad)+1, `,"assignment_id":"","accepted_at":"","finished_at":"","duration_seconds":60`))
	items = append(items, `"not an object"`, rec(101, ""))
	er := decodeErr(t, e.post(t, e.token, "["+strings.Join(items, ",")+"]"), 422, "invalid_records")
	got := map[int]string{}
	for _, p := range er.Error.Errors {
		if p.Index == nil {
			t.Fatalf("problem without index: %+v", p)
		}
		if _, seen := got[*p.Index]; !seen {
			got[*p.Index] = p.Field
		}
	}
	for i, b := range bad {
		if got[i+1] != b.field {
			t.Errorf("record %d: problem on %q, want %q (all: %s)", i+1, got[i+1], b.field, fmt.Sprint(er.Error.Errors))
		}
	}
	if got[len(bad)+1] != "finished_at" || got[len(bad)+2] != "record" || len(got) != len(bad)+2 {
		t.Errorf("problems %v", got)
	}
	if strings.Contains(fmt.Sprint(er), "W123") {
		t.Error("the error echoes a worker id")
	}
	// All or nothing: the good records of the refused batch were not stored either.
	if n := e.count(t, "", nil); n != 0 {
		t.Fatalf("%d records stored from a refused batch, want 0", n)
	}

	decodeErr(t, e.post(t, e.token, `[{"requester_id": "A3HWTESTREQ0001",`), 400, "bad_json")
	decodeErr(t, e.post(t, e.token, ``), 400, "bad_json")
	decodeErr(t, e.post(t, e.token, `requester_id,reward`), 400, "bad_json")
}

func TestReportsLimits(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{MaxBodyBytes: 4000, MaxRecords: 3})
	big := "[" + strings.Repeat(rec(1, "")+",", 20) + rec(2, "") + "]"
	er := decodeErr(t, e.post(t, e.token, big), 413, "body_too_large")
	if er.Error.Field != "body" {
		t.Fatalf("field %q", er.Error.Field)
	}
	// A chunked body has no Content-Length: the limit still holds.
	req, _ := http.NewRequest(http.MethodPost, e.base+"/api/v1/reports", io.MultiReader(strings.NewReader(big)))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.ContentLength = -1
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	decodeErr(t, answer{res.StatusCode, res.Header, b}, 413, "body_too_large")

	decodeErr(t, e.post(t, e.token, "["+rec(1, "")+","+rec(2, "")+","+rec(3, "")+","+rec(4, "")+"]"), 413, "too_many_records")
	if n := e.count(t, "", nil); n != 0 {
		t.Fatalf("%d records stored", n)
	}
}

func TestReportsAuth(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	a := e.post(t, "", rec(1, ""))
	decodeErr(t, a, 401, "unauthorized")
	if !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("WWW-Authenticate %q", a.header.Get("WWW-Authenticate"))
	}
	decodeErr(t, e.post(t, "hwt_0000_wrong", rec(1, "")), 401, "unauthorized")
	decodeErr(t, e.post(t, e.token+"0", rec(1, "")), 401, "unauthorized")
	if _, err := e.svc.Tokens.Revoke(context.Background(), e.tokID); err != nil {
		t.Fatal(err)
	}
	decodeErr(t, e.post(t, e.token, rec(1, "")), 401, "unauthorized")
	if n := e.count(t, "", nil); n != 0 {
		t.Fatalf("%d records stored without a valid token", n)
	}
}

func TestReportsRateLimit(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{Rate: 0.2, Burst: 2})
	for i := 0; i < 2; i++ {
		if a := e.post(t, e.token, rec(i, "")); a.status != 200 {
			t.Fatalf("request %d: %d %s", i, a.status, a.body)
		}
	}
	a := e.post(t, e.token, rec(3, ""), "Origin", "https://worker.mturk.com")
	decodeErr(t, a, 429, "rate_limited")
	secs, err := strconv.Atoi(a.header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 5 {
		t.Fatalf("Retry-After %q", a.header.Get("Retry-After"))
	}
	if a.header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatal("a userscript cannot read the 429: no CORS header")
	}
	// The limit is per token: another token is not slowed.
	other, _, err := e.svc.Tokens.Create(context.Background(), "other")
	if err != nil {
		t.Fatal(err)
	}
	if a := e.post(t, other, rec(4, "")); a.status != 200 {
		t.Fatalf("other token: %d %s", a.status, a.body)
	}
}

func TestReportsCORSPreflight(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, e.base+"/api/v1/reports", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	res := preflight("https://worker.mturk.com")
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "https://worker.mturk.com" ||
		!strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")), "authorization") ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight: %d %v", res.StatusCode, res.Header)
	}
	// Prolific's participant app, where its workers' userscripts run now.
	if res := preflight("https://app.prolific.com"); res.Header.Get("Access-Control-Allow-Origin") != "https://app.prolific.com" {
		t.Fatalf("preflight from Prolific's participant app: %v", res.Header)
	}
	if res := preflight("https://evil.example"); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from another origin allowed: %v", res.Header)
	}
}

// BenchmarkReportsAPI posts batches of 1,000 records over loopback HTTP from 4 clients and
// reports stored records a second (each request returns once its records are stored).
func BenchmarkReportsAPI(b *testing.B) {
	e := newIngestEnv(b, ingest.Config{})
	const batch, clients = 1000, 4
	bodies := make([]string, 8)
	for i := range bodies {
		recs := make([]string, batch)
		for j := range recs {
			recs[j] = rec(i*batch+j, "")
		}
		bodies[i] = "[" + strings.Join(recs, ",") + "]"
	}
	b.SetBytes(int64(len(bodies[0])))
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, e.base+"/api/v1/reports", strings.NewReader(bodies[i%int64(len(bodies))]))
				req.Header.Set("Authorization", "Bearer "+e.token)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N*batch)/time.Since(start).Seconds(), "records/s")
}

// TestReportsSurviveSIGKILL kills a serving child process with SIGKILL while batches are in
// flight, then opens its data directory in another process: every acknowledged record is there.
func TestReportsSurviveSIGKILL(t *testing.T) {
	if os.Getenv("HITWAGE_CRASH_MODE") != "" {
		t.Skip("child process")
	}
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	child.Env = append(os.Environ(), "HITWAGE_CRASH_MODE=serve", "HITWAGE_CRASH_DIR="+dir)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	var base, token string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "READY" {
			base, token = f[1], f[2]
			break
		}
	}
	if base == "" {
		t.Fatal("child did not start")
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()

	// Four clients post batches of 200 until the child dies; it is killed after 15 acks.
	var (
		mu    sync.Mutex
		acked []string
		acks  atomic.Int64
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	killed := make(chan struct{})
	var once sync.Once
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := int(next.Add(1))
				ids := make([]string, 200)
				recs := make([]string, 200)
				for j := range recs {
					k := n*1000 + j
					ids[j] = fmt.Sprintf("3HWASG%024d", k)
					recs[j] = rec(k, "")
				}
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/reports", strings.NewReader("["+strings.Join(recs, ",")+"]"))
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					return // the child is gone
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					return
				}
				mu.Lock()
				acked = append(acked, ids...)
				mu.Unlock()
				if acks.Add(1) == 15 {
					once.Do(func() {
						_ = child.Process.Signal(syscall.SIGKILL)
						close(killed)
					})
				}
			}
		}()
	}
	wg.Wait()
	<-killed
	_ = child.Wait()

	list := filepath.Join(t.TempDir(), "acked.txt")
	if err := os.WriteFile(list, []byte(strings.Join(acked, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	verify := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.v")
	verify.Env = append(os.Environ(), "HITWAGE_CRASH_MODE=verify", "HITWAGE_CRASH_DIR="+dir, "HITWAGE_CRASH_ACKED="+list)
	// Judged by what the child printed: under -race the child can crash on exit, after it
	// printed (the race runtime and the embedded engine's shutdown disagree).
	res, err := verify.CombinedOutput()
	if !strings.Contains(string(res), fmt.Sprintf("FOUND %d OF %d", len(acked), len(acked))) {
		t.Fatalf("after SIGKILL (%d records acknowledged): %v\n%s", len(acked), err, res)
	}
	if len(acked) < 15*200 {
		t.Fatalf("only %d records acknowledged", len(acked))
	}
	t.Logf("all %d acknowledged records survived SIGKILL", len(acked))
}

// TestCrashChild is the child process of TestReportsSurviveSIGKILL.
func TestCrashChild(t *testing.T) {
	mode, dir := os.Getenv("HITWAGE_CRASH_MODE"), os.Getenv("HITWAGE_CRASH_DIR")
	if mode == "" {
		t.Skip("runs only as TestReportsSurviveSIGKILL's child")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx, store.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	if mode == "verify" {
		b, err := os.ReadFile(os.Getenv("HITWAGE_CRASH_ACKED"))
		if err != nil {
			t.Fatal(err)
		}
		ids := strings.Split(strings.TrimSpace(string(b)), "\n")
		var n uint64
		if err := s.QueryRow(ctx, "SELECT count() FROM task_records FINAL WHERE assignment_id IN {ids:Array(String)}",
			store.Args{"ids": ids}, &n); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("FOUND %d OF %d\n", n, len(ids))
		return
	}
	h, err := records.NewHasher([]byte("crash-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	svc := ingest.NewService(s, h, ingest.Config{Rate: 1000, Burst: 1000})
	secret, _, err := svc.Tokens.Create(ctx, "crash")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := web.New(web.Deps{Store: s, Version: "crash", Ingest: svc})
	fmt.Printf("READY http://%s %s\n", ln.Addr(), secret)
	_ = app.Listener(ln) // serves until the parent kills this process
}

// prolificRec renders one valid Prolific record; n makes its submission id unique.
func prolificRec(n int, extra string) string {
	return fmt.Sprintf(`{"platform":"prolific","requester_id":"5f3c0a1b2c3d4e5f60718293","hit_set_id":"64a1b2c3d4e5f60718293a4b",`+
		`"assignment_id":"65b2c3d4e5f60718293a%04x","reward":"1.20","accepted_at":"2026-11-20T14:00:00Z","finished_at":"2026-11-20T14:09:00Z"%s}`, n, extra)
}

// A Prolific batch: pounds by default, dollars when named, Prolific's own status names (a
// screen-out, a time-out), every record stored under the researcher's platform-qualified key;
// an MTurk record beside them keeps its bare key and dollars.
func TestReportsPlatformsAndCurrencies(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	body := "[" + strings.Join([]string{
		prolificRec(1, `,"status":"APPROVED"`),
		prolificRec(2, `,"currency":"USD","reward":"$1.60","bonus":"0.40","status":"AWAITING REVIEW"`),
		prolificRec(3, `,"currency":"GBP","reward":"£0.10","status":"SCREENED OUT"`),
		prolificRec(4, `,"status":"TIMED-OUT","worker_id":"5e9d8c7b6a5f4e3d2c1b0a99"`),
		rec(5, `,"status":"Paid"`),
	}, ",") + "]"
	a := e.post(t, e.token, body)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	rs, err := e.s.Query(context.Background(), `SELECT requester_id, assignment_id, currency, toString(status), toString(reward), toString(bonus)
		FROM task_records FINAL ORDER BY assignment_id`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rs.Next() {
		var key, asg, cur, status, reward, bonus string
		if err := rs.Scan(&key, &asg, &cur, &status, &reward, &bonus); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{key, asg, cur, status, reward, bonus}, " "))
	}
	rs.Close()
	const key = "prolific:5f3c0a1b2c3d4e5f60718293"
	want := []string{
		"A3HWTESTREQ0001 3HWASG000000000000000000000005 USD approved 0.75 0.1",
		key + " 65b2c3d4e5f60718293a0001 GBP approved 1.2 0",
		key + " 65b2c3d4e5f60718293a0002 USD pending 1.6 0.4",
		key + " 65b2c3d4e5f60718293a0003 GBP screened_out 0.1 0",
		key + " 65b2c3d4e5f60718293a0004 GBP timed_out 1.2 0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("stored:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := e.count(t, "requester_id = '5f3c0a1b2c3d4e5f60718293'", nil); n != 0 {
		t.Fatalf("%d Prolific records stored under the bare id", n)
	}
}

// A bad platform, a currency the platform does not pay in (or not an upper-case ISO 4217 code),
// an id of another platform's shape: the batch is refused whole, each problem named by record
// index and field, as every invalid record is; a platform or currency the server does not know
// makes it a 400 naming that field (the contract), other problems alone a 422.
func TestReportsRefuseBadPlatformsAndCurrencies(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	bad := []struct{ record, field, msg string }{
		{prolificRec(1, `,"platform":"toloka"`), "platform", "one of mturk, prolific"},
		{rec(2, `,"platform":["mturk"]`), "platform", "must be a string"},
		{rec(3, `,"currency":"EUR"`), "currency", "is not a currency MTurk pays in: USD"},
		{rec(4, `,"currency":"usd"`), "currency", "upper case (USD)"},
		{rec(5, `,"currency":"XX"`), "currency", "ISO 4217"},
		{prolificRec(6, `,"currency":"EUR"`), "currency", "Prolific pays in: GBP or USD"},
		{rec(7, `,"platform":"prolific","hit_set_id":"","hit_id":"","assignment_id":""`), "requester_id", "a Prolific researcher id (24 lower-case hexadecimal characters)"},
		{rec(8, `,"platform":"prolific","requester_id":"5f3c0a1b2c3d4e5f60718293","hit_id":""`), "hit_set_id", "a Prolific study id"},
		{prolificRec(9, `,"platform":"mturk"`), "requester_id", "an MTurk requester id"},
		{prolificRec(10, `,"status":"Paid"`), "status", "nor a status name of Prolific"},
	}
	items := []string{prolificRec(100, "")}
	for _, b := range bad {
		items = append(items, b.record)
	}
	er := decodeErr(t, e.post(t, e.token, "["+strings.Join(items, ",")+"]"), 400, "invalid_records")
	if er.Error.Field != "platform" {
		t.Errorf("the 400 names field %q, want platform", er.Error.Field)
	}
	probs := map[int][]string{}
	for _, p := range er.Error.Errors {
		probs[*p.Index] = append(probs[*p.Index], p.Field+": "+p.Message)
	}
	for i, b := range bad {
		found := false
		for _, p := range probs[i+1] {
			found = found || strings.HasPrefix(p, b.field+": ") && strings.Contains(p, b.msg)
		}
		if !found {
			t.Errorf("record %d: problems %q, want one on %s containing %q", i+1, probs[i+1], b.field, b.msg)
		}
	}
	if _, ok := probs[0]; ok || len(probs) != len(bad) {
		t.Errorf("problems %v", probs)
	}
	if n := e.count(t, "", nil); n != 0 {
		t.Fatalf("%d records stored from a refused batch", n)
	}
	// A currency alone is a 400 naming currency; another platform's id shape alone is a 422.
	er = decodeErr(t, e.post(t, e.token, "["+rec(20, `,"currency":"EUR"`)+"]"), 400, "invalid_records")
	if er.Error.Field != "currency" {
		t.Errorf("the 400 names field %q, want currency", er.Error.Field)
	}
	decodeErr(t, e.post(t, e.token, "["+prolificRec(21, `,"platform":"mturk"`)+"]"), 422, "invalid_records")
}

// A token scoped to Prolific (a Prolific userscript's) reports Prolific's tasks only: an MTurk
// record from it is a 400 naming platform and nothing is stored; an unscoped token reports both.
func TestTokenScopedToAPlatform(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	secret, tok, err := e.svc.Tokens.CreateFor(context.Background(), "prolific script", platform.Prolific)
	if err != nil || tok.Platform != "prolific" {
		t.Fatalf("create: %+v %v", tok, err)
	}
	er := decodeErr(t, e.post(t, secret, "["+prolificRec(1, "")+","+rec(2, "")+"]"), 400, "invalid_records")
	if er.Error.Field != "platform" || len(er.Error.Errors) != 1 || *er.Error.Errors[0].Index != 1 {
		t.Errorf("scoped token's MTurk record: %+v", er.Error)
	}
	if n := e.count(t, "", nil); n != 0 {
		t.Fatalf("%d records stored from a refused batch", n)
	}
	if a := e.post(t, secret, prolificRec(3, "")); a.status != 200 {
		t.Fatalf("scoped token's Prolific record: %d %s", a.status, a.body)
	}
	if a := e.post(t, e.token, "["+prolificRec(4, "")+","+rec(5, "")+"]"); a.status != 200 {
		t.Fatalf("unscoped token's two platforms: %d %s", a.status, a.body)
	}
	if _, _, err := e.svc.Tokens.CreateFor(context.Background(), "x", "toloka"); err == nil {
		t.Error("a token scoped to an unknown platform was created")
	}
}
