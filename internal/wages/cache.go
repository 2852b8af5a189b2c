package wages

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// recordCache keeps the records a full Recompute copied (its run table, which holds the unflagged
// newest version of every record) once the run is over, with the identities and versions of the
// flagged ones and the highest block number of task_records' parts before the copy (mark). An
// Update, and RecomputeRequesters, then read their requesters' records from the cache and from the
// parts written since (cached.sql), instead of from every part of the table: the records of a few
// thousand small requesters lie in nearly every granule, so that read costs about what a full scan
// of its columns costs, and FINAL merges the parts on top; the cache and the parts written since are
// a fraction of that (docs/benchmarks.md).
//
// The cache is a MergeTree table ordered by requester (cacheEngine), so it costs disk (about what
// the records take in task_records), not memory, between recomputes, and an update reads its
// requesters' granules. It serves the process that made it: its block mark and currencies are held
// in memory, so after a restart updates read the table until the next Recompute, and the next run
// drops the old one. Only with run tables (the embedded store); Config.NoRecordCache turns it off.
type recordCache struct {
	mu    sync.RWMutex
	table string // "" when there is none
	mark  int64
	// currencies is the requesters' currencies (currencies.sql) the copy was made under: the cached
	// records' amounts are in them, so an update reads from the table once they change.
	currencies string
	// deletions counts RecordsDeleted calls: a copy made before a deletion holds the deleted
	// records, and block numbers do not show a deletion, so a recompute keeps its copy only if
	// none came while it ran.
	deletions atomic.Uint64
}

// currencies reads currencies.sql, as text to compare.
func (w *Wages) currencies(ctx context.Context) (string, error) {
	var s string
	if err := w.s.QueryRow(ctx, "SELECT toString(("+renderData("currencies.sql", sqlData{})+"))", nil, &s); err != nil {
		return "", fmt.Errorf("wages: requesters' currencies: %w", err)
	}
	return s, nil
}

// cacheEngine is the engine of a run table kept as the records cache.
const cacheEngine = "MergeTree ORDER BY requester_id"

// beforeKeep, when set (by tests), runs as a recompute's copy is about to be kept.
var beforeKeep func(*Wages)

// liveCaches holds the tables of this process's caches, which dropStaleRuns leaves alone.
var liveCaches sync.Map

// KeepsRecords reports whether a full Recompute keeps the records cache that makes updates read
// less (the embedded store, unless Config.NoRecordCache).
func (w *Wages) KeepsRecords() bool { return w.cacheOn() }

// HoldsRecords reports whether w holds a records cache now (kept by its last full Recompute).
func (w *Wages) HoldsRecords() bool {
	w.cache.mu.RLock()
	defer w.cache.mu.RUnlock()
	return w.cache.table != ""
}

// cacheOn reports whether a Recompute keeps its records.
func (w *Wages) cacheOn() bool {
	return w.s.Mode() == store.Embedded && !w.noRunTables && !w.cfg.NoRecordCache
}

// recordParts selects task_records' active parts from system.parts.
const recordParts = " FROM system.parts WHERE database = currentDatabase() AND table = 'task_records' AND active"

// blockMark is the highest block number of task_records' active parts: every block up to it is
// committed, so a copy that starts after reading it includes them all.
func (w *Wages) blockMark(ctx context.Context) (int64, error) {
	var m int64
	err := w.s.QueryRow(ctx, "SELECT toInt64(max(max_block_number))"+recordParts, nil, &m)
	if err != nil {
		return 0, fmt.Errorf("wages: block mark: %w", err)
	}
	return m, nil
}

// RecordsDeleted tells w that records were deleted (a worker's contribution taken back): the
// records cache, which only sees what is written, not what is deleted, is forgotten, so the runs
// read the records themselves until the next full Recompute keeps a new cache.
func (w *Wages) RecordsDeleted() {
	w.cache.deletions.Add(1)
	w.dropCache()
}

// Close drops the records cache: it is on disk, and no later process can use it.
func (w *Wages) Close() { w.dropCache() }

// dropCache forgets the cache and drops its tables (once no update reads them).
func (w *Wages) dropCache() {
	w.cache.mu.Lock()
	t := w.cache.table
	w.cache.table = ""
	w.cache.mu.Unlock()
	if t == "" {
		return
	}
	r := &run{w: w}
	r.drop(t + "_flagged")
	r.drop(t)
	liveCaches.Delete(t)
	liveCaches.Delete(t + "_flagged")
}

// keepCache makes the run's table (a full copy, made after reading mark) the cache, with a table
// of the flagged records' identities and versions beside it. Read after the copy, that table may
// also hold versions written since, which the parts after the mark hold as well: cached.sql gives
// the same records either way.
func (w *Wages) keepCache(ctx context.Context, r *run, mark int64, currencies string, deletions uint64) error {
	if beforeKeep != nil {
		beforeKeep(w)
	}
	t := time.Now()
	flagged := r.name + "_flagged"
	liveCaches.Store(flagged, struct{}{})
	err := w.s.Exec(ctx, "CREATE TABLE "+flagged+" ENGINE = Memory AS SELECT rk, version FROM wage_records WHERE flag != ''", nil)
	if err != nil {
		liveCaches.Delete(flagged)
		r.drop(flagged)
		return fmt.Errorf("wages: cache flagged records: %w", err)
	}
	w.cache.mu.Lock()
	if w.cache.deletions.Load() != deletions { // records were deleted since the copy began
		w.cache.mu.Unlock()
		liveCaches.Delete(flagged)
		r.drop(flagged)
		slog.Debug("wages: records not cached: records were deleted during the copy")
		return nil
	}
	liveCaches.Store(r.name, struct{}{})
	r.kept = true
	w.cache.table, w.cache.mark, w.cache.currencies = r.name, mark, currencies
	w.cache.mu.Unlock()
	slog.Debug("wages: records cached", slog.Duration("flagged", time.Since(t)))
	return nil
}

// copyCached fills the run's table with the records matching where from the cache and the parts
// written since it (cached.sql), and reports whether it did: without a cache, or when reading it
// fails (its table dropped behind the process's back), the caller copies from task_records. A
// cache that cannot be read is forgotten until the next Recompute.
func (w *Wages) copyCached(ctx context.Context, r *run, where string, args store.Args) bool {
	had, err := w.fillFromCache(ctx, r, where, args)
	if err == nil {
		if had {
			w.cacheCopies.Add(1)
		}
		return had
	}
	r.drop(r.name)
	if ctx.Err() == nil {
		slog.Warn("wages: records cache unreadable, reading the records", slog.Any("err", err))
		w.dropCache()
	}
	return false
}

// fillFromCache does copyCached's work while holding the cache; had is false without one.
func (w *Wages) fillFromCache(ctx context.Context, r *run, where string, args store.Args) (had bool, err error) {
	w.cache.mu.RLock()
	defer w.cache.mu.RUnlock()
	if w.cache.table == "" {
		return false, nil
	}
	if cur, err := w.currencies(ctx); err != nil {
		return true, err
	} else if cur != w.cache.currencies {
		return false, nil // a requester's currency changed: its cached amounts are in the old one
	}
	var parts []string
	err = w.s.QueryRow(ctx, "SELECT groupArray(name)"+recordParts+" AND max_block_number > {mark:Int64}",
		store.Args{"mark": w.cache.mark}, &parts)
	if err != nil {
		return true, err
	}
	fresh := r.name + "_fresh"
	defer r.drop(fresh)
	a := store.Args{"parts": parts}
	maps.Copy(a, args)
	q := "CREATE TABLE " + fresh + " ENGINE = Memory AS " + renderData("source.sql", sqlData{Where: where, Fresh: true}) +
		" SETTINGS optimize_move_to_prewhere_if_final = 1, enable_vertical_final = 0"
	if err := w.s.Exec(ctx, q, a); err != nil {
		return true, err
	}
	q = "CREATE TABLE " + r.name + " ENGINE = Memory AS " + renderData("cached.sql", sqlData{Where: where, Cache: w.cache.table, Src: fresh})
	return true, w.s.Exec(ctx, q, args)
}
