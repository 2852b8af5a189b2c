// Package ops is the site's operations endpoints: /healthz, detailed for operators and bare for
// anyone, and /metrics.
package ops

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
)

// Handler serves the operations endpoints from the site's shared state.
type Handler struct {
	site    *site.Site
	probe   healthProbe   // the public /healthz's last check of the store
	metrics fiber.Handler // the registry in Prometheus's text format
}

// New returns the operations endpoints' handlers on s.
func New(s *site.Site) *Handler { return &Handler{site: s, metrics: s.Metrics.Handler()} }
