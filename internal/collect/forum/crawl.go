package forum

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/hitwage/hitwage/internal/collect"
)

// UserAgent names the project and where to reach its operators, as the listing collector does.
const UserAgent = collect.DefaultUserAgent

// Options tune a crawl.
type Options struct {
	BaseURL   string        // the forum, e.g. https://forum.example; thread paths resolve against it (required)
	Threads   []string      // thread paths or URLs on BaseURL's host (required)
	MaxPages  int           // pages per thread, following "next"; default 20
	Delay     time.Duration // between two requests; default 1s (a polite shared-site pace)
	Timeout   time.Duration // one request; default 30s
	UserAgent string        // default UserAgent
	Retries   int           // retries of a page answered 429 or 5xx; default 3 (negative: none)
	Backoff   time.Duration // first wait before a retry, doubling, unless Retry-After says more; default 2s
	MaxWait   time.Duration // cap of one wait, Retry-After included; default 2m
}

// Crawl fetches each thread's pages in order, following the next-page link, and returns
// their posts in thread order. A page that fails ends that thread with an error in the
// returned list; the posts read so far are kept.
func Crawl(ctx context.Context, opts Options) ([]Post, []error) {
	if opts.MaxPages <= 0 {
		opts.MaxPages = 20
	}
	if opts.Delay == 0 {
		opts.Delay = time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.UserAgent == "" {
		opts.UserAgent = UserAgent
	}
	if opts.Retries == 0 {
		opts.Retries = 3
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 2 * time.Second
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 2 * time.Minute
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, []error{fmt.Errorf("forum: --base-url %q is not an http(s) URL", opts.BaseURL)}
	}
	var (
		posts []Post
		errs  []error
	)
	for _, thread := range opts.Threads {
		ps, err := crawlThread(ctx, base, thread, opts)
		posts = append(posts, ps...)
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return posts, errs
}

func crawlThread(ctx context.Context, base *url.URL, thread string, opts Options) ([]Post, error) {
	start, err := base.Parse(thread)
	if err != nil || start.Host != base.Host {
		return nil, fmt.Errorf("forum: thread %q is not a page of %s", thread, base.Host)
	}
	threadURL := start.String()
	c := colly.NewCollector(
		colly.AllowedDomains(base.Hostname()),
		colly.UserAgent(opts.UserAgent),
		colly.StdlibContext(ctx),
		colly.MaxBodySize(16<<20),
	)
	c.SetRequestTimeout(opts.Timeout)
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1, Delay: max(opts.Delay, 0)}); err != nil {
		return nil, fmt.Errorf("forum: %w", err)
	}
	var (
		posts []Post
		pages int
		errs  []error
		next  string
	)
	c.OnResponse(func(r *colly.Response) { pages++ })
	c.OnHTML("html", func(e *colly.HTMLElement) {
		page := e.Request.URL
		resolve := func(href string) string {
			u, err := page.Parse(href)
			if err != nil {
				return page.String()
			}
			return u.String()
		}
		e.DOM.Find("article.message--post").Each(func(_ int, s *goquery.Selection) {
			posts = append(posts, parsePost(s, resolve, threadURL))
		})
		next = ""
		if href, ok := e.DOM.Find("a.pageNav-jump--next").First().Attr("href"); ok {
			next = resolve(href)
		}
	})
	tries := map[string]int{}
	c.OnError(func(r *colly.Response, err error) {
		u := r.Request.URL.String()
		if retryable(r.StatusCode) && tries[u] < opts.Retries {
			wait := min(opts.Backoff<<tries[u], opts.MaxWait)
			if ra := collect.RetryAfter(r.Headers, time.Now()); ra > 0 {
				wait = min(ra, opts.MaxWait)
			}
			tries[u]++
			if collect.Sleep(ctx, wait) == nil {
				if rerr := r.Request.Retry(); rerr == nil {
					return
				}
			}
		}
		errs = append(errs, fmt.Errorf("forum: %s: status %d: %w", u, r.StatusCode, err))
	})
	target := threadURL
	for target != "" && pages < opts.MaxPages {
		next = ""
		before := pages
		if err := c.Visit(target); err != nil {
			var already *colly.AlreadyVisitedError
			if errors.As(err, &already) {
				break
			}
			// Visit reports the first answer's error even when a retry then got the page.
			if pages == before && len(errs) == 0 {
				errs = append(errs, fmt.Errorf("forum: %s: %w", target, err))
			}
		}
		if len(errs) > 0 || ctx.Err() != nil {
			break
		}
		if next != "" && !strings.HasPrefix(next, base.Scheme+"://"+base.Host) {
			break // never leave the forum
		}
		target = next
	}
	return posts, errors.Join(errs...)
}

// retryable reports whether a status means "try again later": rate limiting or a server error.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}
