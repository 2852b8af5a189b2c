package ratings

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

//go:embed reviews.sql
var reviewsSQL string

// Ratings holds the latest scores of every requester in memory. Lookups read the snapshot and
// never touch the store; Refresh rebuilds it. Safe for concurrent use.
type Ratings struct {
	s    *store.Store
	w    *wages.Wages
	cfg  Config
	snap atomic.Pointer[snapshot]
}

type snapshot struct {
	byID   map[string]*Rating
	payers []*Rating // enough data and a wage, best paying first
	market Rating
	at     time.Time

	// The wage figures the ratings were built from (see Figures).
	figs      []wages.RequesterFigures
	marketFig *wages.Figures
}

// New returns Ratings over the precomputed wage figures of w and the reviews in s, with an empty snapshot.
func New(s *store.Store, w *wages.Wages, cfg Config) *Ratings {
	if cfg.Target <= 0 {
		cfg.Target = w.Target()
	}
	r := &Ratings{s: s, w: w, cfg: cfg.withDefaults()}
	r.snap.Store(&snapshot{byID: map[string]*Rating{}})
	return r
}

// Refresh rebuilds the snapshot from the precomputed wage figures (run wages.Recompute or
// wages.Update first) and the reviews.
func (r *Ratings) Refresh(ctx context.Context) error {
	reqs, err := r.w.Requesters(ctx)
	if err != nil {
		return fmt.Errorf("ratings: %w", err)
	}
	var marketFig *wages.Figures
	if m, err := r.w.Market(ctx); err == nil {
		marketFig = &m
	} else if !errors.Is(err, wages.ErrNotFound) {
		return fmt.Errorf("ratings: %w", err)
	}
	revs, marketRev, err := r.reviews(ctx)
	if err != nil {
		return err
	}
	market := raws(marketFig, marketRev, r.cfg.Target)
	snap := &snapshot{byID: make(map[string]*Rating, len(reqs)), at: time.Now().UTC(), figs: reqs, marketFig: marketFig}
	snap.market = rate(r.cfg, "", "Market", marketFig, marketRev, market)
	for i := range reqs {
		q := &reqs[i]
		rt := rate(r.cfg, q.RequesterID, q.RequesterName, &q.Figures, revs[q.RequesterID], market)
		snap.byID[q.RequesterID] = &rt
	}
	for id, rev := range revs { // reviewed requesters without task records
		if _, ok := snap.byID[id]; !ok {
			rt := rate(r.cfg, id, "", nil, rev, market)
			snap.byID[id] = &rt
		}
	}
	for _, rt := range snap.byID {
		if rt.EnoughData && rt.EffectiveHourly != nil {
			snap.payers = append(snap.payers, rt)
		}
	}
	sort.Slice(snap.payers, func(i, j int) bool {
		a, b := snap.payers[i], snap.payers[j]
		if *a.EffectiveHourly != *b.EffectiveHourly {
			return *a.EffectiveHourly > *b.EffectiveHourly
		}
		return a.RequesterID < b.RequesterID
	})
	r.snap.Store(snap)
	return nil
}

func (r *Ratings) reviews(ctx context.Context) (map[string]*reviewAgg, *reviewAgg, error) {
	rows, err := r.s.Query(ctx, reviewsSQL, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("ratings: reviews: %w", err)
	}
	defer rows.Close()
	out := map[string]*reviewAgg{}
	var market *reviewAgg
	for rows.Next() {
		var (
			id  string
			a   reviewAgg
			avg [4]float64
		)
		if err := rows.Scan(&id, &a.count, &avg[0], &avg[1], &avg[2], &avg[3]); err != nil {
			return nil, nil, fmt.Errorf("ratings: reviews: %w", err)
		}
		for i, p := range []**float64{&a.pay, &a.fairness, &a.communication, &a.promptness} {
			if avg[i] == avg[i] { // avgIf over no valid rating is NaN
				v := avg[i]
				*p = &v
			}
		}
		if id == "" {
			market = &a
		} else {
			out[id] = &a
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("ratings: reviews: %w", err)
	}
	return out, market, nil
}

// Get returns one requester's rating from the snapshot.
func (r *Ratings) Get(requesterID string) (Rating, bool) {
	rt, ok := r.snap.Load().byID[requesterID]
	if !ok {
		return Rating{}, false
	}
	return *rt, true
}

// Lookup returns the ratings of many requesters at once (e.g. a userscript's 100 ids); unknown
// ids are absent from the map.
func (r *Ratings) Lookup(requesterIDs []string) map[string]Rating {
	snap := r.snap.Load()
	out := make(map[string]Rating, len(requesterIDs))
	for _, id := range requesterIDs {
		if rt, ok := snap.byID[id]; ok {
			out[id] = *rt
		}
	}
	return out
}

// BestPayers returns up to n requesters with enough data, highest effective hourly wage first.
func (r *Ratings) BestPayers(n int) []Rating {
	p := r.snap.Load().payers
	out := make([]Rating, 0, min(n, len(p)))
	for i := 0; i < len(p) && i < n; i++ {
		out = append(out, *p[i])
	}
	return out
}

// WorstPayers returns up to n requesters with enough data, lowest effective hourly wage first.
func (r *Ratings) WorstPayers(n int) []Rating {
	p := r.snap.Load().payers
	out := make([]Rating, 0, min(n, len(p)))
	for i := len(p) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, *p[i])
	}
	return out
}

// All returns every rating in the snapshot: rated requesters by score, best first, then the rest by id.
func (r *Ratings) All() []Rating {
	snap := r.snap.Load()
	out := make([]Rating, 0, len(snap.byID))
	for _, rt := range snap.byID {
		out = append(out, *rt)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Score == nil) != (b.Score == nil) {
			return a.Score != nil
		}
		if a.Score != nil && *a.Score != *b.Score {
			return *a.Score > *b.Score
		}
		return a.RequesterID < b.RequesterID
	})
	return out
}

// Market returns the market-wide rating: its components are what requesters are shrunk toward.
func (r *Ratings) Market() Rating { return r.snap.Load().market }

// Figures returns the precomputed wage figures the snapshot was built from (requesters by id, and
// the market's when there were any), so that a reader serving them beside the scores need not read
// them again; ok is false before the first Refresh. The figures are shared: do not modify them.
func (r *Ratings) Figures() (requesters []wages.RequesterFigures, market *wages.Figures, ok bool) {
	snap := r.snap.Load()
	return snap.figs, snap.marketFig, !snap.at.IsZero()
}

// RefreshedAt is when the snapshot was built; zero before the first Refresh.
func (r *Ratings) RefreshedAt() time.Time { return r.snap.Load().at }
