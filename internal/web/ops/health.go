package ops

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

// PublicHealthz is the site's own /healthz, for anyone (a load balancer, an uptime check): 200
// {"status":"ok"} while the store answers, 503 {"status":"not ok"} when it does not, and nothing
// more; Healthz, with the store's location and the jobs' errors, is an operations endpoint (web.App.Ops).
func (h *Handler) PublicHealthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !h.storeAnswers(c.UserContext()) {
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
func (h *Handler) storeAnswers(ctx context.Context) bool {
	p := &h.probe
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := h.site.Now(); p.checks == 0 || now.Sub(p.at) >= time.Second || now.Before(p.at) {
		_, err := h.site.Deps.Store.SchemaVersion(ctx)
		p.at, p.ok = now, err == nil
		p.checks++
	}
	return p.ok
}

// Healthz is the detailed health of the operations endpoints: the store's mode, location and
// schema version, the demo flag, the version, and every job's last run with its error. It
// answers 200 while the store answers, 503 when it does not.
func (h *Handler) Healthz(c *fiber.Ctx) error {
	s := h.site.Deps.Store
	ans := health{Status: "ok", Version: h.site.Deps.Version, UptimeSeconds: time.Since(h.site.Started).Seconds(), Jobs: []schedule.Status{}}
	ans.Store.Mode = string(s.Mode())
	if s.Mode() == "server" {
		ans.Store.Server = s.Location()
	} else {
		ans.Store.DataDir = s.Location()
	}
	v, err := s.SchemaVersion(c.UserContext())
	if err != nil {
		ans.Status, ans.Store.Error = "unavailable", err.Error()
		c.Status(fiber.StatusServiceUnavailable)
	}
	ans.Store.SchemaVersion = v
	ans.Demo = h.site.Demo(c)
	if h.site.Deps.Scheduler != nil {
		ans.Jobs = h.site.Deps.Scheduler.Statuses()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(ans)
}
