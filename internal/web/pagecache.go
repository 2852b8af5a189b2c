package web

import (
	"context"
	"errors"
	"sync"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/provenance"
	"github.com/hitwage/hitwage/internal/wages"
)

// requesterParts are the parts of a requester's page read from the store beyond the directory:
// its HIT groups, its two charts (wage histogram, weekly trend), its latest reviews, how its
// records split by source kind and, for a Prolific researcher, its studies' latest listings set
// beside what was reported of them. They
// change only when the figures or reviews do, so they are kept per directory snapshot (a.parts)
// like the API documents, and a requester's entry is dropped when a review of it is posted or
// withdrawn here (saveReview, deleteReview), so the worker sees it at once.
type requesterParts struct {
	groups  []wages.Group
	charts  []chart.Chart
	reviews []lookup.Review
	sources []provenance.Source // by source kind; also the API's /requesters/:id/sources
	studies []advertised        // a Prolific researcher's listed studies, advertised beside reported
	pages   *renderedPages      // the page as sent to a GET, made from these parts and the same snapshot
}

// renderedPages keeps a requester's rendered page (with and without the demo banner; ~15 KB each),
// so that a GET of a page already shown since the snapshot only sends bytes: rendering the groups
// table, charts and reviews was most of a page's cost under load (docs/benchmarks.md).
type renderedPages struct {
	mu    sync.Mutex
	pages map[bool][]byte
}

// get returns the page for the demo banner's state, rendering it the first time.
func (rp *renderedPages) get(demo bool, render func() ([]byte, error)) ([]byte, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if b, ok := rp.pages[demo]; ok {
		return b, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	if rp.pages == nil {
		rp.pages = map[bool][]byte{}
	}
	rp.pages[demo] = b
	return b, nil
}

// pageReviews is how many reviews a requester's page lists.
const pageReviews = 20

// maxCachedParts bounds a.parts: a crawler walking every requester page does not hold them all.
const maxCachedParts = 5000

// requesterPartsOf returns the cached parts of requester id, or reads them: the queries (four,
// five with the source split, six with a researcher's study listings) run at once (the store
// runs up to four statements in parallel; the rest wait for a connection). Concurrent requests for one
// id share one read (a.parts.load), which holds one of the store slots (Limits) while it runs;
// the client was charged for it by limitStore.
func (a *App) requesterPartsOf(ctx context.Context, id string, withCharts bool) (requesterParts, error) {
	read := func() (requesterParts, error) {
		release, err := a.limits.acquire(ctx)
		if err != nil {
			return requesterParts{}, err
		}
		defer release()
		a.metrics.storeRead(readRequesterParts)
		return a.readRequesterParts(ctx, id, withCharts)
	}
	if a.deps.Directory == nil { // without a directory there is no snapshot to tie entries to
		return read()
	}
	return a.parts.load(a.deps.Directory.RefreshedAt(), id, read)
}

// readRequesterParts reads the parts of requester id from the store.
func (a *App) readRequesterParts(ctx context.Context, id string, withCharts bool) (requesterParts, error) {
	var (
		p                = requesterParts{pages: &renderedPages{}}
		bins             []wages.Bin
		trend            []wages.WeekPoint
		studies          []market.Study
		gErr, hErr, tErr error
		rErr, sErr, lErr error
		wg               sync.WaitGroup
	)
	wg.Add(3)
	go func() { defer wg.Done(); p.groups, gErr = a.deps.Wages.Groups(ctx, id) }()
	go func() { defer wg.Done(); p.reviews, rErr = lookup.ReviewsOf(ctx, a.deps.Store, id, pageReviews) }()
	go func() { defer wg.Done(); p.sources, sErr = provenance.Of(ctx, a.deps.Store, id) }()
	if pl, _ := platform.Split(id); pl == platform.Prolific { // the only platform whose listings advertise a rate
		wg.Add(1)
		go func() { defer wg.Done(); studies, lErr = market.ResearcherStudies(ctx, a.deps.Store, id) }()
	}
	if withCharts {
		wg.Add(2)
		go func() {
			defer wg.Done()
			// Kept with the figures; a requester without figures yet (none to show) has none.
			bins, hErr = a.deps.Wages.StoredHistogram(ctx, id)
		}()
		go func() { defer wg.Done(); trend, tErr = a.deps.Wages.RequesterTrend(ctx, id) }()
	}
	wg.Wait()
	for _, err := range []error{rErr, sErr, lErr} {
		if err != nil {
			return p, err
		}
	}
	for _, err := range []error{gErr, hErr, tErr} {
		if err != nil && !errors.Is(err, wages.ErrNotFound) {
			return p, err
		}
	}
	p.studies = studyRows(studies, p.groups)
	cur := "USD"
	if r, ok := a.dirGet(id); ok && r.Wages.Currency != "" {
		cur = r.Wages.Currency
	}
	if len(bins) > 0 {
		if ch, err := wageHistogram("wage-histogram", "Per-task hourly wages (tasks)", cur, bins); err == nil {
			p.charts = append(p.charts, ch)
		}
	}
	if len(trend) > 0 {
		if ch, err := weeklyTrend("wage-trend", "Effective hourly wage by week", cur, trend); err == nil {
			p.charts = append(p.charts, ch)
		}
	}
	return p, nil
}
