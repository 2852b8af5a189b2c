package mturk_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/collect"
	"github.com/hitwage/hitwage/internal/collect/mturk"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const interval = 40 * time.Millisecond

// fullSite serves five list pages with every fault the crawler must survive.
func fullSite(t *testing.T) (*site, string) {
	s := newSite(t)
	s.pages = map[string]string{
		"1": "list-page1.json",
		"2": "list-page2.json",
		"3": "list-page3-malformed.json",
		"4": "list-page4-changed-type.json",
		"5": "list-page5-extra-field.json",
	}
	s.faults["1"] = []string{"429"}
	s.faults["2"] = []string{"ratelimit"}
	return s, s.start().URL
}

func crawler(st *store.Store, base string, w *waits, log *slog.Logger, now time.Time) *mturk.Crawler {
	return &mturk.Crawler{
		Store: st, BaseURL: base, Pages: 10, PageSize: 3, Requesters: 2, Log: log,
		Now: func() time.Time { return now },
		Fetch: collect.Options{
			Interval: interval, BackoffBase: 10 * time.Millisecond, BackoffMax: time.Minute, MaxRetries: 3,
			Cookie: "session-token=very-secret-cookie", Wait: w.wait,
		},
	}
}

func TestCrawlStoresSnapshotsThroughFaults(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	srv, base := fullSite(t)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	w := &waits{}
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

	c := crawler(st, base, w, log, t0)
	var progress []mturk.Progress
	c.OnPage = func(p mturk.Progress) { progress = append(progress, p) }
	sum, err := c.Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v\nlogs:\n%s", err, logs.String())
	}
	// Five list pages, then the first two requesters' lists; the plan is 7 once the list ends.
	if len(progress) != 7 || progress[6] != (mturk.Progress{Page: 7, Of: 7, Groups: 8, Errors: 2}) || progress[0].Page != 1 {
		t.Errorf("progress = %+v", progress)
	}
	// Pages 1, 2, 5 and two requester lists parse; 3 (malformed) and 4 (changed type) are skipped.
	if sum.Pages != 5 || sum.Errors != 2 || sum.Groups != 8 || sum.NewGroups != 8 || sum.Requesters != 5 {
		t.Errorf("summary = %+v; want pages 5, errors 2, groups 8, new 8, requesters 5", sum)
	}
	if sum.Requests != 9 || sum.Retries != 2 || srv.requests() != 9 {
		t.Errorf("requests = %d (server saw %d), retries = %d; want 9, 9, 2", sum.Requests, srv.requests(), sum.Retries)
	}

	// Retry-After: 7 was honoured; the rate-limit page got a backoff, not a stored row.
	ws := w.all()
	if len(ws) != 2 || ws[0] != 7*time.Second || ws[1] < 5*time.Millisecond || ws[1] > 10*time.Millisecond {
		t.Errorf("waits = %v; want [7s, 5ms..10ms]", ws)
	}
	// Politeness on the server side: one request at a time, at least the interval apart.
	// (Arrival times carry scheduling jitter, hence the slack; unpaced requests arrive ~1ms apart.)
	if gap := srv.minGap(); gap < interval/2 {
		t.Errorf("shortest gap between requests = %v; want about %v", gap, interval)
	}
	if span, want := srv.span(), time.Duration(srv.requests()-1)*interval-20*time.Millisecond; span < want {
		t.Errorf("%d requests arrived within %v; the rate needs at least %v", srv.requests(), span, want)
	}
	if n := srv.maxPerSecond(); n > int(time.Second/interval)+1 {
		t.Errorf("%d requests in one second; the rate allows %d", n, int(time.Second/interval))
	}
	for i, ua := range srv.agents {
		if ua != collect.DefaultUserAgent || srv.cookies[i] != "session-token=very-secret-cookie" {
			t.Fatalf("request %d: User-Agent %q, Cookie %q", i, ua, srv.cookies[i])
		}
	}
	l := logs.String()
	for _, want := range []string{"page_number=3", "page_number=4", "malformed JSON", "assignable_hits_count"} {
		if !strings.Contains(l, want) {
			t.Errorf("logs lack %q:\n%s", want, l)
		}
	}
	if strings.Contains(l, "very-secret-cookie") {
		t.Error("the cookie was logged")
	}

	var rows uint64
	if err := st.QueryRow(ctx, "SELECT count() FROM listing_snapshots WHERE crawl_id = {c:String}", store.Args{"c": sum.CrawlID}, &rows); err != nil {
		t.Fatal(err)
	}
	if rows != 8 {
		t.Errorf("stored %d rows; want 8 (one per distinct group)", rows)
	}
	var skipped uint64
	if err := st.QueryRow(ctx, "SELECT count() FROM listing_snapshots WHERE hit_set_id = '3TESTGROUPZZZZZZZZZZZZZZZZZZ99'", nil, &skipped); err != nil {
		t.Fatal(err)
	}
	if skipped != 0 {
		t.Error("a group from the page with a changed field type was stored")
	}

	// The hostile group: text stored exactly as sent, reward exact, no expiry.
	var (
		title, name, desc, quals, cur, src string
		reward                             decimal.Decimal
		dur, hits                          uint32
		created, expires                   *time.Time
		crawled                            time.Time
	)
	err = st.QueryRow(ctx, `SELECT title, requester_name, description, qualifications, currency, source, reward,
		assignment_duration_seconds, assignable_hits, created_at, expires_at, crawled_at
		FROM listing_snapshots WHERE hit_set_id = {id:String}`, store.Args{"id": "3TESTGROUPCCCCCCCCCCCCCCCCCC03"},
		&title, &name, &desc, &quals, &cur, &src, &reward, &dur, &hits, &created, &expires, &crawled)
	if err != nil {
		t.Fatal(err)
	}
	if title != "Rate tweets <script>alert(1)</script> \u202egnp.exe" || name != `<img src=x onerror=alert('r')> "Gamma" & Sons` ||
		desc != "<b>bold</b> description with \u0000-free ' quotes \" and\nnewline" {
		t.Errorf("hostile text changed: title %q name %q desc %q", title, name, desc)
	}
	if !reward.Equal(decimal.RequireFromString("12.34")) || cur != "USD" || src != "mturk" || dur != 300 || hits != 3 {
		t.Errorf("reward %s %s, source %s, duration %d, hits %d", reward, cur, src, dur, hits)
	}
	if created == nil || !created.Equal(time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)) || expires != nil {
		t.Errorf("created %v, expires %v; want 2026-11-24T08:00Z and NULL", created, expires)
	}
	if !crawled.Equal(t0) {
		t.Errorf("crawled_at = %v; want %v", crawled, t0)
	}
	if quals != `[{"type_id":"00000000000000000040","name":"Total approved HITs","comparator":"GreaterThan","values":[5000]}]` {
		t.Errorf("qualifications = %s", quals)
	}
	// The first sighting in a crawl wins: group 01 keeps page 1's two requirements.
	if err := st.QueryRow(ctx, "SELECT qualifications, reward FROM listing_snapshots WHERE hit_set_id = '3TESTGROUPAAAAAAAAAAAAAAAAAA01'", nil, &quals, &reward); err != nil {
		t.Fatal(err)
	}
	if quals != `[{"type_id":"000000000000000000L0","name":"HIT approval rate (%)","comparator":"GreaterThanOrEqualTo","values":[99]},{"type_id":"00000000000000000071","name":"Location","comparator":"EqualTo","values":["US"]}]` ||
		!reward.Equal(decimal.RequireFromString("0.9")) {
		t.Errorf("group 01: qualifications %s reward %s", quals, reward)
	}
	// The requester page added a group the list did not show.
	var fromReq uint64
	if err := st.QueryRow(ctx, "SELECT count() FROM listing_snapshots WHERE hit_set_id = '3TESTGROUPHHHHHHHHHHHHHHHHHH08'", nil, &fromReq); err != nil {
		t.Fatal(err)
	}
	if fromReq != 1 {
		t.Errorf("requester-page group stored %d times; want 1", fromReq)
	}

	// A second crawl five minutes later: nothing new, the requester keeps its first_seen,
	// the latest name wins.
	sum2, err := crawler(st, base, w, log, t0.Add(5*time.Minute)).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Groups != 8 || sum2.NewGroups != 0 || sum2.Retries != 0 {
		t.Errorf("second crawl summary = %+v; want 8 groups, 0 new, 0 retries", sum2)
	}
	var first, updated time.Time
	if err := st.QueryRow(ctx, "SELECT name, first_seen, updated_at FROM requesters FINAL WHERE requester_id = 'A1TESTREQALPHA'", nil, &name, &first, &updated); err != nil {
		t.Fatal(err)
	}
	if name != "Alpha Psychology Lab (renamed)" || !first.Equal(t0) || !updated.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("requester: %q first %v updated %v", name, first, updated)
	}
}

func TestCrawlNothingFetched(t *testing.T) {
	st := storetest.New(t)
	s := newSite(t)
	s.always = "503"
	base := s.start().URL
	w := &waits{}
	c := crawler(st, base, w, slog.New(slog.DiscardHandler), time.Now())
	c.Pages = 2
	c.Fetch.MaxRetries = 2
	sum, err := c.Run(context.Background())
	if !errors.Is(err, mturk.ErrNothingFetched) {
		t.Fatalf("err = %v; want ErrNothingFetched", err)
	}
	// Two pages, each tried once and retried twice; backoff doubles with jitter in [d/2, d].
	if sum.Requests != 6 || sum.Errors != 2 || s.requests() != 6 {
		t.Errorf("summary %+v, server saw %d; want 6 requests, 2 errors", sum, s.requests())
	}
	ws := w.all()
	if len(ws) != 4 || ws[0] < 5*time.Millisecond || ws[0] > 10*time.Millisecond || ws[1] < 10*time.Millisecond || ws[1] > 20*time.Millisecond {
		t.Errorf("waits = %v; want 4 waits, first in [5ms,10ms], second in [10ms,20ms]", ws)
	}
	var n uint64
	if err := st.QueryRow(context.Background(), "SELECT count() FROM listing_snapshots", nil, &n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows stored from a crawl that fetched nothing", n)
	}
}

func TestCrawlLoginPageIsNotRetried(t *testing.T) {
	st := storetest.New(t)
	s := newSite(t)
	s.always = "login"
	w := &waits{}
	c := crawler(st, s.start().URL, w, slog.New(slog.DiscardHandler), time.Now())
	c.Pages = 1
	_, err := c.Run(context.Background())
	if !errors.Is(err, mturk.ErrNothingFetched) || s.requests() != 1 || len(w.all()) != 0 {
		t.Errorf("err %v, %d requests, waits %v; want ErrNothingFetched after one request", err, s.requests(), w.all())
	}
}

func TestCrawlStopsWhenCancelled(t *testing.T) {
	st := storetest.New(t)
	s, base := fullSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	w := &waits{}
	c := crawler(st, base, w, slog.New(slog.DiscardHandler), time.Now())
	c.OnPage = func(p mturk.Progress) {
		if p.Page == 2 {
			cancel()
		}
	}
	_, err := c.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	var n uint64
	if err := st.QueryRow(context.Background(), "SELECT count() FROM listing_snapshots", nil, &n); err != nil {
		t.Fatal(err)
	}
	if n != 0 || s.requests() > 4 {
		t.Errorf("cancelled crawl stored %d rows after %d requests; want none stored", n, s.requests())
	}
}

// TestCrawlCountsDroppedGroups: groups without usable ids are skipped, counted in the summary,
// and the rest of their page is stored.
func TestCrawlCountsDroppedGroups(t *testing.T) {
	st := storetest.New(t)
	s := newSite(t)
	s.pages = map[string]string{"1": "list-bad-ids.json"}
	base := s.start().URL
	c := &mturk.Crawler{Store: st, BaseURL: base, Pages: 1, PageSize: 3, Log: slog.New(slog.DiscardHandler),
		Fetch: collect.Options{Interval: -1}}
	sum, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Dropped != 2 || sum.Groups != 1 || sum.Pages != 1 {
		t.Errorf("summary = %+v; want dropped 2, groups 1, pages 1", sum)
	}
}
