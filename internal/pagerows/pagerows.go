// Package pagerows keeps what a requester's page reads from the store as one stored row per
// requester (issue 20, item 3): its HIT groups, kept histogram and weeks (wages.PageParts), its
// newest reviews (lookup.ReviewsOfMany) and how its records split by source (provenance.OfMany).
// A page not shown since its figures changed is then one read by key instead of three statements,
// each a pass over a table or a view. Rows are made in bulk, a thousand requesters a statement,
// after the figures change (Refresh) and at once for a requester whose reviews changed here
// (MarkChanged, Remake); a row made from other figures than the directory's is not read.
package pagerows

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/provenance"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

// Reviews is how many reviews a page lists, and so a row keeps.
const Reviews = 20

// chunk is the requesters a build reads in one statement each: large enough that the statements'
// fixed cost (the reviews view reads every token's share) is paid per thousand pages, small
// enough that a chunk's figures and reviews stay a few megabytes in memory.
const chunk = 1000

// Parts are what a requester's page shows from the store beyond the directory.
type Parts struct {
	Groups  []wages.Group       `json:"groups"`
	Bins    []wages.Bin         `json:"bins,omitempty"`
	Weeks   []wages.WeekPoint   `json:"weeks,omitempty"`
	Reviews []lookup.Review     `json:"reviews,omitempty"`
	Sources []provenance.Source `json:"sources,omitempty"`
}

// Row is a requester's kept page parts and the figures they were made from.
type Row struct {
	Parts
	FiguresAt time.Time // the requester's figures' computed_at (wages.Figures.ComputedAt); zero without figures
	BuiltAt   time.Time // when the reads the row was made of began: a review stored before is in it
}

// Keeper makes and reads the rows.
type Keeper struct {
	s *store.Store
	w *wages.Wages

	reads *reads

	// A Refresh that finds another running asks it for one more pass (again) and returns: the
	// running one then also finds what changed after its own look for stale rows.
	refreshing, again atomic.Bool

	// MarkOnly: Changed only marks the row, leaving it to the process that computes the figures
	// (on a server, a web process without jobs): its builds cannot tell whether that process's
	// runs are writing (wages.WroteSince sees this process's runs only).
	MarkOnly bool

	mu    sync.Mutex
	dirty map[string]time.Time // requesters whose reviews changed here, and when: a row built before is not read
}

// New returns a Keeper over the store and its wage figures.
func New(s *store.Store, w *wages.Wages) *Keeper {
	return &Keeper{s: s, w: w, dirty: map[string]time.Time{}, reads: newReads(s)}
}

// Read returns requester id's kept row; ok is false when there is none, or its reviews changed
// here since it was made. The caller compares FiguresAt with the figures it shows. Reads that
// arrive while others run share the next statement (reads.go).
func (k *Keeper) Read(ctx context.Context, id string) (row Row, ok bool, err error) {
	row, ok, err = k.reads.read(ctx, id)
	if !ok || err != nil {
		return row, ok, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if at, marked := k.dirty[id]; marked {
		// The row's reads must have begun after the mark, to the millisecond BuiltAt keeps (a
		// build that began in the mark's millisecond but before it would pass: a window of less
		// than a millisecond, against refusing every row made right after a change).
		if row.BuiltAt.Before(at.Truncate(time.Millisecond)) {
			return Row{}, false, nil
		}
		delete(k.dirty, id)
	}
	return row, true, nil
}

// BoundReads makes every statement that reads rows take a slot from acquire first (the site's
// store slots for anonymous reads): pages asked at once share a statement, and so a slot.
// Call it before the first Read.
func (k *Keeper) BoundReads(acquire func(context.Context) (release func(), err error)) {
	k.reads.acquire = acquire
}

// Remake makes requester id's row again after MarkChanged, unless MarkOnly.
func (k *Keeper) Remake(ctx context.Context, id string) error {
	if k.MarkOnly {
		return nil
	}
	return k.Build(ctx, []string{id})
}

// MarkChanged notes that requester id's reviews changed here now (a review stored or withdrawn, a
// flag): a row made before is not read. Call it before dropping any copy of the requester's parts
// kept in memory, so that no read between the two finds the old row.
func (k *Keeper) MarkChanged(id string) {
	k.mu.Lock()
	k.dirty[id] = time.Now().UTC()
	k.mu.Unlock()
}

// Refresh makes again the rows of every requester whose row is missing or stale (stale.sql) and
// returns how many it made. While one runs, another returns at once, having asked the running one
// to look again when it is done.
func (k *Keeper) Refresh(ctx context.Context) (int, error) {
	total := 0
	for {
		k.again.Store(true)
		if !k.refreshing.CompareAndSwap(false, true) {
			return total, nil // the running one passes again
		}
		for k.again.Swap(false) {
			ids, err := k.stale(ctx)
			if err == nil {
				err = k.Build(ctx, ids)
			}
			total += len(ids)
			if err != nil {
				k.refreshing.Store(false)
				return total, err
			}
		}
		k.refreshing.Store(false)
		// A call that set again after the last pass's Swap but found refreshing still set
		// returned: pass again for it unless another Refresh took over.
		if !k.again.Load() {
			return total, nil
		}
	}
}

// stale lists the requesters whose rows are missing or stale.
func (k *Keeper) stale(ctx context.Context) ([]string, error) {
	rows, err := k.s.Query(ctx, staleSQL, nil)
	if err != nil {
		return nil, fmt.Errorf("pagerows: stale rows: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("pagerows: stale rows: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pagerows: stale rows: %w", err)
	}
	return ids, nil
}

//go:embed stale.sql
var staleSQL string

// Build makes the rows of the requesters named, a chunk at a time.
func (k *Keeper) Build(ctx context.Context, ids []string) error {
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		if err := k.buildChunk(ctx, ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// maxTries bounds how often a chunk's reads are made again because figures were written meanwhile.
const maxTries = 5

// buildChunk reads a chunk's parts while no run of this process writes figures, and reads them
// again when one started meanwhile: a run writes a requester's groups, its requester row and its
// weeks one after another, and a row read in between would keep the new figures without the new
// weeks, its figures_at matching them. Runs never wait for it.
func (k *Keeper) buildChunk(ctx context.Context, ids []string) error {
	for try := 1; ; try++ {
		mark, err := k.w.WritesQuiet(ctx)
		if err != nil {
			return fmt.Errorf("pagerows: %w", err)
		}
		built := time.Now().UTC().Truncate(time.Millisecond)
		rows, err := Live(ctx, k.s, k.w, ids)
		if err != nil {
			return err
		}
		if k.w.WroteSince(mark) {
			if try == maxTries {
				return fmt.Errorf("pagerows: figures were written during each of %d reads of %d requesters", try, len(ids))
			}
			continue
		}
		return k.writeChunk(ctx, ids, built, rows)
	}
}

// Live reads what the rows of the requesters named hold, from the figures, the reviews and the
// records (the three reads at once): what a row is made of, and what a page without one reads.
// Every requester named has an entry, its FiguresAt zero when it has no figures.
func Live(ctx context.Context, s *store.Store, w *wages.Wages, ids []string) (map[string]Row, error) {
	var (
		kept             map[string]wages.PageParts
		revs             map[string][]lookup.Review
		srcs             map[string][]provenance.Source
		kErr, rErr, sErr error
		wg               sync.WaitGroup
	)
	wg.Add(3)
	go func() { defer wg.Done(); kept, kErr = w.PagePartsOf(ctx, ids) }()
	go func() { defer wg.Done(); revs, rErr = lookup.ReviewsOfMany(ctx, s, ids, Reviews) }()
	go func() { defer wg.Done(); srcs, sErr = provenance.OfMany(ctx, s, ids) }()
	wg.Wait()
	if err := errors.Join(kErr, rErr, sErr); err != nil {
		return nil, fmt.Errorf("pagerows: %w", err)
	}
	out := make(map[string]Row, len(ids))
	for _, id := range ids {
		kp := kept[id]
		if kp.Groups == nil {
			kp.Groups = []wages.Group{}
		}
		out[id] = Row{Parts: Parts{Groups: kp.Groups, Bins: kp.Bins, Weeks: kp.Weeks, Reviews: revs[id], Sources: srcs[id]},
			FiguresAt: kp.FiguresAt}
	}
	return out, nil
}

// writeChunk stores the rows of ids, built at built.
func (k *Keeper) writeChunk(ctx context.Context, ids []string, built time.Time, rows map[string]Row) error {
	b, err := k.s.PrepareBatch(ctx, "requester_pages", "requester_id", "figures_at", "built_at", "parts")
	if err != nil {
		return fmt.Errorf("pagerows: %w", err)
	}
	for _, id := range ids {
		doc, err := json.Marshal(rows[id].Parts)
		if err != nil {
			_ = b.Abort()
			return fmt.Errorf("pagerows: %s: %w", id, err)
		}
		figs := rows[id].FiguresAt
		if figs.IsZero() {
			figs = time.Unix(0, 0).UTC()
		}
		if err := b.Append(id, figs, built, string(doc)); err != nil {
			_ = b.Abort()
			return fmt.Errorf("pagerows: %w", err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("pagerows: %w", err)
	}
	return nil
}
