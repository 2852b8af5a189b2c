// Package web is hitwage's site: HTML pages, the JSON API and embeds, on fiber. It wires the
// surfaces (api, embeds, ops, pages) to their routes (routes.go) behind the middleware every
// request passes.
// Handlers stay thin: they read and check input, make one call into a domain package and
// render; one ErrorHandler turns every error into an HTML or JSON answer.
package web

import (
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/hitwage/hitwage/internal/web/ops"
	"github.com/hitwage/hitwage/internal/web/site"
)

// Deps are what the site needs from the rest of the program.
type Deps = site.Deps

// Limits bound the anonymous requests that must query the store (site.Limits has the fields and
// their defaults).
type Limits = site.Limits

// App is the site.
type App struct {
	*fiber.App
	site *site.Site
	opsH *ops.Handler // the operations endpoints' handlers, on the site and on Ops

	opsOnce sync.Once
	ops     *fiber.App // the operations endpoints (Ops)
}

// New builds the fiber app with every route.
func New(d Deps) *App {
	s := site.New(d)
	a := &App{site: s, opsH: ops.New(s)}
	a.App = fiber.New(fiber.Config{
		AppName:               "hitwage",
		ErrorHandler:          s.HandleError,
		DisableStartupMessage: true,
		BodyLimit:             site.BodyLimit,
		// Request line and headers: fasthttp's 4 KiB answered a long URL (a pasted list of ids, a
		// malformed id) with a bare 431 page before any route could name what was wrong.
		ReadBufferSize: 16 << 10,
		ReadTimeout:    30 * time.Second,
		WriteTimeout:   35 * time.Minute, // research exports stream for minutes; reads are bounded by ReadTimeout
		IdleTimeout:    2 * time.Minute,
	})
	// A panic in a handler answers 500 (logged with its stack) instead of ending the process.
	a.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: a.logPanic}))
	a.Use(a.observe)
	a.Use(securityHeaders)
	a.Use(a.decodeBody) // a gzip, deflate or br body is decoded once, within the route's limit
	a.Use(a.limitStore) // anonymous requests that query the store: per-client rate, store slots, 429s
	a.routes()          // routes.go
	a.Use(func(c *fiber.Ctx) error { return site.NotFound("no page at " + c.Path()) })
	return a
}

// securityHeaders sets the headers every answer carries. Pages load nothing from elsewhere.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	return c.Next()
}

// logPanic logs a handler's panic, which the recover middleware turns into a 500.
func (a *App) logPanic(c *fiber.Ctx, e any) {
	a.site.Deps.Log.LogAttrs(c.UserContext(), slog.LevelError, "web: handler panicked",
		slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Any("panic", e),
		slog.String("stack", string(debug.Stack())))
}
