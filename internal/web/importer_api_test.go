package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

// importSite serves the real web app with the ingest API on loopback, for the API import client.
func importSite(t *testing.T, s *store.Store, cfg ingest.Config) *ingest.Client {
	t.Helper()
	svc := ingest.NewService(s, importHasher(t), cfg)
	t.Cleanup(func() { _ = svc.Close(context.Background()) }) // after the server's shutdown (cleanups run last first)
	secret, _, err := svc.Tokens.Create(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	return &ingest.Client{BaseURL: serveDeps(t, web.Deps{Store: s, Version: "test", Ingest: svc}), Token: secret}
}

// importHasher is the ingest tests' pseudonym key, so the same worker ids give the same reporters.
func importHasher(t testing.TB) *records.Hasher {
	t.Helper()
	h, err := records.NewHasher([]byte("ingest-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// countWhere returns the deduplicated number of task records matching where (a trusted literal).
func countWhere(t testing.TB, s *store.Store, where string, args store.Args) uint64 {
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

func importAPI(t *testing.T, c *ingest.Client, name string, opts ingest.ImportOptions) (ingest.FileReport, error) {
	t.Helper()
	f, err := os.Open("../ingest/testdata/" + name) // the ingest package's files in the real formats
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.Name = name
	return ingest.ImportToAPI(context.Background(), c, f, opts)
}

func TestImportToAPI(t *testing.T) {
	s := storetest.New(t)
	c := importSite(t, s, ingest.Config{Rate: 1, Burst: 1})
	// Batches of two: the second request of each run is rate limited and waits for Retry-After.
	rep, err := importAPI(t, c, "broken.ndjson", ingest.ImportOptions{BatchSize: 2, WorkerID: "A1HWTESTWORKER01"})
	if err != nil || rep.Read != 7 || rep.Stored != 3 || rep.Rejected != 4 || rep.Problems[0].Line != 2 {
		t.Fatalf("report %+v, %v", rep, err)
	}
	if n := countWhere(t, s, "source = 'api' AND reporter = {r:String}", store.Args{"r": importHasher(t).Reporter("worker", "A1HWTESTWORKER01")}); n != 3 {
		t.Fatalf("%d records stored through the API under the worker's pseudonym, want 3", n)
	}
	// Rows without an id or a time cannot go through the API: rejected with a reason, by line.
	m, _ := ingest.ParseMapping("Pay=reward,Time Taken=duration_seconds")
	rep, err = importAPI(t, c, "history-tool.csv", ingest.ImportOptions{Mapping: m})
	if err != nil || rep.Stored != 0 || rep.Rejected != 4 || rep.Problems[0].Field != "finished_at" || rep.Problems[0].Line != 2 {
		t.Fatalf("report %+v, %v", rep, err)
	}
	// A wrong token stops the file with the API's answer.
	c.Token = "hwt_nope"
	_, err = importAPI(t, c, "records.ndjson", ingest.ImportOptions{})
	var ae *ingest.APIError
	if !errors.As(err, &ae) || ae.Status != 401 {
		t.Fatalf("bad token: %v", err)
	}
}

// A site that refuses what the local check accepted (another version, other limits) names its
// problems per record; a record with two problems is one refused record, listed with both.
func TestImportToAPIRefusedBatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"error":{"code":"invalid_records","message":"2 records are invalid","errors":[` +
			`{"index":0,"field":"reward","message":"is too high for this site"},` +
			`{"index":0,"field":"title","message":"is too long for this site"},` +
			`{"index":2,"field":"reward","message":"is too high for this site"}]}}`))
	}))
	defer srv.Close()
	c := &ingest.Client{BaseURL: srv.URL, Token: "hwt_test"}
	rep, err := importAPI(t, c, "records.ndjson", ingest.ImportOptions{BatchSize: 3})
	if err == nil || !strings.Contains(err.Error(), "refused a batch of 3 records (lines 1-3)") {
		t.Fatalf("err = %v", err)
	}
	if rep.Rejected != 2 || len(rep.Problems) != 3 || rep.Stored != 0 {
		t.Fatalf("report %+v: want 2 refused records with 3 problems", rep)
	}
	if p := rep.Problems; p[0].Line != 1 || p[1].Line != 1 || p[1].Field != "title" || p[2].Line != 3 {
		t.Fatalf("problems %+v", p)
	}
}

// Through the API, a record's platform and currency (the file's, or the import's defaults) go
// with it: the site stores it under the researcher's platform-qualified key, in its currency.
func TestImportToAPIPlatforms(t *testing.T) {
	s := storetest.New(t)
	c := importSite(t, s, ingest.Config{})
	m, err := ingest.ParseMapping("Study=hit_set_id,Submission=assignment_id,Time Taken=duration_seconds")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importAPI(t, c, "platforms.csv", ingest.ImportOptions{Mapping: m, Platform: "prolific"})
	if err != nil || rep.Read != 4 || rep.Stored != 3 || rep.Rejected != 1 || rep.Problems[0].Field != "currency" {
		t.Fatalf("report %+v, %v", rep, err)
	}
	if n := countWhere(t, s, "requester_id = 'prolific:5f3c0a1b2c3d4e5f60718293' AND source = 'api'", nil); n != 3 {
		t.Fatalf("%d records under the Prolific key, want 3", n)
	}
	if n := countWhere(t, s, "currency = 'USD' AND status = 'returned' AND reward = 3.5", nil); n != 1 {
		t.Fatalf("the dollar row was not stored in dollars")
	}
	if _, err := importAPI(t, c, "platforms.csv", ingest.ImportOptions{Mapping: m, Platform: "upwork"}); err == nil || !strings.Contains(err.Error(), "--platform") {
		t.Fatalf("bad default platform: %v", err)
	}
}
