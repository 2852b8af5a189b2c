package web

import (
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// metrics counts requests by route and status class, with a latency histogram, and
// serves them in the Prometheus text format at /metrics.
type metrics struct {
	mu     sync.Mutex
	counts map[[3]string]*atomic.Uint64 // method, route, status class
	hist   map[string]*histogram        // route

	reads   [storeReads]atomic.Uint64   // store reads made for anonymous pages, by what they read
	refused [limitReasons]atomic.Uint64 // 429s of Limits, by reason
}

// What an anonymous request read from the store (metrics.storeRead): one count per read, however
// many requests shared it.
const (
	readRequesterParts = iota // a requester page's groups, reviews and charts
	readHitGroup              // a HIT group's listings, reports, estimate (and history)
	storeReads
)

var storeReadNames = [storeReads]string{"requester_parts", "hit_group"}

// storeRead counts one read of the store made for an anonymous page or API answer.
func (m *metrics) storeRead(what int) { m.reads[what].Add(1) }

// limited counts one request refused with a 429 by Limits.
func (m *metrics) limited(reason int) { m.refused[reason].Add(1) }

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

type histogram struct {
	counts []atomic.Uint64 // one per bucket, plus +Inf
	sumNs  atomic.Uint64
}

func newMetrics() *metrics {
	return &metrics{counts: map[[3]string]*atomic.Uint64{}, hist: map[string]*histogram{}}
}

// observe counts one request. method and route may be fiber's zero-copy views of a request's
// buffers, which later requests overwrite: the first request of a key stores copies.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	key := [3]string{method, route, strconv.Itoa(status/100) + "xx"}
	m.mu.Lock()
	c, ok := m.counts[key]
	if !ok {
		c = &atomic.Uint64{}
		m.counts[[3]string{strings.Clone(key[0]), strings.Clone(key[1]), key[2]}] = c
	}
	h, ok := m.hist[route]
	if !ok {
		h = &histogram{counts: make([]atomic.Uint64, len(latencyBuckets)+1)}
		m.hist[strings.Clone(route)] = h
	}
	m.mu.Unlock()
	c.Add(1)
	s := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, s)
	h.counts[i].Add(1)
	h.sumNs.Add(uint64(d.Nanoseconds()))
}

func (m *metrics) write(b *strings.Builder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.WriteString("# HELP hitwage_http_requests_total HTTP requests by method, route and status class.\n# TYPE hitwage_http_requests_total counter\n")
	keys := make([][3]string, 0, len(m.counts))
	for k := range m.counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.Join(keys[i][:], " ") < strings.Join(keys[j][:], " ") })
	for _, k := range keys {
		fmt.Fprintf(b, "hitwage_http_requests_total{method=%q,route=%q,code=%q} %d\n", k[0], k[1], k[2], m.counts[k].Load())
	}
	b.WriteString("# HELP hitwage_http_request_duration_seconds Request latency by route.\n# TYPE hitwage_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.hist[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i].Load()
			fmt.Fprintf(b, "hitwage_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", r, le, cum)
		}
		cum += h.counts[len(latencyBuckets)].Load()
		fmt.Fprintf(b, "hitwage_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, cum)
		fmt.Fprintf(b, "hitwage_http_request_duration_seconds_sum{route=%q} %g\n", r, float64(h.sumNs.Load())/1e9)
		fmt.Fprintf(b, "hitwage_http_request_duration_seconds_count{route=%q} %d\n", r, cum)
	}
}

// observe is the middleware that records metrics and writes a structured access log line.
func (a *App) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler has not run yet: count the status it will send.
		we, _ := answerOf(err)
		status = we.Status
	}
	d := time.Since(start)
	route := c.Route().Path
	if route == "/" && c.Path() != "/" {
		route = "unmatched"
	}
	a.metrics.observe(c.Method(), route, status, d)
	if a.deps.AccessLog {
		a.deps.Log.LogAttrs(c.UserContext(), slog.LevelInfo, "http request",
			slog.String("method", c.Method()), slog.String("path", c.Path()), slog.String("route", route),
			slog.Int("status", status), slog.Duration("took", d), slog.Int("bytes", bodySize(c)))
	}
	return err
}

// bodySize is the answer's size for the access log, -1 when it is streamed without a length (an
// export). It never reads a streamed body: Response().Body() would copy the whole stream into
// memory before the first byte is sent.
func bodySize(c *fiber.Ctx) int {
	r := c.Response()
	if r.IsBodyStream() {
		return max(r.Header.ContentLength(), -1)
	}
	return len(r.Body())
}

// writeLimits writes the store reads and the limits' state and refusals.
func (a *App) writeLimits(b *strings.Builder) {
	m := a.metrics
	b.WriteString("# HELP hitwage_store_reads_total Store reads made for anonymous pages and API answers (concurrent requests share one).\n# TYPE hitwage_store_reads_total counter\n")
	for i, name := range storeReadNames {
		fmt.Fprintf(b, "hitwage_store_reads_total{what=%q} %d\n", name, m.reads[i].Load())
	}
	b.WriteString("# HELP hitwage_limited_total Requests refused with 429 by the store limits, by reason.\n# TYPE hitwage_limited_total counter\n")
	for i, name := range limitReasonNames {
		fmt.Fprintf(b, "hitwage_limited_total{reason=%q} %d\n", name, m.refused[i].Load())
	}
	fmt.Fprintf(b, "# HELP hitwage_store_slots Store-querying requests served at once at most (0: no bound).\n# TYPE hitwage_store_slots gauge\nhitwage_store_slots %d\n", max(a.limits.cfg.StoreSlots, 0))
	fmt.Fprintf(b, "# HELP hitwage_store_slots_in_use Store-querying requests being served.\n# TYPE hitwage_store_slots_in_use gauge\nhitwage_store_slots_in_use %d\n", a.limits.inUse.Load())
}

func (a *App) metricsHandler(c *fiber.Ctx) error {
	var b strings.Builder
	a.metrics.write(&b)
	a.writeLimits(&b)
	fmt.Fprintf(&b, "# HELP hitwage_uptime_seconds Seconds since the site started.\n# TYPE hitwage_uptime_seconds gauge\nhitwage_uptime_seconds %g\n", time.Since(a.started).Seconds())
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	return c.SendString(b.String())
}
