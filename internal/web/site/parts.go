package site

import (
	"context"
	"sync"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/provenance"
	"github.com/hitwage/hitwage/internal/wages"
)

// RequesterParts are the parts of a requester's page read from the store beyond the directory:
// its HIT groups, its two charts (wage histogram, weekly trend), its latest reviews, how its
// records split by source kind and, for a Prolific researcher, its studies' latest listings set
// beside what was reported of them. They
// change only when the figures or reviews do, so they are kept per directory snapshot (Site.parts)
// like the API documents, and a requester's entry is dropped when a review of it is posted or
// withdrawn here (SaveReview, the API's review withdrawal), so the worker sees it at once.
type RequesterParts struct {
	Groups  []wages.Group
	Charts  []chart.Chart
	Reviews []lookup.Review
	Sources []provenance.Source // by source kind; also the API's /requesters/:id/sources
	Studies []Advertised        // a Prolific researcher's listed studies, advertised beside reported
	Pages   *RenderedPages      // the page as sent to a GET, made from these parts and the same snapshot
}

// RenderedPages keeps a requester's rendered page (with and without the demo banner; ~15 KB each),
// so that a GET of a page already shown since the snapshot only sends bytes: rendering the groups
// table, charts and reviews was most of a page's cost under load (docs/benchmarks.md).
type RenderedPages struct {
	mu    sync.Mutex
	pages map[bool][]byte
}

// Get returns the page for the demo banner's state, rendering it the first time.
func (rp *RenderedPages) Get(demo bool, render func() ([]byte, error)) ([]byte, error) {
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

// maxCachedParts bounds s.parts: a crawler walking every requester page does not hold them all.
const maxCachedParts = 5000

// PartsOf returns the cached parts of requester id, or reads them: the queries (three: the kept
// figures, the reviews, the source split; four with a researcher's study listings) run at once
// (the store runs up to four statements in parallel; the rest wait for a connection). Concurrent
// requests for one id share one read (Site.parts), which holds one of the store slots (Limits)
// while it runs; the client was charged for it by limitStore.
func (s *Site) PartsOf(ctx context.Context, id string, withCharts bool) (RequesterParts, error) {
	read := func() (RequesterParts, error) {
		release, err := s.Limits.Acquire(ctx)
		if err != nil {
			return RequesterParts{}, err
		}
		defer release()
		s.Metrics.storeRead(readRequesterParts)
		return s.readRequesterParts(ctx, id, withCharts)
	}
	if s.Deps.Directory == nil { // without a directory there is no snapshot to tie entries to
		return read()
	}
	return s.parts.Load(s.Deps.Directory.RefreshedAt(), id, read)
}

// readRequesterParts reads the parts of requester id from the store.
func (s *Site) readRequesterParts(ctx context.Context, id string, withCharts bool) (RequesterParts, error) {
	var (
		p                      = RequesterParts{Pages: &RenderedPages{}}
		kept                   wages.PageParts
		studies                []market.Study
		kErr, rErr, sErr, lErr error
		wg                     sync.WaitGroup
	)
	wg.Add(3)
	// The groups, histogram and weeks are kept with the figures and read together; a requester
	// without figures yet has none of them.
	go func() { defer wg.Done(); kept, kErr = s.Deps.Wages.PageParts(ctx, id) }()
	go func() { defer wg.Done(); p.Reviews, rErr = lookup.ReviewsOf(ctx, s.Deps.Store, id, pageReviews) }()
	go func() { defer wg.Done(); p.Sources, sErr = provenance.Of(ctx, s.Deps.Store, id) }()
	if pl, _ := platform.Split(id); pl == platform.Prolific { // the only platform whose listings advertise a rate
		wg.Add(1)
		go func() { defer wg.Done(); studies, lErr = market.ResearcherStudies(ctx, s.Deps.Store, id) }()
	}
	wg.Wait()
	for _, err := range []error{kErr, rErr, sErr, lErr} {
		if err != nil {
			return p, err
		}
	}
	p.Groups = kept.Groups
	p.Studies = studyRows(studies, p.Groups)
	bins, trend := kept.Bins, kept.Weeks
	if !withCharts { // the directory counts no records of the requester: nothing to chart
		bins, trend = nil, nil
	}
	cur := "USD"
	if r, ok := s.DirGet(id); ok && r.Wages.Currency != "" {
		cur = r.Wages.Currency
	}
	if len(bins) > 0 {
		if ch, err := wageHistogram("wage-histogram", "Per-task hourly wages (tasks)", cur, bins); err == nil {
			p.Charts = append(p.Charts, ch)
		}
	}
	if len(trend) > 0 {
		if ch, err := WeeklyTrend("wage-trend", "Effective hourly wage by week", cur, trend); err == nil {
			p.Charts = append(p.Charts, ch)
		}
	}
	return p, nil
}

// PartsKept says whether the page parts of the requester with stored key are kept, or the
// requester is unknown (a 404, read from memory): a GET of its page then reads no store.
func (s *Site) PartsKept(key string) bool {
	if s.Deps.Directory == nil {
		return false
	}
	if _, ok := s.Deps.Directory.Get(key); !ok {
		return true
	}
	_, ok := s.parts.Get(s.Deps.Directory.RefreshedAt(), key)
	return ok
}

// ForgetParts drops the kept parts of the requester with stored key, whose reviews changed: its
// page shows the change at once rather than at the next snapshot.
func (s *Site) ForgetParts(key string) { s.parts.Forget(key) }
