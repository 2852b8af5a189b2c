package site

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// MyWagesEnabled says why this server cannot show a worker their own figures, if it cannot.
func (s *Site) MyWagesEnabled() error {
	if s.Deps.Ingest == nil || s.Deps.Hasher == nil || s.Deps.Wages == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "reports_disabled", Message: "This server keeps no worker reports."}
	}
	return nil
}

// MyWagesOf checks the rest of an own-wages request (the worker a relaying script names, the
// range, as typed) and computes the figures of the reporter tok files under, for the API and
// the /me page alike.
//
// The figures come one per platform and currency, only those of platform p when it is not nil.
func (s *Site) MyWagesOf(ctx context.Context, p *platform.Platform, tok ingest.Token, workerID, from, to string) ([]wages.Figures, wages.Range, error) {
	var r wages.Range
	workerID = strings.TrimSpace(workerID)
	if workerID != "" && !platform.ValidWorker(workerID) {
		return nil, r, BadRequest("worker_id", "A worker ID is, on "+platform.WorkerShapes()+".")
	}
	var err error
	if r.From, err = export.ParseTime("from", from); err != nil {
		return nil, r, OptionError(err)
	}
	if r.To, err = export.ParseTime("to", to); err != nil {
		return nil, r, OptionError(err)
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
	f, err := s.Deps.Wages.ReporterVia(ctx, s.ReviewerOf(tok, workerID), via, r)
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
