// Package lookup keeps every requester's published figures in memory, so that the pages,
// the JSON API and userscripts asking for a hundred requesters at a time read a map instead
// of querying ClickHouse per request. Refresh reloads it from the precomputed tables.
package lookup

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

// Reviews summarises the Turkopticon-style reviews of one requester. Each rating is optional, so
// each average (1-5) is over the reviews that give that rating, counted beside it; an average
// with a count of 0 is 0.
type Reviews struct {
	Count                                        uint64 // live reviews, rated or not
	Pay, Fairness, Communication, Promptness     float64
	PayN, FairnessN, CommunicationN, PromptnessN uint64 // reviews giving each rating
	TOSViolation                                 uint64 // reviews flagging a terms-of-service violation
	BrokenTask                                   uint64 // reviews flagging a broken task
	LastAt                                       time.Time
	CommunicationGood                            uint64 // reviews rating communication 4 or 5
	RecommendN                                   uint64 // reviews rating both pay and fairness
	Recommend                                    uint64 // reviews rating fairness 4+ and pay 3+
}

// Requester is what the site publishes about one requester.
type Requester struct {
	ID         string      // the stored key (platform.Key): the platform's id for MTurk, "platform:id" otherwise
	Platform   platform.ID // the platform it is a requester of
	PlatformID string      // its id on that platform
	Name       string
	Wages      wages.Figures
	Reviews    Reviews
	Score      *Score // nil while the ratings are not computed
	UpdatedAt  time.Time
}

// Score is a requester's fairness score as the site shows it.
type Score struct {
	Value      *float64 // 0-100; nil when there is not enough data
	Grade      string   // A-F; "" when there is not enough data
	Reason     string   // why there is no grade, when there is none
	Gate       string   // why pay capped the grade (ratings' pay gate), when it did
	Components []Component
}

// Component is one part of a fairness score.
type Component struct {
	Name        string
	Score       *float64 // 0-100
	Value       *float64 // the raw figure
	Unit        string
	Explanation string
}

// Scorer supplies fairness scores by requester id (the ratings package).
type Scorer interface {
	Scores(ctx context.Context) (map[string]Score, error)
}

// Directory is the in-memory set of requesters. Safe for concurrent use; reads never block on a refresh.
type Directory struct {
	s      *store.Store
	w      *wages.Wages
	scorer Scorer

	snap atomic.Pointer[snapshot]
	mu   sync.Mutex // one refresh at a time
}

type snapshot struct {
	byID   map[string]*Requester
	sorted []*Requester                  // by name, for search
	keys   []searchKey                   // sorted's search keys, index for index
	best   []*Requester                  // with an effective wage: highest first, ties by name (Ranked)
	worst  []*Requester                  // with an effective wage: lowest first, ties by name (Ranked)
	market map[platform.ID]wages.Figures // each platform's market in its currency
	demo   bool                          // the store holds the generated demo data set
	at     time.Time
}

// New returns an empty directory; call Refresh to fill it.
func New(s *store.Store, w *wages.Wages, scorer Scorer) *Directory {
	d := &Directory{s: s, w: w, scorer: scorer}
	d.snap.Store(&snapshot{byID: map[string]*Requester{}, market: map[platform.ID]wages.Figures{}})
	return d
}

// Refresh reloads every requester from the precomputed wage figures, reviews and scores.
func (d *Directory) Refresh(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	figs, markets, err := d.figures(ctx)
	if err != nil {
		return err
	}
	revs, err := d.reviews(ctx)
	if err != nil {
		return err
	}
	names, err := d.names(ctx)
	if err != nil {
		return err
	}
	listed, err := d.listed(ctx)
	if err != nil {
		return err
	}
	var scores map[string]Score
	if d.scorer != nil {
		if scores, err = d.scorer.Scores(ctx); err != nil {
			return fmt.Errorf("lookup: scores: %w", err)
		}
	}
	sn := &snapshot{byID: make(map[string]*Requester, len(figs)+len(names)), at: time.Now().UTC(),
		market: map[platform.ID]wages.Figures{}, demo: d.s.IsDemo(ctx)}
	add := func(id, name string) *Requester {
		r, ok := sn.byID[id]
		if !ok {
			p, pid := platform.Split(id)
			r = &Requester{ID: id, Platform: p, PlatformID: pid, Name: name, UpdatedAt: sn.at}
			r.Wages.Platform, r.Wages.Currency = string(p), platform.CurrencyOf(p)
			sn.byID[id] = r
		}
		if r.Name == "" {
			r.Name = name
		}
		return r
	}
	for id, name := range names {
		add(id, name)
	}
	for id, name := range listed { // a researcher whose studies are listed before anyone reports one
		add(id, name)
	}
	for _, f := range figs {
		r := add(f.RequesterID, f.RequesterName)
		if f.RequesterName != "" {
			r.Name = f.RequesterName
		}
		r.Wages = f.Figures
		if !f.ComputedAt.IsZero() {
			r.UpdatedAt = f.ComputedAt
		}
	}
	for id, rv := range revs {
		add(id, "").Reviews = rv
	}
	for id, sc := range scores {
		if r, ok := sn.byID[id]; ok {
			sc := sc
			r.Score = &sc
		}
	}
	type keyed struct {
		r *Requester
		k searchKey
	}
	all := make([]keyed, 0, len(sn.byID))
	for _, r := range sn.byID {
		all = append(all, keyed{r, newSearchKey(r)})
	}
	sort.Slice(all, func(i, j int) bool {
		if a, b := all[i].k.name, all[j].k.name; a != b {
			return a < b
		}
		return all[i].r.ID < all[j].r.ID
	})
	sn.sorted, sn.keys = make([]*Requester, len(all)), make([]searchKey, len(all))
	for i, a := range all {
		sn.sorted[i], sn.keys[i] = a.r, a.k
	}
	sn.best, sn.worst = byWage(sn.sorted, false, d.w.Rates()), byWage(sn.sorted, true, d.w.Rates())
	for p, m := range markets {
		if m != nil {
			sn.market[p] = *m
		}
	}
	d.snap.Store(sn)
	return nil
}

// FigureSource is a Scorer that holds the wage figures its scores were built from
// (ratings.Ratings.Figures); Refresh takes them from it rather than reading them again.
type FigureSource interface {
	Figures() (requesters []wages.RequesterFigures, markets map[platform.ID]*wages.Figures, ok bool)
}

// figures returns every requester's precomputed figures and each platform's market (absent when it
// has none): the scorer's when it holds them, else read from the store.
func (d *Directory) figures(ctx context.Context) ([]wages.RequesterFigures, map[platform.ID]*wages.Figures, error) {
	if fs, ok := d.scorer.(FigureSource); ok {
		if figs, markets, ok := fs.Figures(); ok {
			return figs, markets, nil
		}
	}
	figs, err := d.w.Requesters(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("lookup: %w", err)
	}
	markets := map[platform.ID]*wages.Figures{}
	for _, p := range platform.All() {
		m, err := d.w.Market(ctx, p.ID)
		if errors.Is(err, wages.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("lookup: %w", err)
		}
		markets[p.ID] = &m
	}
	return figs, markets, nil
}

// Get returns one requester.
func (d *Directory) Get(id string) (*Requester, bool) {
	r, ok := d.snap.Load().byID[id]
	return r, ok
}

// Len is the number of requesters known.
func (d *Directory) Len() int { return len(d.snap.Load().byID) }

// RefreshedAt is when the directory was last loaded.
func (d *Directory) RefreshedAt() time.Time { return d.snap.Load().at }

// Market returns a platform's market-wide figures (in its currency) as of the last refresh.
func (d *Directory) Market(p platform.ID) (wages.Figures, bool) {
	m, ok := d.snap.Load().market[p]
	return m, ok
}

// Demo reports whether the figures are of the generated demo data set (as of the last refresh):
// every answer built from them says so.
func (d *Directory) Demo() bool { return d.snap.Load().demo }

// All returns every requester, by name.
func (d *Directory) All() []*Requester { return d.snap.Load().sorted }

//go:embed reviews.sql
var reviewsSQL string

func (d *Directory) reviews(ctx context.Context) (map[string]Reviews, error) {
	rows, err := d.s.Query(ctx, reviewsSQL, nil)
	if err != nil {
		return nil, fmt.Errorf("lookup: reviews: %w", err)
	}
	defer rows.Close()
	out := map[string]Reviews{}
	for rows.Next() {
		var id string
		var r Reviews
		if err := rows.Scan(&id, &r.Count, &r.Pay, &r.Fairness, &r.Communication, &r.Promptness,
			&r.PayN, &r.FairnessN, &r.CommunicationN, &r.PromptnessN, &r.TOSViolation, &r.BrokenTask,
			&r.LastAt, &r.CommunicationGood, &r.RecommendN, &r.Recommend); err != nil {
			return nil, fmt.Errorf("lookup: reviews: %w", err)
		}
		out[id] = r
	}
	return out, rows.Err()
}

// listed returns the researchers of Prolific's study listings, with the name the operator's
// imports give them ("" when only relayed or uploaded listings name them: those are reporters'
// words and name no one, see wages' names.sql).
func (d *Directory) listed(ctx context.Context) (map[string]string, error) {
	rows, err := d.s.Query(ctx, `SELECT requester_id,
			argMaxIf(requester_name, crawled_at, NOT reported)
		FROM listing_snapshots WHERE source = {src:String} GROUP BY requester_id`, store.Args{"src": market.ListingSource})
	if err != nil {
		return nil, fmt.Errorf("lookup: listed researchers: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("lookup: listed researchers: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

func (d *Directory) names(ctx context.Context) (map[string]string, error) {
	rows, err := d.s.Query(ctx, `SELECT requester_id, argMax(name, updated_at) FROM requesters GROUP BY requester_id`, nil)
	if err != nil {
		return nil, fmt.Errorf("lookup: requesters: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("lookup: requesters: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}
