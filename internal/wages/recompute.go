package wages

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// watermarkKey is the meta key holding the wage_dirty time up to which Update has recomputed;
// recomputedKey the one up to which the last Recompute did (every figure includes what came before).
const (
	watermarkKey  = "wages_dirty_watermark"
	recomputedKey = "wages_dirty_recomputed"
)

// dirtySlack is how far behind the read time the watermark stays, so that an insert whose dirty
// row was stamped before the read but committed after it is still a candidate next time.
const dirtySlack = time.Minute

// recomputeScopes are what Recompute writes: every figure for requesters, HIT groups and the market
// (the costliest first), the lean trend figures for the market's weeks, hours and weekdays, and
// each requester's weeks (its page's trend, read rather than computed when the page is shown).
var recomputeScopes = []scope{scopeGroup, scopeRequester, scopeReqWeek, scopeMarket, scopeWeek, scopeHour, scopeWeekday}

// requesterScopes are what a requester's recompute writes.
var requesterScopes = []scope{scopeGroup, scopeRequester, scopeReqWeek}

// dbNow reads the engine's clock, the clock wage_dirty is stamped with.
func (w *Wages) dbNow(ctx context.Context) (time.Time, error) {
	var now time.Time
	if err := w.s.QueryRow(ctx, "SELECT now64(3, 'UTC')", nil, &now); err != nil {
		return time.Time{}, fmt.Errorf("wages: clock: %w", err)
	}
	return now, nil
}

// Recompute rewrites every precomputed figure (market, requesters, HIT groups, market trend,
// hour of day and weekday) from all task records. It is what the periodic job runs; Update
// keeps requesters current in between.
func (w *Wages) Recompute(ctx context.Context) error {
	err := w.recompute(ctx)
	// Once the run's tables are dropped (recompute's deferred close), what its statements and
	// tables held would otherwise stay in the process, counted as its memory, until the allocator
	// decays it: a site would sit at the recompute's size between recomputes.
	if e := w.s.ReleaseMemory(ctx); e != nil {
		slog.Warn("wages: release memory", slog.Any("err", e))
	}
	return err
}

// recompute is Recompute's work.
func (w *Wages) recompute(ctx context.Context) error {
	at, err := w.dbNow(ctx)
	if err != nil {
		return err
	}
	// The old cache goes first: two copies of every record would double the memory.
	cache := w.cacheOn()
	var blocks int64
	var currencies string
	deletions := w.cache.deletions.Load() // before the copy: a deletion during it must stop the copy being kept
	if cache {
		w.dropCache()
		if blocks, err = w.blockMark(ctx); err != nil {
			return err
		}
		if currencies, err = w.currencies(ctx); err != nil { // before the copy: a change during it reads as a change
			return err
		}
	}
	r, err := w.startRun(ctx, at, whereNone, nil)
	if err != nil {
		return err
	}
	defer r.close()
	// The cache's flagged records are read alongside the scopes, which leave a core idle in their
	// single-threaded steps.
	var kept sync.WaitGroup
	if cache {
		kept.Add(1)
		go func() {
			defer kept.Done()
			if err := w.keepCache(ctx, r, blocks, currencies, deletions); err != nil { // updates then read the records, slower
				slog.Warn("wages: records cache", slog.Any("err", err))
			}
		}()
	}
	err = r.insertAll(ctx, recomputeScopes)
	kept.Wait()
	if err != nil {
		return err
	}
	// Merge the run's parts and the older versions away: a lookup reads one part instead of the
	// dozen a few runs leave, and dropVanished then groups one row a key. The figures are written already, so a failure only
	// costs speed.
	if err := w.s.Exec(ctx, "OPTIMIZE TABLE "+w.s.Mutated("wage_figures")+" FINAL", nil); err != nil {
		slog.Warn("wages: merge figures", slog.Any("err", err))
	}
	if err := w.dropVanished(ctx, at); err != nil {
		return err
	}
	mark := at.Add(-dirtySlack).Format(time.RFC3339Nano)
	if err := w.s.SetMeta(ctx, recomputedKey, mark); err != nil {
		return fmt.Errorf("wages: recompute: %w", err)
	}
	if err := w.s.SetMeta(ctx, watermarkKey, mark); err != nil {
		return fmt.Errorf("wages: recompute: %w", err)
	}
	return nil
}

// RecomputeRequesters rewrites the precomputed figures of the given requesters and their HIT groups.
func (w *Wages) RecomputeRequesters(ctx context.Context, requesterIDs []string) error {
	if len(requesterIDs) == 0 {
		return nil
	}
	at, err := w.dbNow(ctx)
	if err != nil {
		return err
	}
	return w.recomputeRequesters(ctx, requesterIDs, at)
}

// recomputeRequesters writes the figures of requesters and their groups stamped at.
func (w *Wages) recomputeRequesters(ctx context.Context, requesterIDs []string, at time.Time) error {
	r, err := w.startRun(ctx, at, whereRequesters, store.Args{"rids": requesterIDs})
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.insertAll(ctx, requesterScopes); err != nil {
		return fmt.Errorf("wages: recompute %d requesters: %w", len(requesterIDs), err)
	}
	return nil
}

//go:embed dirty.sql
var dirtySQL string

//go:embed vanished.sql
var vanishedSQL string

// vanishedBatch bounds the keys one DELETE binds: on a cluster the statement, its keys spelled
// out, is queued in Keeper, whose entries are limited to about 1 MB.
const vanishedBatch = 2000

// dropVanished deletes the figures of keys the Recompute stamped at did not write (vanished.sql).
// The keys are read first and bound to the DELETE, rather than read by it in a subquery: a
// mutation of a replicated table runs on every replica, and a subquery over the figures (a
// Distributed table on a cluster) could answer each replica differently, so ClickHouse refuses it
// there without allow_nondeterministic_mutations.
func (w *Wages) dropVanished(ctx context.Context, at time.Time) error {
	rows, err := w.s.Query(ctx, vanishedSQL, store.Args{"at": at})
	if err != nil {
		return fmt.Errorf("wages: vanished figures: %w", err)
	}
	var keys [][]string
	for rows.Next() {
		var scope, req, group, bucket, platform, currency string
		if err := rows.Scan(&scope, &req, &group, &bucket, &platform, &currency); err != nil {
			_ = rows.Close()
			return fmt.Errorf("wages: vanished figures: %w", err)
		}
		keys = append(keys, []string{scope, req, group, bucket, platform, currency})
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return fmt.Errorf("wages: vanished figures: %w", err)
	}
	_ = rows.Close()
	for i := 0; i < len(keys); i += vanishedBatch {
		err := w.s.Exec(ctx, "DELETE FROM "+w.s.Mutated("wage_figures")+" WHERE computed_at < {at:DateTime64(3, 'UTC')} AND "+
			"(scope, requester_id, hit_set_id, bucket, platform, currency) IN "+
			"{keys:Array(Tuple(String, String, String, String, String, String))}",
			store.Args{"at": at, "keys": keys[i:min(i+vanishedBatch, len(keys))]})
		if err != nil {
			return fmt.Errorf("wages: delete %d vanished figures: %w", len(keys), err)
		}
	}
	if len(keys) > 0 {
		slog.Debug("wages: vanished figures deleted", slog.Int("keys", len(keys)))
	}
	return nil
}

// Update recomputes the requesters (and their HIT groups) that received task records their figures
// do not include yet, and returns how many. Without an earlier Recompute it runs one. Market-wide
// figures wait for the next Recompute, and so does a requester whose new records are still under
// Config.StaleShare of those its figures count (dirty.sql).
//
// A requester's figures are stamped with the newest insert stamp (wage_dirty.touched_at) they were
// computed after, so a requester is recomputed once per new batch, not again on the next run. One
// race is left to the periodic Recompute: a record whose insert was stamped before, but committed
// after, the read of a concurrent recompute.
func (w *Wages) Update(ctx context.Context) (int, error) {
	mark, err := w.s.Meta(ctx, watermarkKey)
	if err != nil {
		return 0, fmt.Errorf("wages: update: %w", err)
	}
	if mark == "" {
		if err := w.Recompute(ctx); err != nil {
			return 0, err
		}
		var n uint64
		err := w.s.QueryRow(ctx, "SELECT uniqExact(requester_id) FROM wage_figures WHERE scope = 'requester'", nil, &n)
		return int(n), err
	}
	since, err := time.Parse(time.RFC3339Nano, mark)
	if err != nil {
		return 0, fmt.Errorf("wages: update: bad watermark %q: %w", mark, err)
	}
	floor := time.Unix(0, 0).UTC() // before the first Recompute that notes it: every insert row is read
	if m, err := w.s.Meta(ctx, recomputedKey); err != nil {
		return 0, fmt.Errorf("wages: update: %w", err)
	} else if m != "" {
		if floor, err = time.Parse(time.RFC3339Nano, m); err != nil {
			return 0, fmt.Errorf("wages: update: bad recompute mark %q: %w", m, err)
		}
	}
	start, err := w.dbNow(ctx)
	if err != nil {
		return 0, err
	}
	t := time.Now()
	rows, err := w.s.Query(ctx, dirtySQL, store.Args{"since": since, "floor": floor, "stale_share": w.cfg.StaleShare})
	if err != nil {
		return 0, fmt.Errorf("wages: update: %w", err)
	}
	var (
		ids    []string
		newest time.Time
	)
	for rows.Next() {
		var (
			id      string
			touched time.Time
		)
		if err := rows.Scan(&id, &touched); err != nil {
			_ = rows.Close()
			return 0, fmt.Errorf("wages: update: %w", err)
		}
		ids = append(ids, id)
		if touched.After(newest) {
			newest = touched
		}
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return 0, fmt.Errorf("wages: update: %w", err)
	}
	_ = rows.Close()
	slog.Debug("wages: update candidates", slog.Int("requesters", len(ids)), slog.Duration("took", time.Since(t)))
	// Bounded batches keep the IN list and the run table small.
	const batch = 50_000
	for i := 0; i < len(ids); i += batch {
		if err := w.recomputeRequesters(ctx, ids[i:min(i+batch, len(ids))], newest); err != nil {
			return 0, err
		}
	}
	if err := w.s.SetMeta(ctx, watermarkKey, start.Add(-dirtySlack).Format(time.RFC3339Nano)); err != nil {
		return 0, fmt.Errorf("wages: update: %w", err)
	}
	if len(ids) > 0 {
		slog.Debug("wages updated", slog.Int("requesters", len(ids)))
	}
	return len(ids), nil
}
