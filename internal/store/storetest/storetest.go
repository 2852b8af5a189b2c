// Package storetest gives tests a real, migrated embedded ClickHouse store of their own.
// chDB boots once per process, so tests in one package share the engine and each gets a
// fresh database on it.
package storetest

import (
	"context"
	"fmt"
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
