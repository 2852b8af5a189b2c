package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/pagerows"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

// figures ties the published numbers together: wages are precomputed in ClickHouse, scores
// derive from them, and the directory serves both from memory.
type figures struct {
	s   *store.Store
	w   *wages.Wages
	r   *ratings.Ratings
	dir *lookup.Directory
	// pages keeps requester pages' rows (internal/pagerows), made again after the figures or
	// reviews change; nil keeps none.
	pages *pagerows.Keeper

	mu       sync.Mutex // the update and recompute jobs may run at once
	reviewed time.Time  // newest review the served snapshot includes

	contrib sync.Mutex // contributions' recomputes, one at a time (requesters)
}

// Statement deadlines sized to the jobs, in place of the store's per-query default
// (--query-timeout, 30 s), which suits page reads: a full recompute's statements take tens of
// seconds at 10M records and would fail every 15 minutes under it, leaving the engine to finish
// statements no one waits for, since chDB cannot cancel one. The schedule skips a run while the
// last one is still going.
const (
	recomputeDeadline = time.Hour
	updateDeadline    = 10 * time.Minute
)

// full recomputes every wage figure, then the scores and the directory, and logs how long it took.
func (f *figures) full(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, recomputeDeadline)
	defer cancel()
	began := time.Now()
	if err := f.w.Recompute(ctx); err != nil {
		return err
	}
	slog.Info("figures recomputed", slog.Duration("took", time.Since(began)))
	return f.reload(ctx)
}

// update recomputes the requesters that received records since the last run and reloads the
// scores (reviews may have changed too), so an acknowledged review, and a report to a requester
// whose new records reach the stale share (--stale-share), shows in the API within the update
// interval; other reports wait at most for the next full recompute.
func (f *figures) update(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, updateDeadline)
	defer cancel()
	n, err := f.w.Update(ctx)
	if err != nil {
		return err
	}
	reviewed, err := f.newestReview(ctx)
	if err != nil {
		return err
	}
	f.mu.Lock()
	seen := reviewed.Equal(f.reviewed)
	f.mu.Unlock()
	if n == 0 && seen {
		return nil // nothing new: keep the served snapshot (and its encoded answers)
	}
	return f.reloadWith(ctx, reviewed)
}

// reload refreshes the scores and the directory, noting the newest review they include (read
// first, so a review stored meanwhile is picked up by the next update), so the update after
// a start or a recompute does not reload the same reviews again.
func (f *figures) reload(ctx context.Context) error {
	reviewed, err := f.newestReview(ctx)
	if err != nil {
		return err
	}
	return f.reloadWith(ctx, reviewed)
}

// reloadWith is reload with the newest review already read (before the reload's reads).
// The pages' rows are made after the directory's new snapshot, whose pages read their parts live
// until their rows match its figures and reviews (site.keptRow), and the Go heap's soft limit
// follows the snapshot's size.
func (f *figures) reloadWith(ctx context.Context, reviewed time.Time) error {
	if err := f.r.Refresh(ctx); err != nil {
		return fmt.Errorf("ratings: %w", err)
	}
	if err := f.dir.Refresh(ctx); err != nil {
		return err
	}
	f.mu.Lock()
	f.reviewed = reviewed
	f.mu.Unlock()
	softMemoryLimit(slog.Default(), false)
	f.keepPages(ctx)
	return nil
}

// keepPages makes the requester pages' rows that the figures or reviews made stale. A failure is
// logged, not returned: pages whose rows are stale read their parts live.
func (f *figures) keepPages(ctx context.Context) {
	if f.pages == nil {
		return
	}
	began := time.Now()
	n, err := f.pages.Refresh(ctx)
	if err != nil {
		slog.Warn("requester page rows", slog.String("err", err.Error()))
		return
	}
	if n > 0 {
		slog.Info("requester page rows made", slog.Int("rows", n), slog.Duration("took", time.Since(began)))
	}
}

func (f *figures) newestReview(ctx context.Context) (time.Time, error) {
	var reviewed time.Time
	// A reader's flag (or a moderator's restore) changes which reviews count as much as a new review does.
	q := "SELECT greatest((SELECT max(updated_at) FROM reviews), (SELECT max(at) FROM review_flags))"
	if err := f.s.QueryRow(ctx, q, nil, &reviewed); err != nil {
		return reviewed, fmt.Errorf("reviews: %w", err)
	}
	return reviewed, nil
}

// requesters computes the named requesters' figures again and reloads the scores and the
// directory: after a worker's contribution was stored or deleted (/contribute), so the pages show
// it at once. A deletion also forgets the records cache, which cannot see deleted records (the
// update's insert watermark does not see them either).
func (f *figures) requesters(ctx context.Context, ids []string, deleted bool) error {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(store.Job(ctx), updateDeadline)
	defer cancel()
	f.contrib.Lock()
	defer f.contrib.Unlock()
	if deleted {
		f.w.RecordsDeleted()
	}
	if err := f.w.RecomputeRequesters(ctx, ids); err != nil {
		return err
	}
	return f.reload(ctx)
}

// start loads the figures at boot: a full recompute when nothing is precomputed yet. recomputed
// says whether it ran one.
func (f *figures) start(ctx context.Context) (recomputed bool, err error) {
	ctx = store.Job(ctx) // the site may already serve pages meanwhile
	for _, p := range platform.All() {
		if _, err := f.w.Market(ctx, p.ID); err == nil {
			return false, f.reload(ctx)
		}
	}
	return true, f.full(ctx)
}

// warm is the recompute to run at once after a start that reused the stored figures, or nil: the
// records cache serves the process that kept it (its block mark is held in memory), so until a
// recompute in this process keeps one, every update reads its requesters' records from every
// part of the table; waiting for the schedule's first turn would leave it so for 15 minutes.
func (f *figures) warm(recomputed bool) *schedule.Job {
	if recomputed || !f.w.KeepsRecords() {
		return nil
	}
	j := f.jobs()[1]
	return &j
}

func (f *figures) jobs() []schedule.Job {
	return []schedule.Job{
		{Name: "figures-update", Spec: "@every 15s", Run: f.update},
		{Name: "figures-recompute", Spec: "@every 15m", Run: f.full},
	}
}
