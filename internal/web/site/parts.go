package site

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/pagerows"
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

// maxCachedParts bounds s.parts: a crawler walking every requester page does not hold them all.
const maxCachedParts = 5000

// PartsOf returns the cached parts of requester id, or reads them: its kept row (Deps.Pages) when
// that was made from the figures the directory shows, else the live queries (three: the kept
// figures, the reviews, the source split) at once; a researcher's study listings are always read
// live. Concurrent requests for one id share one read (Site.parts). The live queries hold one of
// the store slots (Limits) while they run; the client was charged for them by limitStore. A kept
// row's read takes a slot per statement, which the pages asked meanwhile share (pagerows).
func (s *Site) PartsOf(ctx context.Context, id string, withCharts bool) (RequesterParts, error) {
	read := func() (RequesterParts, error) {
		row, kept, err := s.keptRow(ctx, id)
		if err != nil {
			return RequesterParts{}, err
		}
		pl, _ := platform.Split(id)
		if !kept || pl == platform.Prolific { // the live reads, or the study listings
			release, err := s.Limits.Acquire(ctx)
			if err != nil {
				return RequesterParts{}, err
			}
			defer release()
		}
		var (
			studies    []market.Study
			lErr, rErr error
			wg         sync.WaitGroup
		)
		if pl == platform.Prolific { // the only platform whose listings advertise a rate
			wg.Add(1)
			go func() { defer wg.Done(); studies, lErr = market.ResearcherStudies(ctx, s.Deps.Store, id) }()
		}
		if kept {
			s.Metrics.storeRead(readRequesterRow)
		} else {
			s.Metrics.storeRead(readRequesterParts)
			var rows map[string]pagerows.Row
			rows, rErr = pagerows.Live(ctx, s.Deps.Store, s.Deps.Wages, []string{id})
			row = rows[id]
		}
		wg.Wait()
		if err := errors.Join(rErr, lErr); err != nil {
			return RequesterParts{}, err
		}
		return s.requesterParts(id, withCharts, row.Parts, studies), nil
	}
	if s.Deps.Directory == nil { // without a directory there is no snapshot to tie entries to
		return read()
	}
	return s.parts.Load(s.Deps.Directory.RefreshedAt(), id, read)
}

// keptRow returns requester id's kept page row when there is one of the figures the directory
// shows; ok is false otherwise (no keeper, no row, other figures, or a failed read of the row,
// which the live queries then answer). err is the request's end, or no store slot came free.
func (s *Site) keptRow(ctx context.Context, id string) (row pagerows.Row, ok bool, err error) {
	if s.Deps.Pages == nil {
		return pagerows.Row{}, false, nil
	}
	row, ok, err = s.Deps.Pages.Read(ctx, id)
	var busy *limitError
	switch {
	case ctx.Err() != nil:
		return pagerows.Row{}, false, ctx.Err()
	case errors.As(err, &busy):
		return pagerows.Row{}, false, err
	case err != nil:
		s.Deps.Log.Warn("requester page row", slog.String("requester", id), slog.Any("err", err))
		return pagerows.Row{}, false, nil
	}
	var figures, reviewed time.Time
	if r, found := s.DirGet(id); found {
		figures, reviewed = r.Wages.ComputedAt, r.Reviews.LastAt
	}
	// Of the directory's figures, and of its reviews: a review stored by another process since
	// the row was made is in the snapshot (and its summary), and the page must list it too.
	return row, ok && row.FiguresAt.Equal(figures) && (reviewed.IsZero() || row.BuiltAt.After(reviewed)), nil
}

// requesterParts makes the parts of requester id's page from what it read: its row's parts and,
// for a Prolific researcher, its studies' listings.
func (s *Site) requesterParts(id string, withCharts bool, read pagerows.Parts, studies []market.Study) RequesterParts {
	p := RequesterParts{Pages: &RenderedPages{}, Groups: read.Groups, Reviews: read.Reviews, Sources: read.Sources}
	p.Studies = studyRows(studies, p.Groups)
	bins, trend := read.Bins, read.Weeks
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
	return p
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

// ReviewsChanged drops the cached parts of the requester with stored key, whose reviews changed
// here, and makes its kept row again: its page shows the change at once rather than at the next
// snapshot. The old row is out of use before the cached parts go (a load still reading it is
// then not kept, snapshot.Cache.Forget), so pages read live until the row is made; the request
// waits for that at most changedRowWait (figures being written hold it back), after which the
// next refresh of the rows makes it.
func (s *Site) ReviewsChanged(ctx context.Context, key string) {
	if s.Deps.Pages != nil {
		s.Deps.Pages.MarkChanged(key)
	}
	s.parts.Forget(key)
	if s.Deps.Pages == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), changedRowWait)
	defer cancel()
	if err := s.Deps.Pages.Remake(ctx, key); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		s.Deps.Log.Warn("requester page row after a review", slog.String("requester", key), slog.Any("err", err))
	}
}

// changedRowWait bounds how long a review's request waits to make its requester's row again.
const changedRowWait = 2 * time.Second
