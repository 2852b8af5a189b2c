package site

import (
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the site's Prometheus metrics (prometheus/client_golang), in a registry of the
// App's own, served in the text format at /metrics: requests by method, route and status class
// with a latency histogram, the store reads of anonymous requests, the limits' refusals and state.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	Reads    *prometheus.CounterVec // store reads for anonymous requests, by what (storeReadNames)
	Refused  *prometheus.CounterVec // 429s of the limits, by reason (limitReasonNames)
	routes   sync.Map               // route -> its kept copy (route)
}

// What an anonymous request read from the store (Metrics.storeRead): one count per read, however
// many requests shared it.
const (
	readRequesterParts = iota // a requester page's groups, reviews and charts, read live
	readHitGroup              // a HIT group's listings, reports, estimate (and history)
	readRequesterRow          // a requester page's kept row (internal/pagerows), counted per page: pages asked at once share a statement
	storeReads
)

var storeReadNames = [storeReads]string{"requester_parts", "hit_group", "requester_row"}

// storeRead counts one read of the store made for an anonymous page or API answer.
func (m *Metrics) storeRead(what int) { m.Reads.WithLabelValues(storeReadNames[what]).Inc() }

// limited counts one request refused with a 429 by Limits.
func (m *Metrics) limited(reason int) { m.Refused.WithLabelValues(limitReasonNames[reason]).Inc() }

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// NewMetrics makes the registry with every series at zero.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hitwage_http_requests_total",
			Help: "HTTP requests by method, route and status class."}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hitwage_http_request_duration_seconds",
			Help: "Request latency by route.", Buckets: latencyBuckets}, []string{"route"}),
		Reads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hitwage_store_reads_total",
			Help: "Store reads made for anonymous pages and API answers (concurrent requests share one)."}, []string{"what"}),
		Refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hitwage_limited_total",
			Help: "Requests refused with 429 by the store limits, by reason."}, []string{"reason"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.Reads, m.Refused)
	for _, n := range storeReadNames { // every series from the start, at 0
		m.Reads.WithLabelValues(n)
	}
	for _, n := range limitReasonNames {
		m.Refused.WithLabelValues(n)
	}
	return m
}

// Observe counts one request. method and route may be fiber's zero-copy views of a request's
// buffers, which later requests overwrite, and the client library keeps the label values it is
// given: the method is turned into a constant, and a route not seen before is copied once.
func (m *Metrics) Observe(method, route string, status int, d time.Duration) {
	route = m.route(route)
	m.requests.WithLabelValues(methodName(method), route, statusClass(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// route returns a copy of route kept for its labels (routes are the site's few patterns).
func (m *Metrics) route(r string) string {
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

// Handler serves the registry in Prometheus's text format (/metrics).
func (m *Metrics) Handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}
