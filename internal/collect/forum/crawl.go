package forum

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hitwage/hitwage/internal/collect"
)

// Options tune a crawl. The fetching is collect.Client's; a zero value takes its default.
type Options struct {
	BaseURL   string        // the forum, e.g. https://forum.example; thread paths resolve against it (required)
	Threads   []string      // thread paths or URLs on BaseURL's host (required)
	MaxPages  int           // pages per thread, following "next"; default 20
	Delay     time.Duration // between the starts of two requests; default 1s (a polite shared-site pace); negative: none
	Timeout   time.Duration // one request; default 30s
	UserAgent string        // default collect.DefaultUserAgent
	Retries   int           // retries of a page answered 429 or 5xx or lost to a network error; default 3 (negative: none)
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
	if opts.Retries == 0 {
		opts.Retries = 3
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 2 * time.Minute
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, []error{fmt.Errorf("forum: --base-url %q is not an http(s) URL", opts.BaseURL)}
	}
	// One polite client for the whole crawl: its pace holds across threads, and it never
	// leaves the forum, not even through a redirect.
	client := collect.New(ctx, collect.Options{
		UserAgent: opts.UserAgent, Interval: opts.Delay, Timeout: opts.Timeout, MaxRetries: opts.Retries,
		BackoffBase: opts.Backoff, BackoffMax: opts.MaxWait, MaxBodyBytes: 16 << 20, AllowedHosts: []string{base.Hostname()},
		Robots: true, // a forum is a shared public site: its robots.txt says what crawlers may read
	})
	var (
		posts []Post
		errs  []error
	)
	for _, thread := range opts.Threads {
		ps, err := crawlThread(ctx, client, base, thread, opts.MaxPages)
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

func crawlThread(ctx context.Context, client *collect.Client, base *url.URL, thread string, maxPages int) ([]Post, error) {
	start, err := base.Parse(thread)
	if err != nil || start.Host != base.Host {
		return nil, fmt.Errorf("forum: thread %q is not a page of %s", thread, base.Host)
	}
	threadURL := start.String()
	var posts []Post
	visited := map[string]bool{}
	for target, pages := threadURL, 0; target != "" && pages < maxPages && !visited[target]; pages++ {
		visited[target] = true
		body, page, err := client.GetHTML(ctx, target)
		if err != nil {
			return posts, fmt.Errorf("forum: %s: %w", target, err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			return posts, fmt.Errorf("forum: %s: %w", target, err)
		}
		resolve := func(href string) string {
			u, err := page.Parse(href)
			if err != nil {
				return page.String()
			}
			return u.String()
		}
		doc.Find("article.message--post").Each(func(_ int, s *goquery.Selection) {
			posts = append(posts, parsePost(s, resolve, threadURL))
		})
		target = ""
		if href, ok := doc.Find("a.pageNav-jump--next").First().Attr("href"); ok {
			target = resolve(href)
		}
		if !strings.HasPrefix(target, base.Scheme+"://"+base.Host) {
			break // never leave the forum
		}
	}
	return posts, nil
}
