// Package storetest gives tests a real, migrated embedded ClickHouse store of their own.
// chDB boots once per process, so tests in one package share the engine and each gets a
// fresh database on it.
package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hitwage/hitwage/internal/store"
)

var (
	dirOnce sync.Once
	dir     string
	dirErr  error
	seq     atomic.Int64
)

// Main runs a package's tests and removes the shared data directory afterwards; call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	store.ShutdownEmbedded()
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}

// DataDir is the engine's data directory for this test process.
func DataDir(t testing.TB) string {
	dirOnce.Do(func() { dir, dirErr = os.MkdirTemp("", "hitwage-test-") })
	if dirErr != nil {
		t.Fatalf("storetest: %v", dirErr)
	}
	return dir
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// New opens a store on a new database named for the test, migrated to the current schema.
func New(t testing.TB) *store.Store {
	t.Helper()
	s := NewUnmigrated(t)
	if _, err := s.Migrate(context.Background(), store.MigrateOptions{}); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return s
}

// NewUnmigrated opens a store on a new, empty database.
func NewUnmigrated(t testing.TB) *store.Store {
	t.Helper()
	name := unsafeChars.ReplaceAllString(strings.ToLower(t.Name()), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	db := fmt.Sprintf("t_%s_%d", name, seq.Add(1))
	s, err := store.Open(context.Background(), store.Config{DataDir: DataDir(t), Database: db})
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db, nil)
		_ = s.Close()
	})
	return s
}

// ServerDSN is the ClickHouse server the server-mode tests run against (HITWAGE_TEST_CLICKHOUSE,
// clickhouse://user:pass@host:9000/db), "" when none is set; HITWAGE_TEST_CLUSTER names the
// cluster to lay the schema out on (docs/scale-out.md).
func ServerDSN() string { return os.Getenv("HITWAGE_TEST_CLICKHOUSE") }

// Each runs body once on a new embedded store and once on a new database of the test server
// (ServerDSN), so that one test body checks both transports; without a server that run is skipped
// with a message naming what was skipped.
func Each(t *testing.T, body func(t *testing.T, s *store.Store)) {
	t.Run("embedded", func(t *testing.T) { body(t, New(t)) })
	t.Run("server", func(t *testing.T) { body(t, NewServer(t)) })
}

// NewServer opens a store on a new database of the test server, migrated to the current schema,
// and drops the database afterwards. It skips the test when HITWAGE_TEST_CLICKHOUSE is unset.
func NewServer(t testing.TB) *store.Store {
	t.Helper()
	dsn := ServerDSN()
	if dsn == "" {
		t.Skipf("HITWAGE_TEST_CLICKHOUSE is not set: skipped %s against a ClickHouse server (set it to clickhouse://user:pass@host:9000/db, and HITWAGE_TEST_CLUSTER to lay the schema out on a cluster)", t.Name())
	}
	cluster := os.Getenv("HITWAGE_TEST_CLUSTER")
	ctx := context.Background()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("storetest: HITWAGE_TEST_CLICKHOUSE: %v", err)
	}
	name := unsafeChars.ReplaceAllString(strings.ToLower(t.Name()), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	db := fmt.Sprintf("t_%s_%d_%d", name, os.Getpid(), seq.Add(1))
	onCluster := ""
	if cluster != "" {
		onCluster = " ON CLUSTER '" + cluster + "'"
	}
	admin, err := store.Open(ctx, store.Config{DSN: dsn})
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	if err := admin.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+db+onCluster, nil); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db+onCluster+" SYNC", nil) })
	u.Path = "/" + db
	s, err := store.Open(ctx, store.Config{DSN: u.String(), Cluster: cluster})
	if err != nil {
		t.Fatalf("storetest: open %s: %v", db, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx, store.MigrateOptions{}); err != nil {
		t.Fatalf("storetest: migrate %s: %v", db, err)
	}
	return s
}
