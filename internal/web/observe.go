package web

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
)

// observe is the middleware that records metrics and writes a structured access log line.
func (a *App) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler has not run yet: count the status it will send.
		we, _ := site.AnswerOf(err)
		status = we.Status
	}
	d := time.Since(start)
	route := c.Route().Path
	if route == "/" && c.Path() != "/" {
		route = "unmatched"
	}
	a.site.Metrics.Observe(c.Method(), route, status, d)
	if a.site.Deps.AccessLog {
		a.site.Deps.Log.LogAttrs(c.UserContext(), slog.LevelInfo, "http request",
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
