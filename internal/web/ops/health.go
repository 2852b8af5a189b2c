package web

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/schedule"
)

type health struct {
	Status        string            `json:"status"`
	Store         healthStore       `json:"store"`
	Demo          bool              `json:"demo_data"`
	Version       string            `json:"version"`
	UptimeSeconds float64           `json:"uptime_seconds"`
	Jobs          []schedule.Status `json:"jobs"`
}

type healthStore struct {
	Mode          string `json:"mode"`
	SchemaVersion int    `json:"schema_version"`
	DataDir       string `json:"data_dir,omitempty"`
	Server        string `json:"server,omitempty"`
	Error         string `json:"error,omitempty"`
}

// publicHealthz is the site's own /healthz, for anyone (a load balancer, an uptime check): 200
// {"status":"ok"} while the store answers, 503 {"status":"not ok"} when it does not, and nothing
// more; healthz, with the store's location and the jobs' errors, is an operations endpoint (ops.go).
func (a *App) publicHealthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !a.storeAnswers(c.UserContext()) {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "not ok"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// healthProbe keeps the public health check's last answer for a second: anyone may ask, so asking
// must not cost a store query each time (concurrent askers wait for the one check under mu).
type healthProbe struct {
	mu     sync.Mutex
	at     time.Time
	ok     bool
	checks int // store queries made (tests read it)
}

// storeAnswers reports whether the store answered a query within the last second.
func (a *App) storeAnswers(ctx context.Context) bool {
	p := &a.probe
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := a.site.Now(); p.checks == 0 || now.Sub(p.at) >= time.Second || now.Before(p.at) {
		_, err := a.site.Deps.Store.SchemaVersion(ctx)
		p.at, p.ok = now, err == nil
		p.checks++
	}
	return p.ok
}

// healthz is the detailed health of the operations endpoints: the store's mode, location and
// schema version, the demo flag, the version, and every job's last run with its error. It
// answers 200 while the store answers, 503 when it does not.
func (a *App) healthz(c *fiber.Ctx) error {
	s := a.site.Deps.Store
	h := health{Status: "ok", Version: a.site.Deps.Version, UptimeSeconds: time.Since(a.site.Started).Seconds(), Jobs: []schedule.Status{}}
	h.Store.Mode = string(s.Mode())
	if s.Mode() == "server" {
		h.Store.Server = s.Location()
	} else {
		h.Store.DataDir = s.Location()
	}
	v, err := s.SchemaVersion(c.UserContext())
	if err != nil {
		h.Status, h.Store.Error = "unavailable", err.Error()
		c.Status(fiber.StatusServiceUnavailable)
	}
	h.Store.SchemaVersion = v
	h.Demo = a.site.Demo(c)
	if a.site.Deps.Scheduler != nil {
		h.Jobs = a.site.Deps.Scheduler.Statuses()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(h)
}
