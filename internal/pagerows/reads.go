package pagerows

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

// Bounds on the rows' reads: statements at once, and requesters a statement. Under load most of
// a cold page's cost was the engine's fixed cost of a statement (about a millisecond), not the
// row: many pages asked at once share one.
const (
	maxReads = 2
	maxBatch = 256
)

// reads gathers concurrent row reads into one statement. A read that finds maxReads statements
// running waits for the next, which takes every requester then waiting; a lone read goes at once.
// Hand-written rather than a dataloader library: those batch by a time window, which would add
// the window's length to every page asked alone.
type reads struct {
	s       *store.Store
	acquire func(context.Context) (release func(), err error) // a store slot for a statement (BoundReads); nil: none

	mu      sync.Mutex
	waiting map[string][]chan readResult
	order   []string // waiting requesters, first asked first
	running int
}

// readResult is a requester's row as read; its waiter decodes it, so that a batch's pages decode
// their rows at once rather than one after another.
type readResult struct {
	row   Row // FiguresAt and BuiltAt set
	parts string
	ok    bool
	err   error
}

func newReads(s *store.Store) *reads {
	return &reads{s: s, waiting: map[string][]chan readResult{}}
}

func (r *reads) read(ctx context.Context, id string) (Row, bool, error) {
	if err := ctx.Err(); err != nil { // a page that has gone costs no statement
		return Row{}, false, err
	}
	ch := make(chan readResult, 1)
	r.mu.Lock()
	if _, ok := r.waiting[id]; !ok {
		r.order = append(r.order, id)
	}
	r.waiting[id] = append(r.waiting[id], ch)
	if r.running < maxReads {
		r.running++
		go r.run(r.take())
	}
	r.mu.Unlock()
	select {
	case res := <-ch:
		if !res.ok || res.err != nil {
			return Row{}, false, res.err
		}
		row := res.row
		if err := json.Unmarshal([]byte(res.parts), &row.Parts); err != nil {
			return Row{}, false, fmt.Errorf("pagerows: %s: %w", id, err)
		}
		if row.Groups == nil {
			row.Groups = []wages.Group{}
		}
		return row, true, nil
	case <-ctx.Done():
		// Not read for a page that has gone, unless a statement took it already (it then still
		// answers ch, which is buffered).
		r.mu.Lock()
		if chs := r.waiting[id]; len(chs) > 0 {
			chs = slices.DeleteFunc(chs, func(c chan readResult) bool { return c == ch })
			if len(chs) == 0 {
				delete(r.waiting, id) // take skips it in order
			} else {
				r.waiting[id] = chs
			}
		}
		r.mu.Unlock()
		return Row{}, false, ctx.Err()
	}
}

// take removes up to maxBatch waiting requesters with their waiters; r.mu is held.
func (r *reads) take() map[string][]chan readResult {
	batch := make(map[string][]chan readResult, min(len(r.order), maxBatch))
	n := 0
	for ; n < len(r.order) && len(batch) < maxBatch; n++ {
		id := r.order[n]
		if chs, ok := r.waiting[id]; ok { // absent: its pages have gone
			batch[id] = chs
			delete(r.waiting, id)
		}
	}
	r.order = append(r.order[:0], r.order[n:]...)
	return batch
}

// run reads a batch's rows, answers its waiters, and runs the next batch if requesters wait.
func (r *reads) run(batch map[string][]chan readResult) {
	for {
		var (
			rows map[string]readResult
			err  error
		)
		if len(batch) > 0 {
			rows, err = r.slotFetch(batch)
		}
		for id, chs := range batch {
			res, ok := rows[id]
			res.ok, res.err = ok, err
			for _, ch := range chs {
				ch <- res
			}
		}
		r.mu.Lock()
		if len(r.order) == 0 {
			r.running--
			r.mu.Unlock()
			return
		}
		batch = r.take()
		r.mu.Unlock()
	}
}

// slotFetch is fetch holding a store slot, when reads are bounded (BoundReads).
func (r *reads) slotFetch(batch map[string][]chan readResult) (map[string]readResult, error) {
	if r.acquire != nil {
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		defer cancel()
		release, err := r.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	return r.fetch(batch)
}

// readTimeout bounds a batch's statement: it answers many pages, none of whose contexts it takes.
const readTimeout = 10 * time.Second

func (r *reads) fetch(batch map[string][]chan readResult) (map[string]readResult, error) {
	ids := make([]string, 0, len(batch))
	for id := range batch {
		ids = append(ids, id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	rows, err := r.s.Query(ctx, `SELECT requester_id, figures_at, built_at, parts FROM requester_pages
		WHERE requester_id IN {rids:Array(String)} ORDER BY requester_id, built_at DESC LIMIT 1 BY requester_id`,
		store.Args{"rids": ids})
	if err != nil {
		return nil, fmt.Errorf("pagerows: read: %w", err)
	}
	defer rows.Close()
	out := make(map[string]readResult, len(ids))
	for rows.Next() {
		var (
			id  string
			res readResult
		)
		if err := rows.Scan(&id, &res.row.FiguresAt, &res.row.BuiltAt, &res.parts); err != nil {
			return nil, fmt.Errorf("pagerows: read: %w", err)
		}
		if res.row.FiguresAt.Unix() == 0 { // stored as the epoch: no figures
			res.row.FiguresAt = time.Time{}
		}
		out[id] = res
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pagerows: read: %w", err)
	}
	return out, nil
}
