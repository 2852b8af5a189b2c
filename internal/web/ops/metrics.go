package ops

import "github.com/gofiber/fiber/v2"

// Metrics serves the site's metrics in Prometheus's text format.
func (h *Handler) Metrics(c *fiber.Ctx) error { return h.metrics(c) }
