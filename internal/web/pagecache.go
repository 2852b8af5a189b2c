package web

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web/chart"
)

// requesterParts are the parts of a requester's page read from the store beyond the directory:
// its HIT groups and its two charts (wage histogram, weekly trend). They change only when the
// figures do, so they are kept per directory snapshot (a.parts) like the API documents; the
// reviews, which a worker expects to see right after posting one, are read on every view.
type requesterParts struct {
	groups []wages.Group
	charts []chart.Chart
}

// maxCachedParts bounds a.parts: a crawler walking every requester page does not hold them all.
const maxCachedParts = 5000

// requesterPartsOf returns the cached parts of requester id, or reads them: the three queries
// run at once (the store runs up to four statements in parallel).
func (a *App) requesterPartsOf(ctx context.Context, id string, withCharts bool) (requesterParts, error) {
	cache := a.deps.Directory != nil // without a directory there is no snapshot to tie entries to
	var refreshed time.Time
	if cache {
		refreshed = a.deps.Directory.RefreshedAt()
		if p, ok := a.parts.get(refreshed, id); ok {
			return p, nil
		}
	}

	var (
		p                requesterParts
		bins             []wages.Bin
		trend            []wages.WeekPoint
		gErr, hErr, tErr error
		wg               sync.WaitGroup
	)
	wg.Add(1)
	go func() { defer wg.Done(); p.groups, gErr = a.deps.Wages.Groups(ctx, id) }()
	if withCharts {
		wg.Add(2)
		go func() { defer wg.Done(); bins, hErr = a.deps.Wages.Histogram(ctx, id, 2.5, 12) }()
		go func() { defer wg.Done(); trend, tErr = a.deps.Wages.RequesterTrend(ctx, id) }()
	}
	wg.Wait()
	for _, err := range []error{gErr, hErr, tErr} {
		if err != nil && !errors.Is(err, wages.ErrNotFound) {
			return p, err
		}
	}
	if len(bins) > 0 {
		if ch, err := wageHistogram("wage-histogram", "Per-task hourly wages (tasks)", bins); err == nil {
			p.charts = append(p.charts, ch)
		}
	}
	if len(trend) > 0 {
		if ch, err := weeklyTrend("wage-trend", "Effective hourly wage by week", trend); err == nil {
			p.charts = append(p.charts, ch)
		}
	}

	if cache {
		a.parts.put(refreshed, id, p)
	}
	return p, nil
}
