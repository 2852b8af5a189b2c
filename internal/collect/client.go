package collect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
)

// ErrRetriesExhausted reports a URL that still failed (429, 5xx, rate-limit page, network)
// after the configured retries.
var ErrRetriesExhausted = errors.New("collect: retries exhausted")

// ErrNotJSON reports an HTML (or other non-JSON) answer where JSON was asked that is not
// the rate-limit page: usually a login page, so a worker cookie may be needed.
var ErrNotJSON = errors.New("collect: answer is not JSON (a login may be needed)")

// ErrRobotsDisallow is a page the site's robots.txt disallows (Options.Robots).
var ErrRobotsDisallow = errors.New("collect: the site's robots.txt disallows this page")

// StatusError is a final, non-retryable HTTP status.
type StatusError struct {
	URL    string
	Status int
}

// Error names the status and the URL.
func (e *StatusError) Error() string {
	return fmt.Sprintf("collect: GET %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Stats counts what a Client did.
type Stats struct {
	Requests int // HTTP requests sent, retries included
	Retries  int // requests that were retries
}

// Client fetches pages politely. It is safe for concurrent use, but requests go one at a
// time: a shared public site gets one connection from us. colly fetches (domains, body limit,
// robots.txt); pacing and retries stay here, since colly's LimitRule delays after a request
// rather than between starts and its Retry has no backoff or Retry-After.
type Client struct {
	opts Options
	c    *colly.Collector

	mu    sync.Mutex // one request at a time, paced
	next  time.Time
	rng   *rand.Rand
	stats Stats
}

const respKey = "hitwage_resp"
const errKey = "hitwage_err"

// New returns a Client whose requests end when ctx ends.
func New(ctx context.Context, opts Options) *Client {
	o := opts.withDefaults()
	c := colly.NewCollector(
		colly.StdlibContext(ctx),
		colly.UserAgent(o.UserAgent),
		colly.AllowURLRevisit(),
		colly.MaxBodySize(o.MaxBodyBytes),
		colly.AllowedDomains(o.AllowedHosts...),
	)
	c.WithTransport(&http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		MaxConnsPerHost:     1,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	})
	c.IgnoreRobotsTxt = !o.Robots
	c.SetRequestTimeout(o.Timeout)
	c.DisableCookies() // the only cookie we send is the one we were given; nothing is kept
	_ = c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1})
	c.OnResponse(func(r *colly.Response) { r.Ctx.Put(respKey, r) })
	c.OnError(func(r *colly.Response, err error) {
		if r != nil && r.Ctx != nil {
			r.Ctx.Put(respKey, r)
			r.Ctx.Put(errKey, err)
		}
	})
	return &Client{opts: o, c: c, rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x6869747761676521))}
}

// Stats returns what the client has done so far.
func (cl *Client) Stats() Stats {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.stats
}

// GetJSON fetches u asking for JSON and returns the body. It waits its turn (Interval),
// retries 429, 5xx, network errors and the site's rate-limit page with exponential
// backoff and jitter, honouring Retry-After, at most MaxRetries times.
func (cl *Client) GetJSON(ctx context.Context, u string) ([]byte, error) {
	body, _, err := cl.get(ctx, u, "application/json")
	return body, err
}

// GetHTML fetches a web page as GetJSON fetches JSON (paced, retried, Retry-After honoured)
// and returns its body with the URL it came from after redirects, to resolve its links against.
func (cl *Client) GetHTML(ctx context.Context, u string) ([]byte, *url.URL, error) {
	return cl.get(ctx, u, "text/html")
}

func (cl *Client) get(ctx context.Context, u, accept string) ([]byte, *url.URL, error) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	var last error
	for attempt := 0; ; attempt++ {
		if err := cl.pace(ctx); err != nil {
			return nil, nil, fmt.Errorf("collect: GET %s: %w", u, err)
		}
		if attempt > 0 {
			cl.stats.Retries++
		}
		cl.stats.Requests++
		body, from, retryAfter, err := cl.once(u, accept)
		if err == nil {
			return body, from, nil
		}
		var final *finalError
		if errors.As(err, &final) {
			return nil, nil, final.err
		}
		last = err
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("collect: GET %s: %w", u, ctx.Err())
		}
		if attempt >= cl.opts.MaxRetries {
			return nil, nil, fmt.Errorf("%w: GET %s after %d tries: %w", ErrRetriesExhausted, u, attempt+1, last)
		}
		d := cl.backoff(attempt)
		if retryAfter > d {
			d = min(retryAfter, cl.opts.BackoffMax)
		}
		cl.opts.Log.Warn("fetch failed; retrying", slog.String("url", u), slog.Int("attempt", attempt+1),
			slog.Duration("wait", d), slog.String("err", err.Error()))
		if err := cl.opts.Wait(ctx, d); err != nil {
			return nil, nil, fmt.Errorf("collect: GET %s: %w", u, err)
		}
	}
}

// finalError marks an answer that retrying will not change.
type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }

// once sends one request and classifies the answer: a body with the URL it came from, a
// retryable error (with the server's Retry-After, if any) or a finalError. An HTML answer to
// a JSON request is the rate-limit page (retried) or a final ErrNotJSON.
func (cl *Client) once(u, accept string) ([]byte, *url.URL, time.Duration, error) {
	cctx := colly.NewContext()
	hdr := http.Header{}
	hdr.Set("Accept", accept)
	if cl.opts.Cookie != "" {
		hdr.Set("Cookie", cl.opts.Cookie)
	}
	reqErr := cl.c.Request(http.MethodGet, u, nil, cctx, hdr)
	if errors.Is(reqErr, colly.ErrForbiddenDomain) {
		return nil, nil, 0, &finalError{fmt.Errorf("collect: GET %s: %w", u, reqErr)}
	}
	if errors.Is(reqErr, colly.ErrRobotsTxtBlocked) {
		return nil, nil, 0, &finalError{fmt.Errorf("%w: GET %s", ErrRobotsDisallow, u)}
	}
	resp, _ := cctx.GetAny(respKey).(*colly.Response)
	if resp == nil || resp.StatusCode == 0 {
		if reqErr == nil {
			reqErr = errors.New("no response")
		}
		return nil, nil, 0, fmt.Errorf("collect: GET %s: %w", u, reqErr)
	}
	status := resp.StatusCode
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		return nil, nil, RetryAfter(resp.Headers, time.Now()), &StatusError{URL: u, Status: status}
	case status >= 300:
		return nil, nil, 0, &finalError{&StatusError{URL: u, Status: status}}
	}
	if accept == "application/json" && LooksHTML(resp.Body) {
		if IsRateLimitPage(resp.Body) {
			return nil, nil, RetryAfter(resp.Headers, time.Now()), fmt.Errorf("collect: GET %s: rate-limit page", u)
		}
		return nil, nil, 0, &finalError{fmt.Errorf("%w: GET %s", ErrNotJSON, u)}
	}
	return resp.Body, resp.Request.URL, 0, nil
}

// pace waits until Interval has passed since the previous request started.
func (cl *Client) pace(ctx context.Context) error {
	if cl.opts.Interval < 0 {
		return ctx.Err()
	}
	now := time.Now()
	if wait := cl.next.Sub(now); wait > 0 {
		if err := Sleep(ctx, wait); err != nil {
			return err
		}
		now = time.Now()
	}
	cl.next = now.Add(cl.opts.Interval)
	return nil
}

// backoff is BackoffBase·2^attempt capped at BackoffMax, with "equal jitter": half fixed,
// half random, so many clients told to slow down at once do not return in step.
func (cl *Client) backoff(attempt int) time.Duration {
	d := cl.opts.BackoffBase
	for i := 0; i < attempt && d < cl.opts.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, cl.opts.BackoffMax)
	half := d / 2
	return half + time.Duration(cl.rng.Int64N(int64(half)+1))
}

// LooksHTML reports whether a body is markup rather than JSON.
func LooksHTML(body []byte) bool {
	b := bytes.TrimLeft(body, " \t\r\n\ufeff")
	return len(b) > 0 && b[0] == '<'
}

// IsRateLimitPage reports whether an HTML body is MTurk's "exceeded the maximum allowed page
// request rate" page.
func IsRateLimitPage(body []byte) bool {
	return bytes.Contains(bytes.ToLower(body), []byte("exceeded the maximum allowed page request rate"))
}
