package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

// limitsDeps is a computed site on demo data with n MTurk requesters, with limits l.
func limitsDeps(t *testing.T, n int, l web.Limits) web.Deps {
	t.Helper()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-limits-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), s, h, demo.Options{Requesters: n, Records: 100 * n, Now: fixtureNow}); err != nil {
		t.Fatal(err)
	}
	d := computedDeps(t, s)
	d.Limits = l
	return d
}

// mturkIDs are the ids of the directory's MTurk requesters with records.
func mturkIDs(d *lookup.Directory) []string {
	var ids []string
	for _, r := range d.All() {
		if r.Platform == platform.MTurk && r.Wages.Records > 0 {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// fetched is what a GET came back with.
type fetched struct {
	status     int
	retryAfter string
	body       string
	err        error
}

func getOnce(url string) fetched {
	res, err := http.Get(url)
	if err != nil {
		return fetched{err: err}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return fetched{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After"), body: string(b), err: err}
}

// getAtOnce GETs every URL at once.
func getAtOnce(urls []string) []fetched {
	out := make([]fetched, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() { out[i] = getOnce(u) })
	}
	wg.Wait()
	return out
}

// metric is the value of the sample named (with its labels) in the operations /metrics.
func metric(t *testing.T, ops, sample string) float64 {
	t.Helper()
	a := getOnce(ops + "/metrics")
	if a.err != nil || a.status != 200 {
		t.Fatalf("/metrics: %d %v", a.status, a.err)
	}
	sc := bufio.NewScanner(strings.NewReader(a.body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("/metrics: %s: %v", sc.Text(), err)
			}
			return f
		}
	}
	t.Fatalf("/metrics lacks %s:\n%s", sample, a.body)
	return 0
}

const partsReads = `hitwage_store_reads_total{what="requester_parts"}`

// 64 visitors open 64 different requester pages none of which is kept yet, each needing its own
// store read: every one is answered, 200 or 429 with Retry-After (a slot did not free within
// QueueWait), never an error or a time-out, and each 200 cost one read. Run with the default slots
// and with one slot and almost no wait, where most are refused.
func TestColdRequesterPagesUnderLoad(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limits web.Limits
	}{
		{"default slots", web.Limits{Rate: -1}},
		{"one slot", web.Limits{Rate: -1, StoreSlots: 1, QueueWait: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := limitsDeps(t, 70, tc.limits)
			base, ops := serveWithOps(t, d)
			ids := mturkIDs(d.Directory)
			if len(ids) < 64 {
				t.Fatalf("%d requesters with records, want 64", len(ids))
			}
			urls := make([]string, 64)
			for i := range urls {
				urls[i] = base + "/requesters/" + ids[i]
			}
			ok, busy := 0, 0
			for i, a := range getAtOnce(urls) {
				switch {
				case a.err != nil:
					t.Errorf("GET %s: %v", urls[i], a.err)
				case a.status == 200:
					ok++
				case a.status == 429 && a.retryAfter == "1" && strings.Contains(a.body, "<h1>429</h1>"):
					busy++
				default:
					t.Errorf("GET %s: %d (Retry-After %q) %.200s", urls[i], a.status, a.retryAfter, a.body)
				}
			}
			t.Logf("%d pages sent, %d refused as busy", ok, busy)
			if ok == 0 {
				t.Error("no page was sent")
			}
			if reads := metric(t, ops, partsReads); int(reads) != ok {
				t.Errorf("%v store reads for %d pages sent", reads, ok)
			}
			if refused := metric(t, ops, `hitwage_limited_total{reason="busy"}`); int(refused) != busy {
				t.Errorf("/metrics counts %v refusals, %d were answered", refused, busy)
			}
		})
	}
}

// Many visitors open the same page before it is kept (a link posted on a forum): one store read
// serves them all.
func TestConcurrentRequestsForOnePageShareOneRead(t *testing.T) {
	d := limitsDeps(t, 5, web.Limits{Rate: -1, StoreSlots: 1})
	base, ops := serveWithOps(t, d)
	url := base + "/requesters/" + mturkIDs(d.Directory)[0]
	urls := make([]string, 48)
	for i := range urls {
		urls[i] = url
	}
	for i, a := range getAtOnce(urls) {
		if a.err != nil || a.status != 200 {
			t.Fatalf("request %d: %d %v %.200s", i, a.status, a.err, a.body)
		}
	}
	if reads := metric(t, ops, partsReads); reads != 1 {
		t.Fatalf("%v store reads for 48 requests of one page, want 1", reads)
	}
}

// A client over its rate of store-querying requests gets 429 with Retry-After, as HTML for a
// page and JSON for the API; answers from memory (a kept page, the directory's JSON) are not
// counted and still come.
func TestClientOverRateGets429(t *testing.T) {
	d := limitsDeps(t, 5, web.Limits{Rate: 0.001, Burst: 2})
	base, ops := serveWithOps(t, d)
	ids := mturkIDs(d.Directory)
	for _, id := range ids[:2] {
		if a := getOnce(base + "/requesters/" + id); a.status != 200 {
			t.Fatalf("page %s within the burst: %d %.200s", id, a.status, a.body)
		}
	}
	a := getOnce(base + "/requesters/" + ids[2])
	if n, err := strconv.Atoi(a.retryAfter); a.status != 429 || err != nil || n < 1 || !strings.Contains(a.body, "<h1>429</h1>") {
		t.Fatalf("a third cold page: %d Retry-After %q %.300s, want 429 with Retry-After", a.status, a.retryAfter, a.body)
	}
	for _, path := range []string{"/requesters/" + ids[0], "/api/v1/requesters/" + ids[2], "/api/v1/search?q=a", "/embed/requesters/" + ids[2] + "/badge.svg"} {
		if a := getOnce(base + path); a.status != 200 {
			t.Errorf("%s, answered from memory: %d, want 200", path, a.status)
		}
	}
	a = getOnce(base + "/api/v1/hits/3HOSTILEGROUP00000000000000001")
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if n, err := strconv.Atoi(a.retryAfter); a.status != 429 || err != nil || n < 1 || json.Unmarshal([]byte(a.body), &e) != nil || e.Error.Code != "rate_limited" {
		t.Fatalf("a HIT group over the rate: %d Retry-After %q %.300s, want a JSON 429 rate_limited", a.status, a.retryAfter, a.body)
	}
	if refused := metric(t, ops, `hitwage_limited_total{reason="rate"}`); refused != 2 {
		t.Fatalf("/metrics counts %v refusals over the rate, want 2", refused)
	}
}
