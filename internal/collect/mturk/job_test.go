package mturk_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/collect"
	"github.com/hitwage/hitwage/internal/collect/mturk"
	"github.com/hitwage/hitwage/internal/config"
	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestScheduledCrawlsDoNotOverlap holds the site's answer until a second turn of the job
// has come and gone: that turn is skipped, not stacked, and the site sees one crawl.
func TestScheduledCrawlsDoNotOverlap(t *testing.T) {
	st := storetest.New(t)
	page := read(t, "list-page1.json")
	arrived := make(chan struct{}, 10)
	release := make(chan struct{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		arrived <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	}))
	defer srv.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()

	log := slog.New(slog.DiscardHandler)
	job := mturk.Job("@every 1h", mturk.Crawler{Store: st, BaseURL: srv.URL, Pages: 1, Log: log,
		Fetch: collect.Options{Interval: time.Millisecond}})
	sched := schedule.New(log)
	if err := sched.Add(job); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { sched.RunNow(job); close(done) }()
	<-arrived         // the first crawl is waiting on the slow site
	sched.RunNow(job) // the next turn comes while it runs
	st0 := sched.Statuses()[0]
	if !st0.Running || st0.Skipped != 1 || st0.Runs != 0 {
		t.Fatalf("while running: %+v; want running, 1 skipped, 0 runs done", st0)
	}
	close(release)
	<-done
	st1 := sched.Statuses()[0]
	if st1.Running || st1.Runs != 1 || st1.Skipped != 1 || st1.LastError != "" || requests.Load() != 1 {
		t.Errorf("after: %+v, %d requests; want 1 run, 1 skipped, no error, 1 request", st1, requests.Load())
	}
	var crawls uint64
	if err := st.QueryRow(context.Background(), "SELECT uniqExact(crawl_id) FROM listing_snapshots", nil, &crawls); err != nil {
		t.Fatal(err)
	}
	if crawls != 1 {
		t.Errorf("%d crawls stored; want 1", crawls)
	}
}

// TestJobReportsFailedPages: a run that lost pages stores the rest and says so on /healthz.
func TestJobReportsFailedPages(t *testing.T) {
	st := storetest.New(t)
	_, base := fullSite(t)
	w := &waits{}
	c := crawler(st, base, w, slog.New(slog.DiscardHandler), time.Now())
	job := mturk.Job("@every 1h", *c)
	sched := schedule.New(slog.New(slog.DiscardHandler))
	sched.RunNow(job)
	s := sched.Statuses()[0]
	if s.Runs != 1 || !strings.Contains(s.LastError, "2 of 7 pages failed") {
		t.Errorf("status = %+v; want LastError naming 2 of 7 pages", s)
	}
	var n uint64
	if err := st.QueryRow(context.Background(), "SELECT count() FROM listing_snapshots", nil, &n); err != nil {
		t.Fatal(err)
	}
	if n != 8 {
		t.Errorf("%d rows stored; want the 8 groups of the pages that worked", n)
	}
}

// MTurk's worker site closed on 2026-09-30: nothing is crawled unless a mirror or a saved copy is named.
func TestNoDefaultSite(t *testing.T) {
	if _, err := mturk.NewCrawler(nil, config.Listings{}, nil); !errors.Is(err, mturk.ErrNoSite) {
		t.Errorf("NewCrawler without a base URL: %v, want ErrNoSite", err)
	}
	c := mturk.Crawler{}
	if _, err := c.Run(context.Background()); !errors.Is(err, mturk.ErrNoSite) {
		t.Errorf("Run without a base URL: %v, want ErrNoSite", err)
	}
}
