package ratings

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
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
	payers map[platform.ID][]*Rating // enough data and a wage, best paying first
	market map[platform.ID]Rating
	at     time.Time

	// The wage figures the ratings were built from (see Figures).
	figs       []wages.RequesterFigures
	marketFigs map[platform.ID]*wages.Figures
}

// New returns Ratings over the precomputed wage figures of w and the reviews in s, with an empty snapshot.
func New(s *store.Store, w *wages.Wages, cfg Config) *Ratings {
	if cfg.Target <= 0 {
		cfg.Target = w.Target()
	}
	r := &Ratings{s: s, w: w, cfg: cfg.withDefaults()}
	r.snap.Store(&snapshot{byID: map[string]*Rating{}, payers: map[platform.ID][]*Rating{}, market: map[platform.ID]Rating{}})
	return r
}

// Refresh rebuilds the snapshot from the precomputed wage figures (run wages.Recompute or
// wages.Update first) and the reviews.
func (r *Ratings) Refresh(ctx context.Context) error {
	reqs, err := r.w.Requesters(ctx)
	if err != nil {
		return fmt.Errorf("ratings: %w", err)
	}
	revs, marketRevs, err := r.reviews(ctx)
	if err != nil {
		return err
	}
	pros, proMarket, err := r.prolific(ctx)
	if err != nil {
		return err
	}
	snap := &snapshot{byID: make(map[string]*Rating, len(reqs)), at: time.Now().UTC(), figs: reqs,
		payers: map[platform.ID][]*Rating{}, market: map[platform.ID]Rating{}, marketFigs: map[platform.ID]*wages.Figures{}}
	// Each platform's requesters are shrunk toward that platform's market: scores are shares of a
	// target, so a requester paying in another currency than its market compares on the same scale.
	markets := map[platform.ID]map[string]raw{}
	for _, p := range platform.All() {
		var fig *wages.Figures
		if m, err := r.w.Market(ctx, p.ID); err == nil {
			fig = &m
			snap.marketFigs[p.ID] = fig
		} else if !errors.Is(err, wages.ErrNotFound) {
			return fmt.Errorf("ratings: %w", err)
		}
		var x *prolificFigs
		if p.ID == platform.Prolific {
			x = proMarket
			markets[p.ID] = prolificRaws(fig, marketRevs[p.ID], x, r.target(p.ID, fig))
		} else {
			markets[p.ID] = raws(fig, marketRevs[p.ID], r.target(p.ID, fig))
		}
		mr := rateOn(r.cfg, p.ID, "", p.Short+" market", fig, marketRevs[p.ID], x, markets[p.ID], r.target(p.ID, fig))
		snap.market[p.ID] = mr
	}
	for i := range reqs {
		q := &reqs[i]
		p, _ := platform.Split(q.RequesterID)
		rt := rateOn(r.cfg, p, q.RequesterID, q.RequesterName, &q.Figures, revs[q.RequesterID], pros[q.RequesterID], markets[p], r.target(p, &q.Figures))
		snap.byID[q.RequesterID] = &rt
	}
	for id, rev := range revs { // reviewed requesters without task records
		if _, ok := snap.byID[id]; !ok {
			p, _ := platform.Split(id)
			rt := rateOn(r.cfg, p, id, "", nil, rev, pros[id], markets[p], r.target(p, nil))
			snap.byID[id] = &rt
		}
	}
	for _, rt := range snap.byID {
		if rt.EnoughData && rt.EffectiveHourly != nil {
			snap.payers[rt.Platform] = append(snap.payers[rt.Platform], rt)
		}
	}
	rates := r.w.Rates()
	for p, ps := range snap.payers {
		cur := platform.CurrencyOf(p)
		// Ordered by the wage in the platform's currency, converted through the currency table.
		inCur := func(rt *Rating) float64 {
			x, _ := rates.Rate(rt.Currency, cur)
			return *rt.EffectiveHourly * x
		}
		sort.Slice(ps, func(i, j int) bool {
			a, b := inCur(ps[i]), inCur(ps[j])
			if a != b {
				return a > b
			}
			return ps[i].RequesterID < ps[j].RequesterID
		})
	}
	r.snap.Store(snap)
	return nil
}

// target is the wage a platform's figures are scored against: the figures' own target (that of
// their platform and currency) when there are figures, else the platform's in its currency.
func (r *Ratings) target(p platform.ID, f *wages.Figures) float64 {
	if f != nil && f.Target > 0 {
		return f.Target
	}
	pl := platform.Get(p)
	if pl == nil || p == platform.MTurk {
		return r.cfg.Target
	}
	return r.w.Floor(p, pl.Currency).Target
}

func (r *Ratings) reviews(ctx context.Context) (map[string]*reviewAgg, map[platform.ID]*reviewAgg, error) {
	rows, err := r.s.Query(ctx, reviewsSQL, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("ratings: reviews: %w", err)
	}
	defer rows.Close()
	out := map[string]*reviewAgg{}
	market := map[platform.ID]*reviewAgg{}
	for rows.Next() {
		var (
			id, plat string
			a        reviewAgg
			avg      [4]float64
		)
		if err := rows.Scan(&id, &plat, &a.count, &avg[0], &avg[1], &avg[2], &avg[3]); err != nil {
			return nil, nil, fmt.Errorf("ratings: reviews: %w", err)
		}
		for i, p := range []**float64{&a.pay, &a.fairness, &a.communication, &a.promptness} {
			if avg[i] == avg[i] { // avgIf over no valid rating is NaN
				v := avg[i]
				*p = &v
			}
		}
		if id == "" {
			market[platform.ID(plat)] = &a
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

// BestPayers returns up to n of a platform's requesters with enough data, highest effective hourly
// wage first.
func (r *Ratings) BestPayers(pl platform.ID, n int) []Rating {
	p := r.snap.Load().payers[pl]
	out := make([]Rating, 0, min(n, len(p)))
	for i := 0; i < len(p) && i < n; i++ {
		out = append(out, *p[i])
	}
	return out
}

// WorstPayers returns up to n of a platform's requesters with enough data, lowest effective hourly
// wage first.
func (r *Ratings) WorstPayers(pl platform.ID, n int) []Rating {
	p := r.snap.Load().payers[pl]
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

// Market returns a platform's market-wide rating: its components are what the platform's
// requesters are shrunk toward.
func (r *Ratings) Market(p platform.ID) Rating { return r.snap.Load().market[p] }

// Figures returns the precomputed wage figures the snapshot was built from (requesters by id, and
// each platform's market in its currency, where there were any), so that a reader serving them
// beside the scores need not read them again; ok is false before the first Refresh. The figures
// are shared: do not modify them.
func (r *Ratings) Figures() (requesters []wages.RequesterFigures, markets map[platform.ID]*wages.Figures, ok bool) {
	snap := r.snap.Load()
	return snap.figs, snap.marketFigs, !snap.at.IsZero()
}

// RefreshedAt is when the snapshot was built; zero before the first Refresh.
func (r *Ratings) RefreshedAt() time.Time { return r.snap.Load().at }
