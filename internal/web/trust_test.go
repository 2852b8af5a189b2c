package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/wages"
)

// A token is one reporter: one token naming 10 worker IDs counts once, so its requester stays
// "not enough data" (5 reporters needed); a token the operator declared a relay counts each worker
// it names; a worker's own figures still find the tasks reported for them.
func TestTokenIsOneReporter(t *testing.T) {
	ctx := context.Background()
	e := newIngestEnv(t, ingest.Config{})
	relaySecret, _, err := e.svc.Tokens.CreateRelay(ctx, "forum relay", "")
	if err != nil {
		t.Fatal(err)
	}
	batch := func(req string, first int) string {
		var items []string
		for i := 0; i < 10; i++ {
			n := first + i
			items = append(items, strings.Replace(rec(n, fmt.Sprintf(`,"worker_id":"AWORKERNAMED%04d"`, i)),
				"A3HWTESTREQ0001", req, 1))
		}
		return "[" + strings.Join(items, ",") + "]"
	}
	if a := e.post(t, e.token, batch("A3HWPLAINTOKEN1", 0)); a.status != 200 {
		t.Fatalf("plain token: %d %s", a.status, a.body)
	}
	if a := e.post(t, relaySecret, batch("A3HWRELAYTOKEN1", 100)); a.status != 200 {
		t.Fatalf("relay token: %d %s", a.status, a.body)
	}
	w := wages.New(e.s, wages.Config{})
	r := ratings.New(e.s, w, ratings.Config{})
	if err := r.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	plain, ok := r.Get("A3HWPLAINTOKEN1")
	if !ok || plain.Records != 10 || plain.Reporters != 1 || plain.EnoughData || plain.Grade != "" {
		t.Errorf("one token naming 10 workers: records %d, reporters %d, enough data %v, grade %q; want 10 records from 1 reporter, no grade",
			plain.Records, plain.Reporters, plain.EnoughData, plain.Grade)
	}
	relay, ok := r.Get("A3HWRELAYTOKEN1")
	if !ok || relay.Reporters != 10 || !relay.EnoughData {
		t.Errorf("a declared relay naming 10 workers: reporters %d, enough data %v; want 10 and a grade", relay.Reporters, relay.EnoughData)
	}
	// The worker the plain token named still has that task in their own figures (through that token).
	mine, err := w.ReporterVia(ctx, e.h.Reporter("worker", "AWORKERNAMED0003"), e.tokID, wages.Range{})
	if err != nil || len(mine) != 1 || mine[0].Records != 1 {
		t.Errorf("the named worker's own figures: %+v, %v; want 1 record", mine, err)
	}
}
