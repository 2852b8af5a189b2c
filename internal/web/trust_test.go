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

// The forgery: token B posts the assignment token A reported (same requester, 20 s instead
// of 5 minutes). B's report is kept as corroboration beside A's, never in its place: A's record,
// A's own figures and the requester's wage are untouched, and moderators see the disagreement.
func TestAnotherTokenCannotReplaceAReport(t *testing.T) {
	ctx := context.Background()
	e := newIngestEnv(t, ingest.Config{})
	bSecret, bTok, err := e.svc.Tokens.Create(ctx, "token B")
	if err != nil {
		t.Fatal(err)
	}
	const asg = `"assignment_id":"3HWASG000000000000000000000007"`
	var mine []string
	for i := 0; i < 5; i++ { // A's tasks: 5-minute tasks paying $1.00 ($12/h)
		mine = append(mine, fmt.Sprintf(`{"hit_set_id":"3HWGRP000000000000000000000001","assignment_id":"3HWASG00000000000000000000000%d",`+
			`"requester_id":"A3HWTESTREQ0001","reward":"1.00","accepted_at":"2026-11-20T1%d:00:00Z","finished_at":"2026-11-20T1%d:05:00Z","status":"approved"}`, i+5, i, i))
	}
	if a := e.post(t, e.token, "["+strings.Join(mine, ",")+"]"); a.status != 200 {
		t.Fatalf("A: %d %s", a.status, a.body)
	}
	w := wages.New(e.s, wages.Config{})
	figs := func() (wages.RequesterFigures, wages.Figures) {
		t.Helper()
		if err := w.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
		r, err := w.Requester(ctx, "A3HWTESTREQ0001")
		if err != nil {
			t.Fatal(err)
		}
		me, err := w.ReporterVia(ctx, e.h.Reporter("token", e.tokID), "", wages.Range{})
		if err != nil || len(me) != 1 {
			t.Fatalf("A's own figures: %v %v", me, err)
		}
		return r, me[0]
	}
	reqBefore, aBefore := figs()
	// B reports A's assignment 7 as taking 20 seconds.
	forged := `{"hit_set_id":"3HWGRP000000000000000000000001",` + asg + `,"requester_id":"A3HWTESTREQ0001","reward":"1.00",` +
		`"accepted_at":"2026-11-20T12:00:00Z","finished_at":"2026-11-20T12:00:20Z","status":"approved"}`
	a := e.post(t, bSecret, forged)
	if a.status != 200 || !strings.Contains(string(a.body), `"stored":0`) || !strings.Contains(string(a.body), `"corroborations":1`) {
		t.Fatalf("B's report: %d %s", a.status, a.body)
	}
	reqAfter, aAfter := figs()
	if *reqAfter.EffectiveHourly != *reqBefore.EffectiveHourly || reqAfter.Records != reqBefore.Records {
		t.Errorf("the requester's wage moved: %.2f/h over %d records -> %.2f/h over %d", *reqBefore.EffectiveHourly, reqBefore.Records,
			*reqAfter.EffectiveHourly, reqAfter.Records)
	}
	if aAfter.Records != aBefore.Records || aAfter.EffectiveSeconds != aBefore.EffectiveSeconds {
		t.Errorf("A's own figures changed: %d records %.0f s -> %d records %.0f s", aBefore.Records, aBefore.EffectiveSeconds,
			aAfter.Records, aAfter.EffectiveSeconds)
	}
	var secs uint32
	var via string
	if err := e.s.QueryRow(ctx, `SELECT duration_seconds, via FROM task_records FINAL WHERE assignment_id = '3HWASG000000000000000000000007'`,
		nil, &secs, &via); err != nil || secs != 300 || via != e.tokID {
		t.Errorf("A's record: %d s through %q (%v), want 300 s through A's token", secs, via, err)
	}
	ds, err := ingest.Disagreements(ctx, e.s, 10)
	if err != nil || len(ds) != 1 || ds[0].CountedVia != e.tokID || ds[0].OtherVia != bTok.ID || ds[0].OtherSeconds != 20 {
		t.Errorf("moderators' disagreements: %+v %v", ds, err)
	}
	// A's own later update of its task still replaces it (a task is its reporter's to update).
	upd := strings.Replace(strings.Replace(mine[2], `"status":"approved"`, `"status":"rejected"`, 1), `"reward":"1.00"`, `"reward":"1.00","decided_at":"2026-11-21T10:00:00Z"`, 1)
	if a := e.post(t, e.token, upd); a.status != 200 || !strings.Contains(string(a.body), `"stored":1`) {
		t.Fatalf("A's update: %d %s", a.status, a.body)
	}
}
