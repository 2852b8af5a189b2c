package ingest_test

import (
	"context"
	"testing"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func testHasher(t testing.TB) *records.Hasher {
	t.Helper()
	h, err := records.NewHasher([]byte("ingest-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// count returns the deduplicated number of task records matching where (a trusted literal).
func count(t testing.TB, s *store.Store, where string, args store.Args) uint64 {
	t.Helper()
	var n uint64
	q := "SELECT count() FROM task_records FINAL"
	if where != "" {
		q += " WHERE " + where
	}
	if err := s.QueryRow(context.Background(), q, args, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
