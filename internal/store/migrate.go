package store

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrHalfDone reports a migration that started and never finished; ClickHouse DDL cannot roll back.
var ErrHalfDone = errors.New("store: half-done migration")

// Migration is one numbered, forward-only schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string // a text/template; {{.OnCluster}} expands to ON CLUSTER 'name' in cluster mode
}

// MigrateOptions tunes Migrate.
type MigrateOptions struct {
	Retry     int           // re-run this half-done version (its statements are idempotent); default 0 (refuse)
	WaitOther time.Duration // how long to wait for another process's running step; default 2m
	UpTo      int           // apply the steps up to this version only (a store as an older release left it, for upgrade tests); default 0: all
}

// Migrations lists the schema steps embedded in the binary, in order.
func Migrations() ([]Migration, error) { return loadMigrations(migrationFiles, "migrations") }

func loadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration file %s: want NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("store: two migrations numbered %d", out[i].Version)
		}
	}
	return out, nil
}

// Statements renders a migration for this store and splits it into single statements. For a
// cluster, each statement is then laid out on the shards (cluster.go).
func (m Migration) Statements(t Target) ([]string, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	tmpl, err := template.New(m.Name).Option("missingkey=error").Parse(m.SQL)
	if err != nil {
		return nil, fmt.Errorf("store: migration %04d_%s: %w", m.Version, m.Name, err)
	}
	data := struct{ OnCluster string }{}
	if t.Cluster != "" {
		data.OnCluster = t.onCluster()
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("store: migration %04d_%s: %w", m.Version, m.Name, err)
	}
	var stmts []string
	for _, part := range strings.Split(buf.String(), ";\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		st := strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";")
		if st == "" {
			continue
		}
		if t.Cluster == "" {
			stmts = append(stmts, st)
			continue
		}
		out, err := t.clusterStatements(st)
		if err != nil {
			return nil, fmt.Errorf("store: migration %04d_%s on a cluster: %w", m.Version, m.Name, err)
		}
		stmts = append(stmts, out...)
	}
	return stmts, nil
}

// schemaMigrations is the table Migrate records its steps in, rendered as a migration is.
var schemaMigrations = Migration{Name: "schema_migrations", SQL: `CREATE TABLE IF NOT EXISTS schema_migrations {{.OnCluster}} (
    version UInt32,
    name String,
    state Enum8('started' = 1, 'done' = 2),
    owner String,
    at DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (version, at)`}

// SchemaMigrations is the statement that makes the table Migrate records its steps in.
func SchemaMigrations(t Target) ([]string, error) { return schemaMigrations.Statements(t) }

// Migrate applies the embedded migrations that have not run yet and returns the schema version.
func (s *Store) Migrate(ctx context.Context, opts MigrateOptions) (int, error) {
	ms, err := Migrations()
	if err != nil {
		return 0, err
	}
	if opts.UpTo > 0 {
		ms = slices.DeleteFunc(ms, func(m Migration) bool { return m.Version > opts.UpTo })
	}
	return s.migrate(ctx, ms, opts)
}

type migrationState struct {
	state string
	owner string
	at    time.Time
}

func (s *Store) migrationStates(ctx context.Context) (map[int]migrationState, error) {
	rows, err := s.Query(ctx, `SELECT version, argMax(state, at), argMax(owner, at), max(at)
		FROM schema_migrations GROUP BY version`, nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]migrationState{}
	for rows.Next() {
		var (
			v  uint32
			st migrationState
		)
		if err := rows.Scan(&v, &st.state, &st.owner, &st.at); err != nil {
			return nil, err
		}
		out[int(v)] = st
	}
	return out, rows.Err()
}

// syncedStates reads the migration states; on a cluster after the node's replica of
// schema_migrations has fetched every entry of the table's replication log, so that a step
// another process recorded through another node (a replica that was down, or lags) is seen.
func (s *Store) syncedStates(ctx context.Context) (map[int]migrationState, error) {
	if s.target.Cluster != "" {
		if err := s.Exec(ctx, "SYSTEM SYNC REPLICA schema_migrations", nil); err != nil {
			return nil, fmt.Errorf("store: catch up with the migrations recorded on other nodes: %w", err)
		}
	}
	return s.migrationStates(ctx)
}

func (s *Store) migrate(ctx context.Context, ms []Migration, opts MigrateOptions) (int, error) {
	if opts.WaitOther <= 0 {
		opts.WaitOther = 2 * time.Minute
	}
	if _, err := s.checkLayout(ctx); err != nil {
		return 0, err
	}
	stmts, err := schemaMigrations.Statements(s.target)
	if err != nil {
		return 0, err
	}
	for _, st := range stmts {
		if err := s.Exec(ctx, st, nil); err != nil {
			return 0, fmt.Errorf("store: migrations table: %w", err)
		}
	}
	host, _ := os.Hostname()
	owner := fmt.Sprintf("%s/%d/%d", host, os.Getpid(), time.Now().UnixNano())
	version := 0
	for _, m := range ms {
		states, err := s.syncedStates(ctx)
		if err != nil {
			return version, err
		}
		st, seen := states[m.Version]
		if seen && st.state == "started" && opts.Retry != m.Version {
			// Another process may be running it right now: wait for it, then judge.
			deadline := time.Now().Add(opts.WaitOther)
			for st.state == "started" && time.Since(st.at) < opts.WaitOther && time.Now().Before(deadline) {
				select {
				case <-ctx.Done():
					return version, ctx.Err()
				case <-time.After(200 * time.Millisecond):
				}
				if states, err = s.syncedStates(ctx); err != nil {
					return version, err
				}
				st = states[m.Version]
			}
			if st.state == "started" {
				return version, fmt.Errorf("%w: %04d_%s was started at %s by %s and never finished; "+
					"check what it creates, then rerun with `collector migrate --retry %d` (its statements are idempotent)",
					ErrHalfDone, m.Version, m.Name, st.at.Format(time.RFC3339), st.owner, m.Version)
			}
		}
		if seen && st.state == "done" {
			version = m.Version
			continue
		}
		if err := s.runMigration(ctx, m, owner); err != nil {
			return version, err
		}
		version = m.Version
	}
	return version, nil
}

func (s *Store) recordMigration(ctx context.Context, m Migration, state, owner string) error {
	return s.Exec(ctx, `INSERT INTO schema_migrations (version, name, state, owner, at)
		VALUES ({v:UInt32}, {n:String}, {s:String}, {o:String}, now64(3, 'UTC'))`,
		Args{"v": m.Version, "n": m.Name, "s": state, "o": owner})
}

func (s *Store) runMigration(ctx context.Context, m Migration, owner string) error {
	stmts, err := m.Statements(s.target)
	if err != nil {
		return err
	}
	if err := s.recordMigration(ctx, m, "started", owner); err != nil {
		return fmt.Errorf("store: migration %04d_%s: %w", m.Version, m.Name, err)
	}
	for i, st := range stmts {
		if err := s.Exec(ctx, st, nil); err != nil {
			return fmt.Errorf("%w: %04d_%s failed at statement %d of %d and is left half-done: %v; "+
				"fix the cause, then rerun with `collector migrate --retry %d`", ErrHalfDone, m.Version, m.Name, i+1, len(stmts), err, m.Version)
		}
	}
	if e, ok := s.tr.(*embedded); ok {
		e.forgetTypes()
	}
	if err := s.recordMigration(ctx, m, "done", owner); err != nil {
		return fmt.Errorf("store: migration %04d_%s: %w", m.Version, m.Name, err)
	}
	return nil
}

// ErrSchemaBehind reports a cluster whose schema lacks steps this binary has: there only
// `collector migrate` applies migrations (Prepare).
var ErrSchemaBehind = errors.New("store: the cluster's schema is older than this binary's")

// Prepare readies the store for a process that reads and writes it and returns the schema
// version. On the embedded store or one server it applies the pending migrations (Migrate). On a
// cluster it applies none and returns ErrSchemaBehind while one is pending: schema_migrations is
// a replicated table that a process reads on the node it reached, and ClickHouse cannot read a
// step's state and record it as started in one atomic act, so two processes starting together,
// or one reading a replica that has not caught up, could both run a step, whose backfill INSERTs
// would then copy rows twice. There `collector migrate` runs alone, before the other processes
// (docs/scale-out.md).
func (s *Store) Prepare(ctx context.Context) (int, error) {
	if s.target.Cluster == "" {
		return s.Migrate(ctx, MigrateOptions{})
	}
	ms, err := Migrations()
	if err != nil {
		return 0, err
	}
	tables, err := s.checkLayout(ctx)
	if err != nil {
		return 0, err
	}
	states := map[int]migrationState{}
	if _, ok := tables["schema_migrations"]; ok {
		if states, err = s.syncedStates(ctx); err != nil {
			return 0, err
		}
	}
	version := 0
	for _, m := range ms {
		if st := states[m.Version]; st.state != "done" {
			return version, fmt.Errorf("%w: %04d_%s is not applied (schema version %d, this binary's %d): "+
				"run `collector migrate --clickhouse DSN --cluster %s` alone, then start this process again",
				ErrSchemaBehind, m.Version, m.Name, version, ms[len(ms)-1].Version, s.target.Cluster)
		}
		version = m.Version
	}
	return version, nil
}

// SchemaVersion is the highest migration recorded as done, or 0.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	states, err := s.migrationStates(ctx)
	if err != nil {
		return 0, err
	}
	v := 0
	for k, st := range states {
		if st.state == "done" && k > v {
			v = k
		}
	}
	return v, nil
}
