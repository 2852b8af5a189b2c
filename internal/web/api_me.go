package web

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/wages"
)

// A worker's own wage figures are private: they are computed only for the holder of the token
// the worker reports with (or, for a relaying userscript, the worker it names), answered with
// Cache-Control: private, no-store, and never published or kept.
func init() {
	routeSets = append(routeSets, func(a *App) {
		a.Use("/api/v1/me", a.workerSiteCORS("GET,OPTIONS"))
		a.Get("/api/v1/me/wages", a.myWages)
	})
}

// myWagesJSON is the answer of GET /api/v1/me/wages.
type myWagesJSON struct {
	From *time.Time `json:"from"` // the range asked for; null when open
	To   *time.Time `json:"to"`
	wages.Figures
}

func (a *App) myWages(c *fiber.Ctx) error {
	if a.deps.Ingest == nil || a.deps.Hasher == nil || a.deps.Wages == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "reports_disabled", Message: "this server keeps no worker reports"}
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	tok, err := a.authenticate(c, a.deps.Ingest)
	if err != nil {
		return err
	}
	worker := strings.TrimSpace(c.Query("worker_id"))
	if worker != "" && !requesterIDRe.MatchString(worker) {
		return BadRequest("worker_id", "a worker id is A followed by 12-20 upper-case letters and digits")
	}
	var r wages.Range
	if r.From, err = export.ParseTime("from", c.Query("from")); err != nil {
		return optionError(err)
	}
	if r.To, err = export.ParseTime("to", c.Query("to")); err != nil {
		return optionError(err)
	}
	if !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
		return BadRequest("to", "must be after from")
	}
	f, err := a.deps.Wages.Reporter(c.UserContext(), a.reviewerOf(tok, worker), r)
	if errors.Is(err, wages.ErrNotFound) {
		return NotFound("no task records of yours in this range: report tasks with this token (or name the worker_id your script reports for)")
	}
	if err != nil {
		return err
	}
	out := myWagesJSON{Figures: f}
	if !r.From.IsZero() {
		out.From = &r.From
	}
	if !r.To.IsZero() {
		out.To = &r.To
	}
	return c.JSON(out)
}
