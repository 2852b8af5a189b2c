package site

import (
	"testing"
	"time"
)

// BenchmarkMetricsObserve: counting one request (method, route, status, latency), as every request does.
func BenchmarkMetricsObserve(b *testing.B) {
	m := NewMetrics()
	routes := []string{"/", "/requesters/:id", "/api/v1/requesters/:id", "/api/v1/requesters", "/embed/requesters/:id/badge.svg"}
	i := 0
	for b.Loop() {
		m.Observe("GET", routes[i%len(routes)], 200, 3*time.Millisecond)
		i++
	}
}
