package web

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the site's Prometheus metrics (prometheus/client_golang), in a registry of the
// App's own, served in the text format at /metrics: requests by method, route and status class
// with a latency histogram, the store reads of anonymous requests, the limits' refusals and state.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	reads    *prometheus.CounterVec
	refused  *prometheus.CounterVec
	routes   sync.Map // route -> its kept copy (route)
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
func (m *metrics) storeRead(what int) { m.reads.WithLabelValues(storeReadNames[what]).Inc() }

// limited counts one request refused with a 429 by Limits.
func (m *metrics) limited(reason int) { m.refused.WithLabelValues(limitReasonNames[reason]).Inc() }

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hitwage_http_requests_total",
			Help: "HTTP requests by method, route and status class."}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hitwage_http_request_duration_seconds",
			Help: "Request latency by route.", Buckets: latencyBuckets}, []string{"route"}),
		reads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hitwage_store_reads_total",
			Help: "Store reads made for anonymous pages and API answers (concurrent requests share one)."}, []string{"what"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hitwage_limited_total",
			Help: "Requests refused with 429 by the store limits, by reason."}, []string{"reason"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.reads, m.refused)
	for _, n := range storeReadNames { // every series from the start, at 0
		m.reads.WithLabelValues(n)
	}
	for _, n := range limitReasonNames {
		m.refused.WithLabelValues(n)
	}
	return m
}

// observe counts one request. method and route may be fiber's zero-copy views of a request's
// buffers, which later requests overwrite, and the client library keeps the label values it is
// given: the method is turned into a constant, and a route not seen before is copied once.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	route = m.route(route)
	m.requests.WithLabelValues(methodName(method), route, statusClass(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// route returns a copy of route kept for its labels (routes are the site's few patterns).
func (m *metrics) route(r string) string {
	if v, ok := m.routes.Load(r); ok {
		return v.(string)
	}
	c := strings.Clone(r)
	v, _ := m.routes.LoadOrStore(c, c)
	return v.(string)
}

// methodName is an HTTP method as a constant string; an unusual one is "other".
func methodName(m string) string {
	switch m {
	case "GET":
		return "GET"
	case "HEAD":
		return "HEAD"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "DELETE":
		return "DELETE"
	case "PATCH":
		return "PATCH"
	case "OPTIONS":
		return "OPTIONS"
	}
	return "other"
}

// statusClass is a status's class label ("2xx").
func statusClass(status int) string {
	switch status / 100 {
	case 1:
		return "1xx"
	case 2:
		return "2xx"
	case 3:
		return "3xx"
	case 4:
		return "4xx"
	}
	return "5xx"
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

// registerState adds the gauges read from the App when /metrics is asked for: the limits' state
// and the uptime.
func (a *App) registerState() {
	a.metrics.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hitwage_store_slots",
			Help: "Store-querying requests served at once at most (0: no bound)."},
			func() float64 { return float64(max(a.limits.cfg.StoreSlots, 0)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hitwage_store_slots_in_use",
			Help: "Store-querying requests being served."},
			func() float64 { return float64(a.limits.inUse.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hitwage_uptime_seconds",
			Help: "Seconds since the site started."},
			func() float64 { return time.Since(a.started).Seconds() }),
	)
	a.metricsHTTP = adaptor.HTTPHandler(promhttp.HandlerFor(a.metrics.reg, promhttp.HandlerOpts{}))
}

func (a *App) metricsHandler(c *fiber.Ctx) error { return a.metricsHTTP(c) }
