// Package site is what the site's surfaces (pages, the JSON API, embeds, the operations
// endpoints) share: the dependencies and the caches made from them, the store limits and metrics,
// the error type and handler, and the lookups and checks more than one surface makes (a requester
// by its path, a HIT group, a review, a token). Surfaces hold a *Site and share through it, never
// through each other.
package site

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/pagerows"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web/snapshot"
)

// Deps are what the site needs from the rest of the program (web.Deps).
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
	Pages     *pagerows.Keeper // requester pages' kept rows; nil reads every page's parts live
	Now       func() time.Time // the clock; default time.Now (tests fix it)

	ReportsDir string // folder of written wage reports (reports.Write) served under /reports/; "" serves none

	// Refresh computes the figures of the requesters named again and reloads what the site serves,
	// after a worker's contribution (/contribute) stored records or, with deleted, deleted them;
	// nil leaves them to the scheduled update.
	Refresh func(ctx context.Context, requesterIDs []string, deleted bool) error

	Limits    Limits // bounds on the anonymous requests that query the store (Limits); zero: the defaults
	OpsPublic bool   // serve the detailed /healthz and /metrics on the site itself (web.App.Ops); default false: on Ops only
}

// Site is the state the surfaces share: the dependencies, the store limits, the metrics and the
// caches whose entries more than one surface reads or drops.
type Site struct {
	Deps    Deps
	Started time.Time
	Limits  *Limiter // Deps.Limits at work
	Metrics *Metrics

	parts      snapshot.Cache[RequesterParts] // requester pages' store-read parts by id (PartsOf)
	groupLoads singleflight.Group             // HIT group reads in progress, by platform and id (LoadHitGroup)

	demoMu  sync.Mutex
	demoVal bool
	demoAt  time.Time
}

// New makes the shared state of a site serving d.
func New(d Deps) *Site {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Site{Deps: d, Started: time.Now(), Metrics: NewMetrics()}
	s.Limits = newLimiter(d.Limits, d.Store, s.Metrics)
	if d.Pages != nil {
		d.Pages.BoundReads(s.Limits.Acquire) // its statements are anonymous reads too
	}
	s.parts.Max = maxCachedParts
	s.registerState()
	return s
}

// Now is the site's clock: Deps.Now, else time.Now.
func (s *Site) Now() time.Time {
	if s.Deps.Now != nil {
		return s.Deps.Now()
	}
	return time.Now()
}

// Demo reports whether the store holds demo data, cached for a minute.
func (s *Site) Demo(c *fiber.Ctx) bool {
	s.demoMu.Lock()
	defer s.demoMu.Unlock()
	if time.Since(s.demoAt) > time.Minute {
		s.demoVal = s.Deps.Store.IsDemo(c.UserContext())
		s.demoAt = time.Now()
	}
	return s.demoVal
}

// registerState adds the gauges read from the App when /metrics is asked for: the limits' state
// and the uptime.
func (s *Site) registerState() {
	s.Metrics.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hitwage_store_slots",
			Help: "Store-querying requests served at once at most (0: no bound)."},
			func() float64 { return float64(max(s.Limits.cfg.StoreSlots, 0)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hitwage_store_slots_in_use",
			Help: "Store-querying requests being served."},
			func() float64 { return float64(s.Limits.inUse.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hitwage_uptime_seconds",
			Help: "Seconds since the site started."},
			func() float64 { return time.Since(s.Started).Seconds() }),
	)
}

// BodyLimit is the most the server reads of a request body (the upload of a saved history is the
// largest); routes that take less check their own limits.
const BodyLimit = 16 << 20
