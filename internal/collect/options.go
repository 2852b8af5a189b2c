// Package collect is the shared, polite HTTP fetcher of hitwage's collectors: one colly
// collector per crawl, one connection, a minimum interval between requests, a User-Agent
// naming the project and a contact URL, Retry-After honoured, exponential backoff with
// jitter on 429, 5xx and rate-limit pages, and a bound on retries.
package collect

import (
	"context"
	"log/slog"
	"time"
)

// DefaultUserAgent names the project and where to reach its operators.
const DefaultUserAgent = "hitwage-collector/1 (+https://github.com/hitwage/hitwage; worker-advocacy wage statistics)"

// Options tunes a Client. The zero value is the polite default for a shared public site.
type Options struct {
	UserAgent    string        // default DefaultUserAgent
	Interval     time.Duration // minimum time between the starts of two requests; default 1s (1 request/s); negative: none
	Timeout      time.Duration // one request's timeout; default 30s
	MaxRetries   int           // retries of one URL after the first try; default 5 (negative: none)
	BackoffBase  time.Duration // first backoff; doubles on each retry; default 2s
	BackoffMax   time.Duration // cap of one backoff and of an honoured Retry-After; default 5m
	MaxBodyBytes int           // largest body read; default 32 MiB
	AllowedHosts []string      // host names that requests and redirects may reach; default any
	// Robots makes the client honour the site's robots.txt (colly's own check, for the User-Agent
	// sent): a page it disallows is not fetched and fails with ErrRobotsDisallow. Forum crawls set
	// it; the listing collector reads saved or mirrored JSON the operator points it at.
	Robots bool
	// Cookie is sent as the Cookie header of every request (a worker's login, for pages
	// that need one). It is never logged and never stored.
	Cookie string
	// Wait sleeps between retries; default a timer that honours ctx. Tests replace it to
	// record the delays instead of sleeping through them.
	Wait func(ctx context.Context, d time.Duration) error
	Log  *slog.Logger // default slog.Default()
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Interval == 0 {
		o.Interval = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 5
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 2 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 5 * time.Minute
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 32 << 20
	}
	if o.Wait == nil {
		o.Wait = Sleep
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return o
}

// Sleep waits d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
