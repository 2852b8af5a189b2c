// Package web is hitwage's site: HTML pages, the JSON API and embeds, on fiber.
// Handlers stay thin: they read and check input, make one call into a domain package and
// render; one ErrorHandler turns every error into an HTML or JSON answer.
package web

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"golang.org/x/sync/singleflight"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

// Deps are what the site needs from the rest of the program.
type Deps struct {
	Store     *store.Store
	Scheduler *schedule.Scheduler // may be nil when jobs run elsewhere
	Log       *slog.Logger
	BaseURL   string          // public URL, for embeds and links
	Version   string          // git revision the binary was built from
	Ingest    *ingest.Service // accepts worker reports on /api/v1/reports; nil answers 503
	AccessLog bool            // log one line per request
	Wages     *wages.Wages    // wage figures; nil until wired
	Directory *lookup.Directory
	Hasher    *records.Hasher  // reporter pseudonyms for reviews; nil disables them
	Now       func() time.Time // the clock; default time.Now (tests fix it)

	ReportsDir string // folder of written wage reports (reports.Write) served under /reports/; "" serves none

	// Refresh computes the figures of the requesters named again and reloads what the site serves,
	// after a worker's contribution (/contribute) stored records or, with deleted, deleted them;
	// nil leaves them to the scheduled update.
	Refresh func(ctx context.Context, requesterIDs []string, deleted bool) error

	Limits    Limits // bounds on the anonymous requests that query the store (limits.go); zero: the defaults
	OpsPublic bool   // serve the detailed /healthz and /metrics on the site itself (ops.go); default false: on Ops only
}

// App is the site.
type App struct {
	*fiber.App
	deps    Deps
	started time.Time
	probe   healthProbe // the public /healthz's last check of the store

	metrics     *metrics
	metricsHTTP fiber.Handler                 // /metrics: the registry in Prometheus's text format
	docs        snapshotCache[cachedDoc]      // API documents by requester id
	parts       snapshotCache[requesterParts] // requester pages' store-read parts by id

	marketCharts snapshotCache[[]chart.Chart] // the market page's wage charts, under ""
	week         weekCache

	limits     *limiter           // Deps.Limits at work
	groupLoads singleflight.Group // HIT group reads in progress, by platform and id (loadHitGroup)
	opsOnce    sync.Once
	ops        *fiber.App // the operations endpoints (Ops)

	contrib contributeState // /contribute's token issuance and uploads waiting for confirmation

	demoMu  sync.Mutex
	demoVal bool
	demoAt  time.Time
}

// New builds the fiber app with every route.
func New(d Deps) *App {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a := &App{deps: d, started: time.Now(), metrics: newMetrics()}
	a.limits = newLimiter(d.Limits, d.Store, a.metrics)
	a.registerState()
	a.parts.max = maxCachedParts
	a.App = fiber.New(fiber.Config{
		AppName:               "hitwage",
		ErrorHandler:          a.handleError,
		DisableStartupMessage: true,
		BodyLimit:             16 << 20,
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
	a.Use(func(c *fiber.Ctx) error { return NotFound("no page at " + c.Path()) })
	return a
}

func (a *App) now() time.Time {
	if a.deps.Now != nil {
		return a.deps.Now()
	}
	return time.Now()
}

// securityHeaders sets the headers every answer carries. Pages load nothing from elsewhere.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	return c.Next()
}

// logPanic logs a handler's panic, which the recover middleware turns into a 500.
func (a *App) logPanic(c *fiber.Ctx, e any) {
	a.deps.Log.LogAttrs(c.UserContext(), slog.LevelError, "web: handler panicked",
		slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Any("panic", e),
		slog.String("stack", string(debug.Stack())))
}
