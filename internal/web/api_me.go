package web

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// A worker's own wage figures are private: they are computed only for the holder of the token
// the worker reports with (or, for a relaying userscript, the worker it names), answered with
// Cache-Control: private, no-store, and never published or kept.

// myWagesJSON is the answer of GET /api/v1/me/wages: the figures of the worker's first platform
// and currency (MTurk first, then each platform's own currency), and in all, those of every platform
// and currency the worker was paid in (no figure adds two currencies).
type myWagesJSON struct {
	From *time.Time `json:"from"` // the range asked for; null when open
	To   *time.Time `json:"to"`
	wages.Figures
	All []wages.Figures `json:"all"`
}

func (a *App) myWages(c *fiber.Ctx) error {
	if err := a.myWagesEnabled(); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	tok, err := a.authenticate(c)
	if err != nil {
		return err
	}
	var p *platform.Platform
	if c.Query("platform") != "" {
		if p, err = platformOf(c); err != nil {
			return err
		}
	}
	f, r, err := a.myWagesOf(c.UserContext(), p, tok, c.Query("worker_id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	out := myWagesJSON{Figures: f[0], All: f}
	if !r.From.IsZero() {
		out.From = &r.From
	}
	if !r.To.IsZero() {
		out.To = &r.To
	}
	return c.JSON(out)
}

// myWagesEnabled says why this server cannot show a worker their own figures, if it cannot.
func (a *App) myWagesEnabled() error {
	if a.deps.Ingest == nil || a.deps.Hasher == nil || a.deps.Wages == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "reports_disabled", Message: "This server keeps no worker reports."}
	}
	return nil
}

// myWagesOf checks the rest of an own-wages request (the worker a relaying script names, the
// range, as typed) and computes the figures of the reporter tok files under, for the API and
// the /me page alike.
//
// The figures come one per platform and currency, only those of platform p when it is not nil.
func (a *App) myWagesOf(ctx context.Context, p *platform.Platform, tok ingest.Token, workerID, from, to string) ([]wages.Figures, wages.Range, error) {
	var r wages.Range
	workerID = strings.TrimSpace(workerID)
	if workerID != "" && !platform.ValidWorker(workerID) {
		return nil, r, BadRequest("worker_id", "A worker ID is, on "+platform.WorkerShapes()+".")
	}
	var err error
	if r.From, err = export.ParseTime("from", from); err != nil {
		return nil, r, optionError(err)
	}
	if r.To, err = export.ParseTime("to", to); err != nil {
		return nil, r, optionError(err)
	}
	if !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
		return nil, r, BadRequest("to", "The end date (to) must be after the start date (from).")
	}
	// A named worker's figures cover only what this token sent for them: a worker id is no
	// password, so another token naming it must not read that worker's wages.
	via := ""
	if workerID != "" {
		via = tok.ID
	}
	f, err := a.deps.Wages.ReporterVia(ctx, a.reviewerOf(tok, workerID), via, r)
	if err == nil && p != nil {
		var mine []wages.Figures
		for _, x := range f {
			if x.Platform == string(p.ID) {
				mine = append(mine, x)
			}
		}
		if f = mine; len(f) == 0 {
			err = wages.ErrNotFound
		}
	}
	if errors.Is(err, wages.ErrNotFound) {
		return f, r, NotFound("No task reports of yours in this period: report tasks with this token (or name the worker ID your script reports for; a named worker's figures cover only the tasks this token reported).")
	}
	return f, r, err
}
