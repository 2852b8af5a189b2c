// Package store owns hitwage's ClickHouse connection: the embedded chDB engine or a
// ClickHouse server through clickhouse-go/v2, the schema and its migrations, and batched writes.
// Both transports run the same SQL, bind the same {name:Type} parameters and scan into the
// same Go types, because both decode ClickHouse's Native format with clickhouse-go's columns.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// Mode names a store transport.
type Mode string

// The two transports.
const (
	Embedded Mode = "embedded" // chDB in-process, data in a directory
	Server   Mode = "server"   // a ClickHouse server or cluster over the native protocol
)

// Config selects and tunes the store. The zero value plus a DataDir is a working embedded store.
type Config struct {
	DataDir      string        // embedded data directory; default "./data"
	DSN          string        // clickhouse://user:pass@host:9000/db selects server mode; default "" (embedded)
	Database     string        // embedded database name; default "hitwage" (server mode takes it from the DSN)
	Cluster      string        // server mode: the cluster to lay the tables out on (docs/scale-out.md); default "" (single server)
	QueryTimeout time.Duration // per-query timeout when the caller's context has none; default 30s
}

func (c Config) withDefaults() Config {
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	if c.Database == "" {
		c.Database = "hitwage"
	}
	if c.QueryTimeout <= 0 {
		c.QueryTimeout = 30 * time.Second
	}
	return c
}

// Rows iterates a query's result; Scan takes the same Go types in both modes.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Columns() []string
	Err() error
	Close() error
}

// Batch collects rows for one INSERT; nothing reaches ClickHouse until Send.
type Batch interface {
	Append(values ...any) error
	Rows() int
	Send() error
	Abort() error
}

type transport interface {
	exec(ctx context.Context, query string, params map[string]string) error
	query(ctx context.Context, query string, params map[string]string) (Rows, error)
	prepareBatch(ctx context.Context, table string, columns []string) (Batch, error)
	close() error
}

// Store is one handle on the ClickHouse store, safe for concurrent use.
type Store struct {
	cfg    Config
	tr     transport
	target Target              // what the migrations are rendered for
	jobs   *semaphore.Weighted // the connections background jobs may hold at once (jobs.go)
}

// Open connects in the mode the config selects. It does not migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg = cfg.withDefaults()
	var (
		tr  transport
		err error
	)
	var target Target
	if cfg.DSN != "" {
		var srv *server
		srv, err = openServer(ctx, cfg)
		if srv != nil {
			tr, target = srv, Target{Cluster: cfg.Cluster, Database: srv.db}
		}
	} else {
		if cfg.Cluster != "" {
			return nil, fmt.Errorf("store: cluster %q: a cluster needs a ClickHouse server (--clickhouse); the embedded store is one process", cfg.Cluster)
		}
		tr, err = openEmbedded(cfg)
	}
	if err != nil {
		return nil, err
	}
	if err := target.check(); err != nil {
		_ = tr.close()
		return nil, err
	}
	st := &Store{cfg: cfg, tr: tr, target: target}
	st.jobs = newJobShare(st.Connections())
	return st, nil
}

// Mode reports which transport the store uses.
func (s *Store) Mode() Mode {
	if s.cfg.DSN != "" {
		return Server
	}
	return Embedded
}

// Cluster is the cluster the store's tables are laid out on; "" for one server or the embedded store.
func (s *Store) Cluster() string { return s.target.Cluster }

// Mutated is how a statement that changes a table's rows in place (DELETE FROM, OPTIMIZE TABLE,
// ALTER TABLE ... UPDATE) names it: the table itself, or on a cluster the local tables on every
// shard (`wage_figures_local ON CLUSTER 'name'`), since a Distributed table takes no mutations. The
// table is a trusted identifier, never user input.
func (s *Store) Mutated(table string) string { return s.target.Mutated(table) }

// Location describes where the data lives: the data directory or the server, without its password.
func (s *Store) Location() string {
	if s.cfg.DSN != "" {
		return redactDSN(s.cfg.DSN)
	}
	return s.cfg.DataDir
}

// ReleaseMemory returns the embedded engine's freed memory to the operating system (SYSTEM
// JEMALLOC PURGE). The engine's allocator keeps what a big statement freed for reuse, so without it
// a process that recomputed every figure stays as large as the recompute's peak until the
// allocator's decay catches up. A ClickHouse server manages its own memory: nothing is done there.
func (s *Store) ReleaseMemory(ctx context.Context) error {
	if s.Mode() != Embedded {
		return nil
	}
	return s.Exec(ctx, "SYSTEM JEMALLOC PURGE", nil)
}

// Close releases the connection. The embedded engine itself stays up until ShutdownEmbedded.
func (s *Store) Close() error { return s.tr.close() }

// Exec runs a statement that returns no rows.
func (s *Store) Exec(ctx context.Context, query string, args Args) error {
	params, err := encodeArgs(args)
	if err != nil {
		return queryError(query, err)
	}
	release, err := s.jobSlot(ctx)
	if err != nil {
		return queryError(query, err)
	}
	defer release()
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	if err := s.tr.exec(ctx, query, params); err != nil {
		return queryError(query, err)
	}
	return nil
}

// Query runs a SELECT and returns its rows; the caller closes them.
func (s *Store) Query(ctx context.Context, query string, args Args) (Rows, error) {
	params, err := encodeArgs(args)
	if err != nil {
		return nil, queryError(query, err)
	}
	release, err := s.jobSlot(ctx)
	if err != nil {
		return nil, queryError(query, err)
	}
	ctx, cancel := s.timeout(ctx)
	rows, err := s.tr.query(ctx, query, params)
	if err != nil {
		cancel()
		release()
		return nil, queryError(query, err)
	}
	return &cancelRows{Rows: rows, cancel: cancel, release: release}, nil
}

// cancelRows ends the query's timeout when the rows are closed, not before they are read, and
// gives a job's connection back.
type cancelRows struct {
	Rows
	cancel  context.CancelFunc
	release func()
	once    sync.Once
}

func (r *cancelRows) Close() error {
	defer r.once.Do(func() { r.cancel(); r.release() })
	return r.Rows.Close()
}

// ErrNoRows is returned by QueryRow when the query found nothing.
var ErrNoRows = errors.New("store: no rows")

// QueryRow runs a query and scans its first row into dest.
func (s *Store) QueryRow(ctx context.Context, query string, args Args, dest ...any) error {
	rows, err := s.Query(ctx, query, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return queryError(query, err)
		}
		return ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return queryError(query, err)
	}
	return nil
}

// PrepareBatch starts an INSERT of the named columns into table (a trusted identifier, never user input).
func (s *Store) PrepareBatch(ctx context.Context, table string, columns ...string) (Batch, error) {
	if !identRe.MatchString(table) {
		return nil, fmt.Errorf("store: batch: bad table name %q", table)
	}
	for _, c := range columns {
		if !identRe.MatchString(c) {
			return nil, fmt.Errorf("store: batch %s: bad column name %q", table, c)
		}
	}
	b, err := s.tr.prepareBatch(ctx, table, columns)
	if err != nil {
		return nil, fmt.Errorf("store: insert into %s: %w", table, err)
	}
	return &namedBatch{Batch: b, table: table}, nil
}

// Insert writes n rows into table in one batch: row(i) gives the values of row i in column order.
func (s *Store) Insert(ctx context.Context, table string, columns []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	b, err := s.PrepareBatch(ctx, table, columns...)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := b.Append(row(i)...); err != nil {
			_ = b.Abort()
			return err
		}
	}
	return b.Send()
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// namedBatch prefixes a batch's errors with its table.
type namedBatch struct {
	Batch
	table string
}

func (b *namedBatch) Append(values ...any) error {
	if err := b.Batch.Append(values...); err != nil {
		return fmt.Errorf("store: insert into %s: row %d: %w", b.table, b.Batch.Rows()+1, err)
	}
	return nil
}

func (b *namedBatch) Send() error {
	if err := b.Batch.Send(); err != nil {
		return fmt.Errorf("store: insert %d rows into %s: %w", b.Batch.Rows(), b.table, err)
	}
	return nil
}

func (s *Store) timeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.cfg.QueryTimeout)
}

// queryError names the failed query by its first words, so a log line says which one failed.
func queryError(query string, err error) error {
	return fmt.Errorf("store: query %q: %w", shortQuery(query), err)
}

func shortQuery(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 90 {
		q = q[:87] + "..."
	}
	return q
}

// redactDSN is the DSN with its password masked (url.URL.Redacted); a DSN that is no URL is not
// shown at all, since where its password is cannot be told.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(a ClickHouse DSN that is not a URL)"
	}
	return u.Redacted()
}
