package wages

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"golang.org/x/sync/semaphore"
)

// A run is one Recompute or Update: the records it reads (source.sql) are copied once into a
// table that every scope then reads (in memory; a full recompute's copy, kept as the records
// cache, on disk), instead of deduplicating (FINAL) and deriving
// the records again per scope. The records of the reporters whose tasks may overlap
// (overlap.sql, found once for every scope) are copied into a second, small table; per scope,
// their (key, reporter) pairs (pairs.sql) are materialized from it, since the figures read them
// twice. The second table holds only the records that overlap another of their reporter's
// (overlapping.sql): the rest merge to their plain sum in every scope. The requesters' names
// (names.sql, which the requester and HIT-group scopes both show) and the HIT groups' titles
// (titles.sql) are each materialized once a run, alongside the overlap test, rather than joined
// as subqueries (the requester scope computed the names a second time): the group scope alone
// then costs about half as much (docs/benchmarks.md). The tables live as long as the run; those another
// process left (it stopped mid-run, or kept a records cache on disk) are dropped by a later run.
//
// On a ClickHouse server the run keeps no tables: a Memory table lives on one server, and the
// connections of a pool (or a cluster's load balancer) may reach another. Each scope then reads
// the records itself (source.sql and pairs.sql as subqueries), as live queries do.
type run struct {
	w     *Wages
	name  string   // the run table; "" reads the records in each query (server mode)
	ovl   string   // the table of the records of reporters whose tasks may overlap (name + "_overlaps")
	ovlRP []uint64 // without tables: those reporters, found once and bound to every scope's query
	where string   // the source filter, for a run without tables
	at    time.Time
	args  store.Args // the source filter's parameters

	names, titles shared // the run's names.sql and titles.sql tables (with tables only)
	kept          bool   // the run's table became the records cache: close leaves it
	whole         bool   // the run reads every record (a full recompute)
}

// shared is a table of a run that several scopes join, made by startRun before any scope runs.
type shared struct {
	name string
	err  error // why it could not be made; a scope that needs it fails with it
}

// make creates the table from query (rendered over the run's records).
func (t *shared) make(ctx context.Context, r *run, query string) {
	t.err = r.w.s.Exec(ctx, "CREATE TABLE "+t.name+" ENGINE = Memory AS "+query, nil)
}

// runPrefix names the run tables; runSeq keeps names unique within a process.
const runPrefix = "wage_run_"

var runSeq atomic.Uint64

// staleRun is how old another run's table must be before a new run drops it as left over.
const staleRun = 6 * time.Hour

// startRun copies the unflagged records matching where (bound with args) into a new table.
func (w *Wages) startRun(ctx context.Context, at time.Time, where string, args store.Args) (*run, error) {
	a := store.Args{}
	for k, v := range args {
		a[k] = v
	}
	w.floorArgs(a) // source.sql converts amounts through the currency table
	args = a
	if w.s.Mode() != store.Embedded || w.noRunTables {
		r := &run{w: w, where: where, at: at, args: args, ovlRP: []uint64{}, whole: where == whereNone}
		rows, err := w.s.Query(ctx, renderData("overlap.sql", sqlData{Where: where}), args)
		if err != nil {
			return nil, fmt.Errorf("wages: overlapping reporters: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var rp uint64
			if err := rows.Scan(&rp); err != nil {
				return nil, fmt.Errorf("wages: overlapping reporters: %w", err)
			}
			r.ovlRP = append(r.ovlRP, rp)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("wages: overlapping reporters: %w", err)
		}
		return r, nil
	}
	w.dropStaleRuns(ctx)
	r := &run{w: w, at: at, args: args, whole: where == whereNone,
		name: fmt.Sprintf("%s%d_%s_%d", runPrefix, time.Now().UnixMilli(), processToken, runSeq.Add(1))}
	r.ovl = r.name + "_overlaps"
	r.names.name, r.titles.name = r.name+"_names", r.name+"_titles"
	t := time.Now()
	if where == whereNone || !w.copyCached(ctx, r, where, args) {
		if err := w.copyRecords(ctx, r, where, args); err != nil {
			return nil, err
		}
	}
	copied := time.Since(t)
	// The names and titles need only the run's table: they are made alongside the overlap test
	// (whose per-reporter folds leave a core idle), and a scope that needs them waits for them.
	var made sync.WaitGroup
	for _, sh := range []struct {
		t    *shared
		file string
	}{{&r.names, "names.sql"}, {&r.titles, "titles.sql"}} {
		made.Add(1)
		go func() {
			defer made.Done()
			sh.t.make(ctx, r, renderData(sh.file, sqlData{Src: r.name})) // a scope reports its error
		}()
	}
	q := "CREATE TABLE " + r.ovl + " ENGINE = Memory AS " + renderData("overlapping.sql", sqlData{Src: r.name})
	err := w.s.Exec(ctx, q, nil)
	made.Wait()
	if err != nil {
		r.close()
		return nil, fmt.Errorf("wages: overlapping records: %w", err)
	}
	slog.Debug("wages: run started", slog.Duration("copy", copied), slog.Duration("overlaps_names_titles", time.Since(t)-copied))
	return r, nil
}

// copyRecords fills the run's table with the unflagged records matching where (source.sql), with
// their versions when the copy will be kept as the records cache.
func (w *Wages) copyRecords(ctx context.Context, r *run, where string, args store.Args) error {
	d := sqlData{Where: where, Versions: where == whereNone && w.cacheOn()}
	engine := "Memory"
	if d.Versions {
		// Kept as the records cache until the next recompute, on disk: in memory it held about 105
		// bytes a record for as long as the process ran (a GiB at 10M records), and an update reads
		// its requesters' records by the table's primary key as fast as from memory; the scopes read
		// it no slower (docs/benchmarks.md).
		engine = cacheEngine
	}
	q := "CREATE TABLE " + r.name + " ENGINE = " + engine + " AS " + renderData("source.sql", d)
	if where != whereNone {
		// A filtered copy (an update's requesters) reads their rows first, then the other columns of
		// the granules holding them; without it FINAL reads every column of the selected ranges. With
		// FINAL the engine moves only conditions on sorting-key columns (requester_id), never the flag
		// test, which must see the newest version of a record (TestFlaggedNewestVersion). Merging the
		// versions as they are read (not vertical FINAL, which marks duplicates to filter later) is
		// faster for few rows; a full copy gains nothing from either (docs/benchmarks.md).
		q += " SETTINGS optimize_move_to_prewhere_if_final = 1, enable_vertical_final = 0"
	}
	if err := w.s.Exec(ctx, q, args); err != nil {
		r.drop(r.name)
		return fmt.Errorf("wages: copy records: %w", err)
	}
	return nil
}

// insert writes one scope's figures (figures.sql) stamped with the run's time.
func (r *run) insert(ctx context.Context, sc scope) error {
	t := time.Now()
	d := sqlData{K1: sc.k1, K2: sc.k2, K3: sc.k3, Lean: sc.lean}
	args := r.w.args(sc, r.at, r.args)
	if r.name == "" {
		d.Where, d.OverlapSet = r.where, true
		args["ovl"] = r.ovlRP
	} else {
		d.Src, d.Overlaps, d.Pairs, d.PairsA = r.name, r.ovl, r.name+"_"+sc.name, r.name+"_"+sc.name+"_a"
		defer r.drop(d.Pairs)
		defer r.drop(d.PairsA)
		if !sc.lean && sc.k1 != "''" {
			if r.names.err != nil {
				return fmt.Errorf("wages: requester names: %w", r.names.err)
			}
			d.Names = r.names.name
		}
		if !sc.lean && sc.k2 != "''" {
			if r.titles.err != nil {
				return fmt.Errorf("wages: HIT group titles: %w", r.titles.err)
			}
			d.Titles = r.titles.name
		}
		if err := r.w.s.Exec(ctx, "CREATE TABLE "+d.PairsA+" ENGINE = Memory AS "+renderData("pairs.sql", d), args); err != nil {
			return fmt.Errorf("wages: %s pairs: %w", sc.name, err)
		}
		if err := r.w.s.Exec(ctx, "CREATE TABLE "+d.Pairs+" ENGINE = Memory AS "+renderData("pairs_ok.sql", d), args); err != nil {
			return fmt.Errorf("wages: %s pairs: %w", sc.name, err)
		}
	}
	if err := r.w.s.Exec(ctx, insertFigures(d), args); err != nil {
		return fmt.Errorf("wages: %s figures: %w", sc.name, err)
	}
	slog.Debug("wages: scope written", slog.String("scope", sc.name), slog.Duration("took", time.Since(t)))
	return nil
}

// insertFigures is the statement that writes one scope's figures (figures.sql) into wage_figures.
func insertFigures(d sqlData) string {
	return "INSERT INTO wage_figures (" + strings.ReplaceAll(figureColumns, "\n", " ") + ") SELECT " + figureColumns +
		" FROM (" + renderData("figures.sql", d) + ")"
}

// insertAll writes the scopes two at a time (one query leaves a core idle in its single-threaded
// steps: the final merge of one key's quantiles, the folds) and returns the first error. In a run
// over every record, a scope that keeps every record's values per key (alone: see alone) runs by
// itself: two of them at once held twice the memory of one, the recompute's peak.
func (r *run) insertAll(ctx context.Context, scopes []scope) error {
	r.w.gate.enter()
	defer r.w.gate.leave()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		once sync.Once
		err  error
		sem  = semaphore.NewWeighted(2)
	)
	for _, sc := range scopes {
		n := int64(1)
		if r.whole && sc.alone() {
			n = 2
		}
		if e := sem.Acquire(ctx, n); e != nil {
			// A scope failed and cancelled the rest, or the run's context ended: the scopes not
			// started must not pass for written (a full recompute then deletes what it did not write).
			once.Do(func() { err = e })
			break
		}
		wg.Add(1)
		go func() {
			defer func() { sem.Release(n); wg.Done() }()
			if e := r.insert(ctx, sc); e != nil {
				once.Do(func() { err = e; cancel() })
			}
		}()
	}
	wg.Wait()
	return err
}

// close drops the run's tables.
func (r *run) close() {
	if r.name != "" {
		r.drop(r.titles.name)
		r.drop(r.names.name)
		r.drop(r.ovl)
		if !r.kept {
			r.drop(r.name)
		}
	}
}

// drop removes a table of the run even when the run's context has ended.
func (r *run) drop(table string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// SYNC: the records cache is on disk, and an Atomic database would keep a dropped table's files
	// for minutes.
	if err := r.w.s.Exec(ctx, "DROP TABLE IF EXISTS "+table+" SYNC", nil); err != nil {
		slog.Warn("wages: drop run table", slog.String("table", table), slog.Any("err", err))
	}
}

// processToken is in the name of every run table this process makes: a run table without it was
// left by another process (the embedded engine allows one process a data directory), so no run of
// this one reads it. A token rather than the process's start time: the clock may step back.
var processToken = newProcessToken()

func newProcessToken() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on Linux
	return hex.EncodeToString(b[:])
}

// dropStaleRuns drops run tables older than staleRun (left by a run that could not drop them), and
// those of other processes (one that stopped mid-run; a records cache on disk outlives its process).
func (w *Wages) dropStaleRuns(ctx context.Context) {
	rows, err := w.s.Query(ctx, "SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, {p:String})",
		store.Args{"p": runPrefix})
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		if _, live := liveCaches.Load(name); live {
			continue
		}
		ms, rest, _ := strings.Cut(strings.TrimPrefix(name, runPrefix), "_")
		ours := strings.HasPrefix(rest, processToken+"_")
		if t, err := strconv.ParseInt(ms, 10, 64); err == nil && (!ours || time.Since(time.UnixMilli(t)) > staleRun) {
			stale = append(stale, name)
		}
	}
	_ = rows.Close()
	for _, name := range stale {
		(&run{w: w}).drop(name)
	}
}
