package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/hitwage/hitwage/internal/web/site"
)

// The operations endpoints, the detailed /healthz (the store's mode and location, the schema
// version, every job's last error) and /metrics, tell a stranger how the site is built and
// where it keeps its data. So they are served by Ops on an address of their own (cmd/web
// --ops-addr, e.g. 127.0.0.1:9090), and on the site's address only when Deps.OpsPublic is set
// (--ops-public); otherwise the site's /healthz answers only {"status":"ok"} or 503
// {"status":"not ok"}, and its /metrics is a 404.

// Ops returns the operations app: the detailed /healthz and /metrics, for a listener of its
// own (an address only operators reach). Its requests are not counted in /metrics.
func (a *App) Ops() *fiber.App {
	a.opsOnce.Do(func() {
		ops := fiber.New(fiber.Config{
			AppName:               "hitwage-ops",
			ErrorHandler:          a.site.HandleError,
			DisableStartupMessage: true,
			ReadTimeout:           10 * time.Second,
			WriteTimeout:          30 * time.Second,
			IdleTimeout:           2 * time.Minute,
		})
		ops.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: a.logPanic}))
		ops.Get("/healthz", a.opsH.Healthz)
		ops.Get("/metrics", a.opsH.Metrics)
		ops.Use(func(c *fiber.Ctx) error { return site.NotFound("the operations address serves /healthz and /metrics") })
		a.ops = ops
	})
	return a.ops
}
