package mturk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/collect"
	"github.com/hitwage/hitwage/internal/store"
)

// ErrNoSite reports a crawl with no site named: MTurk's worker site closed on 2026-09-30, so there
// is no default; a mirror or a saved copy of it must be named.
var ErrNoSite = errors.New("mturk: no site to crawl: MTurk's worker site closed on 2026-09-30; name a mirror or a saved copy (--base-url, or base_url in the config's listings section)")

// ErrNothingFetched reports a crawl in which no page could be fetched and parsed.
var ErrNothingFetched = errors.New("mturk: nothing could be fetched")

// Crawler crawls the HIT group list and requesters' project lists into listing_snapshots.
type Crawler struct {
	Store      *store.Store
	BaseURL    string          // site root (a mirror or saved copy of the worker site); required
	Pages      int             // list pages per crawl; default 3
	PageSize   int             // groups per list page; default 100
	Requesters int             // requesters whose project list is fetched per crawl, in order seen; 0 = none
	Fetch      collect.Options // politeness: rate, retries, user agent, cookie
	Log        *slog.Logger    // default slog.Default()
	Now        func() time.Time
	// OnPage, when set, is called after every page (for a progress line).
	OnPage func(Progress)
}

// Progress is the state of a running crawl after one page.
type Progress struct {
	Page, Of int // pages done and planned (list pages plus requester pages)
	Groups   int // distinct groups seen so far
	Errors   int
}

// Summary is what one crawl did.
type Summary struct {
	CrawlID    string        `json:"crawl_id"`
	CrawledAt  time.Time     `json:"crawled_at"`
	Pages      int           `json:"pages"`      // pages fetched and parsed
	Groups     int           `json:"groups"`     // distinct HIT groups seen (one snapshot row each)
	NewGroups  int           `json:"new_groups"` // groups never stored before this crawl
	Requesters int           `json:"requesters"` // distinct requesters seen
	Dropped    int           `json:"dropped"`    // groups without a usable id, skipped
	Errors     int           `json:"errors"`     // pages that failed (logged with their URL)
	Requests   int           `json:"requests"`   // HTTP requests, retries included
	Retries    int           `json:"retries"`
	Duration   time.Duration `json:"duration_ns"`
}

// Run crawls once and stores one snapshot row per HIT group seen. A page that fails (after
// retries) or does not parse is logged with its URL and skipped; the crawl goes on. It
// returns ErrNothingFetched when no page could be read.
func (c *Crawler) Run(ctx context.Context) (Summary, error) {
	if strings.TrimSpace(c.BaseURL) == "" {
		return Summary{}, ErrNoSite
	}
	c.defaults()
	began := time.Now()
	start := c.Now().UTC().Truncate(time.Millisecond)
	sum := Summary{CrawlID: newCrawlID(start), CrawledAt: start}
	client := collect.New(ctx, c.Fetch)
	seen := map[string]*Group{}
	var order []string
	var requesters []string
	reqSeen := map[string]bool{}

	planned := c.Pages + c.Requesters
	done := 0
	page := func(u string) *Page {
		p, dropped, err := c.fetchPage(ctx, client, u)
		done++
		if err != nil {
			sum.Errors++
			c.Log.Error("listing page skipped", slog.String("url", u), slog.String("err", err.Error()))
		} else {
			sum.Pages++
			sum.Dropped += dropped
			for i := range p.Results {
				g := &p.Results[i]
				if !reqSeen[g.RequesterID] {
					reqSeen[g.RequesterID] = true
					requesters = append(requesters, g.RequesterID)
				}
				if _, ok := seen[g.HitSetID]; !ok {
					seen[g.HitSetID] = g
					order = append(order, g.HitSetID)
				}
			}
		}
		if c.OnPage != nil {
			c.OnPage(Progress{Page: done, Of: planned, Groups: len(seen), Errors: sum.Errors})
		}
		return p
	}

	for n := 1; n <= c.Pages && ctx.Err() == nil; n++ {
		p := page(c.listURL(n))
		if p != nil && (len(p.Results) == 0 || p.TotalNumResults > 0 && n*c.PageSize >= p.TotalNumResults) {
			break
		}
	}
	planned = done + min(len(requesters), c.Requesters)
	for i := 0; i < len(requesters) && i < c.Requesters && ctx.Err() == nil; i++ {
		page(c.requesterURL(requesters[i]))
	}
	st := client.Stats()
	sum.Requests, sum.Retries = st.Requests, st.Retries
	sum.Groups, sum.Requesters = len(order), len(requesters)
	if err := ctx.Err(); err != nil {
		sum.Duration = time.Since(began)
		return sum, fmt.Errorf("mturk: crawl stopped, nothing stored: %w", err)
	}
	if sum.Pages == 0 {
		sum.Duration = time.Since(began)
		return sum, ErrNothingFetched
	}
	groups := make([]*Group, len(order))
	for i, id := range order {
		groups[i] = seen[id]
	}
	newGroups, err := Store(ctx, c.Store, sum.CrawlID, start, groups)
	sum.NewGroups = newGroups
	sum.Duration = time.Since(began)
	return sum, err
}

// fetchPage gets and parses one page, with the number of groups dropped; errors carry the URL.
func (c *Crawler) fetchPage(ctx context.Context, client *collect.Client, u string) (*Page, int, error) {
	body, err := client.GetJSON(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	p, dropped, err := ParsePage(body)
	if err != nil {
		return nil, 0, err
	}
	if dropped > 0 {
		c.Log.Warn("listing groups without usable ids skipped", slog.String("url", u), slog.Int("dropped", dropped))
	}
	return p, dropped, nil
}

func (c *Crawler) defaults() {
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Pages <= 0 {
		c.Pages = 3
	}
	if c.PageSize <= 0 {
		c.PageSize = 100
	}
	if c.Requesters < 0 {
		c.Requesters = 0
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Fetch.Log == nil {
		c.Fetch.Log = c.Log
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// listURL is list page n, newest updates first, in JSON.
func (c *Crawler) listURL(n int) string {
	q := url.Values{}
	q.Set("format", "json")
	q.Set("sort", "updated_desc")
	q.Set("page_size", strconv.Itoa(c.PageSize))
	q.Set("page_number", strconv.Itoa(n))
	return c.BaseURL + "/?" + q.Encode()
}

// requesterURL is the first page of a requester's project list, in JSON.
func (c *Crawler) requesterURL(id string) string {
	q := url.Values{}
	q.Set("format", "json")
	q.Set("page_size", strconv.Itoa(c.PageSize))
	q.Set("page_number", "1")
	return c.BaseURL + "/requesters/" + url.PathEscape(id) + "/projects?" + q.Encode()
}

func newCrawlID(t time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return t.Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}
