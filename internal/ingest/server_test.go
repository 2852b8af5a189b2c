package ingest_test

import (
	"context"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestImportOnEachStore imports one history twice and takes back a token's contributions on the
// embedded store and on a ClickHouse server (storetest.Each: skipped without
// HITWAGE_TEST_CLICKHOUSE); on a cluster the rows go through Distributed tables and the DELETEs to
// the local tables.
func TestImportOnEachStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		worker := ingest.ImportOptions{WorkerID: "A1HWTESTWORKER01"}
		rep := importFile(t, s, "records.ndjson", worker)
		if rep.Read != 4 || rep.Stored != 4 || rep.Duplicates != 0 || rep.Rejected != 0 {
			t.Fatalf("ndjson report %+v", rep)
		}
		rep = importFile(t, s, "records.csv", worker)
		if rep.Read != 4 || rep.Stored != 0 || rep.Duplicates != 4 {
			t.Fatalf("the same records again: report %+v", rep)
		}
		if n := count(t, s, "", nil); n != 4 {
			t.Fatalf("%d records stored, want 4", n)
		}
		// A token that sent nothing takes nothing back; the statements still run on this store.
		reqs, err := ingest.DeleteContributions(context.Background(), s, ingest.Token{ID: "tok-none"}, "")
		if err != nil || len(reqs) != 0 {
			t.Fatalf("delete a token's contributions: %v %v", reqs, err)
		}
		if n := count(t, s, "", nil); n != 4 {
			t.Fatalf("%d records after deleting nothing, want 4", n)
		}
	})
}
