package ingest_test

import (
	"context"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestImportOnEachStore imports one history twice, then a relay token's batch, and takes back the
// token's contributions on the embedded store and on a ClickHouse server (storetest.Each: skipped
// without HITWAGE_TEST_CLICKHOUSE); on a cluster the rows go through Distributed tables and the
// DELETEs to the local tables.
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

		// A declared relay sends other workers' tasks through the API: its records carry its token in
		// via, one of them as a corroboration of a task the import stored. Taking back the token's
		// contributions (as /contribute does) leaves none of them, and the import's records alone.
		ctx := context.Background()
		sv := ingest.NewService(s, testHasher(t), ingest.Config{})
		_, tok, err := sv.Tokens.CreateRelay(ctx, "forum relay", "")
		if err != nil {
			t.Fatal(err)
		}
		res, err := sv.Submit(ctx, tok, []byte(relayBody))
		if err != nil || res.Stored != 2 || res.Corroborations != 1 {
			t.Fatalf("relay batch: %+v %v, want 2 stored and 1 corroboration", res, err)
		}
		if err := sv.Close(ctx); err != nil {
			t.Fatal(err)
		}
		via := store.Args{"via": tok.ID}
		if n := count(t, s, "via = {via:String}", via); n != 2 {
			t.Fatalf("%d records through the relay, want 2", n)
		}
		if n := corroborations(t, s, via); n != 1 {
			t.Fatalf("%d corroborations through the relay, want 1", n)
		}
		reqs, err = ingest.DeleteContributions(ctx, s, tok, "")
		if err != nil || len(reqs) != 2 {
			t.Fatalf("delete the relay's contributions: requesters %v, %v; want its 2", reqs, err)
		}
		if n := count(t, s, "via = {via:String}", via); n != 0 {
			t.Errorf("%d records through the relay remain after its contributions were deleted, want 0", n)
		}
		if n := corroborations(t, s, via); n != 0 {
			t.Errorf("%d corroborations through the relay remain after its contributions were deleted, want 0", n)
		}
		if n := count(t, s, "", nil); n != 4 {
			t.Errorf("%d records after the relay's were deleted, want the import's 4", n)
		}
	})
}

// relayBody is a relay's batch: two workers' new tasks of two requesters, and a third worker's
// report of a task records.ndjson holds (3HWASG...01), which is kept as its corroboration.
const relayBody = `{"worker_id": "A1HWRELAYWORKER1", "hit_set_id": "3HWGRP000000000000000000000001", "hit_id": "3HWHIT000000000000000000000011", "assignment_id": "3HWASG000000000000000000000011", "requester_id": "A3HWTESTREQ0001", "requester_name": "Harbor Survey Lab", "title": "Quick survey about commuting (~5 min)", "reward": "0.75", "accepted_at": "2026-11-21T14:00:00Z", "finished_at": "2026-11-21T14:06:00Z", "status": "approved"}
{"worker_id": "A1HWRELAYWORKER2", "hit_set_id": "3HWGRP000000000000000000000002", "hit_id": "3HWHIT000000000000000000000012", "assignment_id": "3HWASG000000000000000000000012", "requester_id": "A2HWTESTREQ0002", "requester_name": "Receipt Reader Co", "title": "Transcribe a receipt", "reward": "0.05", "duration_seconds": 80, "status": "submitted"}
{"worker_id": "A1HWRELAYWORKER3", "hit_set_id": "3HWGRP000000000000000000000001", "hit_id": "3HWHIT000000000000000000000001", "assignment_id": "3HWASG000000000000000000000001", "requester_id": "A3HWTESTREQ0001", "requester_name": "Harbor Survey Lab", "title": "Quick survey about commuting (~5 min)", "reward": "0.75", "accepted_at": "2026-11-20T14:00:00Z", "finished_at": "2026-11-20T14:09:00Z", "status": "approved"}
`

// corroborations counts the corroborating reports matching via = {via:String}.
func corroborations(t *testing.T, s *store.Store, args store.Args) uint64 {
	t.Helper()
	var n uint64
	if err := s.QueryRow(context.Background(), "SELECT count() FROM task_corroborations FINAL WHERE via = {via:String}", args, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
