package forum_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/collect"
	"github.com/hitwage/hitwage/internal/collect/forum"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func read(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseExportBBCode(t *testing.T) {
	segs := forum.ParseExports(read(t, "export.bbcode") + "Took me 7:45, pretty fun.\n")
	if len(segs) != 1 || segs[0].Export == nil {
		t.Fatalf("segments %+v", segs)
	}
	e := segs[0].Export
	if e.HitSetID != "3ZHWFORUMGROUP00000000000000A1" || e.Title != "Watch short videos & rate them (~8 minutes)" ||
		e.RequesterID != "A1HWFORUMREQ001" || e.RequesterName != "Media <Lab> Research" || e.Reward.String() != "1.2" ||
		e.Allotted != 30*time.Minute || e.Available != 250 || e.Description != "Tell us what you think about a few short videos." ||
		len(e.Unparsed) != 0 {
		t.Fatalf("export %+v", e)
	}
	if segs[0].Text != "Took me 7:45, pretty fun." {
		t.Fatalf("text after the export %q", segs[0].Text)
	}
}

func TestReplyQuotingAnExportBBCode(t *testing.T) {
	own, quotes := forum.PostFromBBCode(read(t, "reply.bbcode"))
	if own != "Closer to 9 min here." || len(quotes) != 1 || quotes[0].PostID != "71001" || quotes[0].Author != "turker_one" {
		t.Fatalf("own %q quotes %+v", own, quotes)
	}
	posts := []forum.Post{{ID: "2", URL: "http://127.0.0.1/p/2", Author: "b", Own: own, Quotes: quotes}}
	found, _ := forum.Analyze(posts)
	if len(found) != 1 || found[0].Took != 9*time.Minute || !found[0].Quoted || found[0].Export.HitSetID != "3ZHWFORUMGROUP00000000000000A1" {
		t.Fatalf("findings %+v", found)
	}
}

func TestReportedTime(t *testing.T) {
	cases := []struct {
		text string
		want time.Duration
		how  string
	}{
		{"Took me 6:30, so about $13.85/hr.", 390 * time.Second, forum.FromDuration},
		{"Not worth it, each one takes about 90 seconds. $2/hr.", 90 * time.Second, forum.FromDuration},
		{"Closer to 12 minutes for me, kept getting stuck.", 12 * time.Minute, forum.FromDuration},
		{"Done in 1.5 hrs", 90 * time.Minute, forum.FromDuration},
		{"Expires in 3 hours. Took me 00:41:20 though.", 41*time.Minute + 20*time.Second, forum.FromDuration},
		{"Pays $9/hr for me", 600 * time.Second, forum.FromRate}, // reward $1.50
		{"About $18 an hour", 300 * time.Second, forum.FromRate},
		{"Started at 8:15 am, pending 3 days", 0, ""},
		{"Great requester, approved in 2 hours.", 0, ""},
		{"Thanks!", 0, ""},
		{"Took me 30 hours", 0, ""},
	}
	reward := mustDecimal(t, "1.50")
	for _, c := range cases {
		got, how, ok := forum.ReportedTime(c.text, reward, true)
		if got != c.want || how != c.how || ok != (c.want > 0) {
			t.Errorf("ReportedTime(%q) = %v %q %v, want %v %q", c.text, got, how, ok, c.want, c.how)
		}
	}
	if _, _, ok := forum.ReportedTime("Pays $9/hr", reward, false); ok {
		t.Error("a rate without a known reward gave a time")
	}
}

// forumServer serves the two thread pages and counts requests.
func forumServer(t *testing.T) (*httptest.Server, *sync.Map) {
	t.Helper()
	var hits sync.Map
	mux := http.NewServeMux()
	serve := func(name string) http.HandlerFunc {
		body := read(t, name)
		return func(w http.ResponseWriter, r *http.Request) {
			n, _ := hits.LoadOrStore(r.URL.Path, new(int))
			*(n.(*int))++
			if !strings.HasPrefix(r.UserAgent(), "hitwage-collector/") {
				http.Error(w, "who are you", http.StatusForbidden)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("/threads/hit-thread-week-48.7001", serve("thread-page1.html"))
	mux.HandleFunc("/threads/hit-thread-week-48.7001/page-2", serve("thread-page2.html"))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &hits
}

func crawl(t *testing.T, base string) []forum.Post {
	t.Helper()
	posts, errs := forum.Crawl(context.Background(), forum.Options{BaseURL: base, Threads: []string{"/threads/hit-thread-week-48.7001"}, Delay: -1})
	if len(errs) > 0 {
		t.Fatalf("crawl errors: %v", errs)
	}
	return posts
}

func TestCrawlFollowsNextPage(t *testing.T) {
	srv, hits := forumServer(t)
	posts := crawl(t, srv.URL)
	if len(posts) != 7 {
		t.Fatalf("%d posts, want 7 over two pages", len(posts))
	}
	if _, ok := hits.Load("/threads/hit-thread-week-48.7001/page-2"); !ok {
		t.Fatal("the next page was not fetched")
	}
	p := posts[1]
	if p.ID != "71002" || p.Author != "turker_two" || p.URL != srv.URL+"/threads/hit-thread-week-48.7001/post-71002" ||
		!p.PostedAt.Equal(time.Date(2026, 11, 23, 14, 40, 0, 0, time.UTC)) || len(p.Quotes) != 1 || p.Quotes[0].PostID != "71001" ||
		strings.Contains(p.Own, "7:45") {
		t.Fatalf("post %+v", p)
	}

	found, notes := forum.Analyze(posts)
	type key struct {
		post, group string
	}
	got := map[key]time.Duration{}
	for _, f := range found {
		got[key{f.Post.ID, f.Export.HitSetID}] = f.Took
	}
	want := map[key]time.Duration{
		{"71001", "3ZHWFORUMGROUP00000000000000A1"}: 7*time.Minute + 45*time.Second,
		{"71002", "3ZHWFORUMGROUP00000000000000A1"}: 11 * time.Minute, // the reply's own time, not the quoted 7:45
		{"71004", "3ZHWFORUMGROUP00000000000000B2"}: 45 * time.Second,
		{"71004", "3ZHWFORUMGROUP00000000000000C3"}: 30 * time.Second, // $0.04 at $4.80/hr
		{"71010", "3ZHWFORUMGROUP00000000000000D4"}: 41*time.Minute + 20*time.Second,
	}
	if len(got) != len(want) {
		t.Fatalf("findings %v, want %v", got, want)
	}
	for k, d := range want {
		if got[k] != d {
			t.Errorf("%v: %v, want %v", k, got[k], d)
		}
	}
	// What was not understood is kept.
	un := map[string]string{}
	for _, n := range notes {
		un[n.Post.ID] = n.Unparsed
	}
	if !strings.Contains(un["71011"], "logged out") || !strings.Contains(un["71012"], "No idea how long") || un["71001"] != "" {
		t.Fatalf("unparsed %q", un)
	}
}

func TestSaveStoresRecordsOnce(t *testing.T) {
	srv, _ := forumServer(t)
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("forum-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 2; i++ { // a re-crawl replaces, never adds
		sum, err := forum.Save(ctx, s, h, crawl(t, srv.URL), time.Date(2026, 11, 25, 12, 0, 0, i, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Posts != 7 || sum.Records != 5 || sum.Exports != 5 {
			t.Fatalf("summary %+v", sum)
		}
	}
	var n uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM task_records FINAL", nil, &n); err != nil || n != 5 {
		t.Fatalf("%d records (%v), want 5", n, err)
	}
	post := srv.URL + "/threads/hit-thread-week-48.7001/post-71002"
	var (
		reporter, status string
		dur, allotted    uint32
	)
	if err := s.QueryRow(ctx, `SELECT reporter, toString(status), duration_seconds, allotted_seconds FROM task_records FINAL
		WHERE source = {src:String}`, map[string]any{"src": post}, &reporter, &status, &dur, &allotted); err != nil {
		t.Fatal(err)
	}
	author := forum.AuthorPseudonym(h, &forum.Post{URL: post, Author: "turker_two"})
	if reporter != author || status != "submitted" || dur != 660 || allotted != 1800 {
		t.Fatalf("record of the reply: %s %s %d %d", reporter, status, dur, allotted)
	}
	if err := s.QueryRow(ctx, `SELECT count() FROM forum_posts FINAL WHERE position(unparsed, 'logged out') > 0`, nil, &n); err != nil || n != 1 {
		t.Fatalf("unparsed post text not kept: %d %v", n, err)
	}
	if err := s.QueryRow(ctx, `SELECT count() FROM forum_posts WHERE position(author, 'turker') > 0`, nil, &n); err != nil || n != 0 {
		t.Fatalf("author names stored: %d %v", n, err)
	}
}

func FuzzParseExports(f *testing.F) {
	f.Add(read(f, "export.bbcode") + "Took me 7:45\n")
	f.Add(read(f, "reply.bbcode"))
	f.Add("[b]Title:[/b] x\n[b]Reward:[/b] $\n[b]Time:[/b] 99999 days\nTitle: y")
	f.Fuzz(func(t *testing.T, s string) {
		own, quotes := forum.PostFromBBCode(s)
		posts := []forum.Post{{ID: "1", URL: "http://127.0.0.1/p/1", Author: "a", Own: own, Quotes: quotes}}
		found, _ := forum.Analyze(posts)
		for _, fd := range found {
			if fd.Took < time.Second || fd.Took > 24*time.Hour {
				t.Fatalf("time %v out of range from %q", fd.Took, s)
			}
		}
	})
}

func TestCrawlRetriesRateLimitedPage(t *testing.T) {
	page := read(t, "thread-page2.html")
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" { // asked once a crawl; not a page
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		switch {
		case r.URL.Path == "/gone":
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case n == 1:
			w.Header().Set("Retry-After", "0")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		default:
			fmt.Fprint(w, page)
		}
	}))
	defer srv.Close()
	posts, errs := forum.Crawl(context.Background(), forum.Options{BaseURL: srv.URL, Threads: []string{"/t/1"}, Delay: -1, Backoff: time.Millisecond})
	count := func() int { mu.Lock(); defer mu.Unlock(); return calls }
	if len(errs) != 0 || len(posts) != 3 || count() != 2 {
		t.Fatalf("after a 429: %d posts, %d calls, errors %v", len(posts), count(), errs)
	}
	// A page that keeps failing ends its thread with an error naming it, after the retries.
	mu.Lock()
	calls = 10
	mu.Unlock()
	_, errs = forum.Crawl(context.Background(), forum.Options{BaseURL: srv.URL, Threads: []string{"/gone"}, Delay: -1, Backoff: time.Millisecond, Retries: 2})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "/gone") || !strings.Contains(errs[0].Error(), "503") || count() != 13 {
		t.Fatalf("errors %v after %d calls", errs, count()-10)
	}
}

// A forum's robots.txt is honoured: a thread it disallows is not fetched, and the crawl says why.
func TestCrawlHonoursRobots(t *testing.T) {
	page := read(t, "thread-page2.html")
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
			return
		}
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	posts, errs := forum.Crawl(context.Background(), forum.Options{BaseURL: srv.URL, Threads: []string{"/private/t/1", "/t/2"}, Delay: -1})
	if len(errs) != 1 || !errors.Is(errs[0], collect.ErrRobotsDisallow) || !strings.Contains(errs[0].Error(), "/private/t/1") {
		t.Fatalf("errors %v", errs)
	}
	if len(posts) != 3 {
		t.Errorf("%d posts from the allowed thread, want 3", len(posts))
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range asked {
		if strings.HasPrefix(p, "/private/") {
			t.Errorf("fetched %s, which robots.txt disallows", p)
		}
	}
}
