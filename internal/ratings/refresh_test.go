package ratings_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var t0 = time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)

// rec is an approved-by-default task: accepted at t0 + startMin, taking secs, decided 2 hours after.
func rec(req, reporter, assignment, reward string, startMin, secs int, st records.Status) records.Record {
	acc := t0.Add(time.Duration(startMin) * time.Minute)
	fin := acc.Add(time.Duration(secs) * time.Second)
	dec := fin.Add(2 * time.Hour)
	r := records.Record{RequesterID: req, Reporter: reporter, HitSetID: "G" + req, AssignmentID: assignment,
		RequesterName: "Name " + req, Title: "T", Reward: decimal.RequireFromString(reward),
		AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: uint32(secs), Status: st,
		AllottedSeconds: 3600, Source: "test", ReceivedAt: fin.Add(time.Minute)}
	if st == records.Approved || st == records.Rejected {
		r.DecidedAt = &dec
	}
	return r
}

func review(t *testing.T, s *store.Store, req, reporter string, pay, fair, comm, prompt, deleted uint8) {
	t.Helper()
	err := s.Exec(context.Background(), `INSERT INTO reviews (requester_id, reporter, pay, fairness, communication,
		promptness, text, created_at, updated_at, deleted) VALUES ({r:String}, {p:String}, {a:UInt8}, {b:UInt8},
		{c:UInt8}, {d:UInt8}, 'text', {t:DateTime64(3, 'UTC')}, {t:DateTime64(3, 'UTC')}, {x:UInt8})`,
		store.Args{"r": req, "p": reporter, "a": pay, "b": fair, "c": comm, "d": prompt, "t": t0, "x": deleted})
	if err != nil {
		t.Fatal(err)
	}
}

func refreshed(t *testing.T, s *store.Store) *ratings.Ratings {
	t.Helper()
	ctx := context.Background()
	w := wages.New(s, wages.Config{})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	r := ratings.New(s, w, ratings.Config{})
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRefreshAndLookups(t *testing.T) {
	s := storetest.New(t)
	var recs []records.Record
	for i := 0; i < 6; i++ { // GOOD: 6 workers, $3.00 for 600 s = $18/h
		recs = append(recs, rec("GOOD", fmt.Sprint("w", i), fmt.Sprint("g", i), "3.00", 0, 600, records.Approved))
	}
	for i := 0; i < 5; i++ { // LOW: 5 workers, $0.50 for 600 s = $3/h
		recs = append(recs, rec("LOW", fmt.Sprint("w", i), fmt.Sprint("l", i), "0.50", 60, 600, records.Approved))
	}
	for i := 0; i < 2; i++ { // FEW: 2 workers, too few for a grade
		recs = append(recs, rec("FEW", fmt.Sprint("w", i), fmt.Sprint("f", i), "5.00", 120, 600, records.Approved))
	}
	if err := records.Insert(context.Background(), s, recs); err != nil {
		t.Fatal(err)
	}
	review(t, s, "GOOD", "w0", 5, 4, 4, 5, 0)
	review(t, s, "GOOD", "w1", 3, 4, 2, 3, 0)
	review(t, s, "GOOD", "w2", 1, 1, 1, 1, 1) // deleted: left out
	review(t, s, "ONLYREV", "w3", 2, 2, 2, 2, 0)
	r := refreshed(t, s)

	good, ok := r.Get("GOOD")
	if !ok || !good.EnoughData || good.Score == nil || good.Grade == "" {
		t.Fatalf("GOOD = %+v", good)
	}
	if good.Reporters != 6 || good.Reviews != 2 || good.RequesterName != "Name GOOD" {
		t.Errorf("GOOD reporters %d reviews %d name %q", good.Reporters, good.Reviews, good.RequesterName)
	}
	rv, _ := good.Component(ratings.Reviews)
	// Reviews: averages pay 4, fairness 4, communication 3, promptness 4 -> 3.75 stars.
	if rv.Raw == nil || *rv.Raw != 3.75 || rv.N != 2 {
		t.Errorf("GOOD reviews component = %+v", rv)
	}
	pay, _ := good.Component(ratings.Pay)
	if pay.Raw == nil || *pay.Raw < 17.995 || *pay.Raw > 18.005 || *pay.OwnScore != 100 {
		t.Errorf("GOOD pay component = %+v", pay)
	}
	few, ok := r.Get("FEW")
	if !ok || few.EnoughData || few.Score != nil || few.Grade != "" {
		t.Errorf("FEW = %+v, want not enough data", few)
	}
	if only, ok := r.Get("ONLYREV"); !ok || only.EnoughData || only.Reviews != 1 {
		t.Errorf("ONLYREV = %+v", only)
	}
	got := r.Lookup([]string{"GOOD", "FEW", "UNKNOWN"})
	if len(got) != 2 || got["GOOD"].RequesterID != "GOOD" {
		t.Errorf("Lookup = %v", got)
	}
	best, worst := r.BestPayers(platform.MTurk, 10), r.WorstPayers(platform.MTurk, 1)
	if len(best) != 2 || best[0].RequesterID != "GOOD" || best[1].RequesterID != "LOW" {
		t.Errorf("best payers = %v", ids(best))
	}
	if len(worst) != 1 || worst[0].RequesterID != "LOW" {
		t.Errorf("worst payers = %v", ids(worst))
	}
	if all := r.All(); len(all) != 4 || all[0].RequesterID != "GOOD" {
		t.Errorf("All = %v", ids(all))
	}
	if m := r.Market(platform.MTurk); m.Reporters != 6 || m.EffectiveHourly == nil {
		t.Errorf("market = %+v", m)
	}
	if r.RefreshedAt().IsZero() {
		t.Error("RefreshedAt is zero after Refresh")
	}
}

func ids(rs []ratings.Rating) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.RequesterID)
	}
	return out
}

// market builds a random small market: 3 requesters, 8 workers, tasks with re-reports.
func market(seed uint64) []records.Record {
	rnd := rand.New(rand.NewPCG(seed, 7))
	var recs []records.Record
	statuses := []records.Status{records.Approved, records.Approved, records.Approved, records.Rejected, records.Pending, records.Returned}
	for i := 0; i < 120; i++ {
		req := fmt.Sprint("R", rnd.IntN(3))
		w := fmt.Sprint("w", rnd.IntN(8))
		r := rec(req, w, fmt.Sprint("a", i), fmt.Sprintf("0.%02d", rnd.IntN(100)), rnd.IntN(600), 30+rnd.IntN(900),
			statuses[rnd.IntN(len(statuses))])
		recs = append(recs, r)
		if rnd.IntN(4) == 0 { // reported again later with a decision
			again := r
			again.Status = records.Approved
			again.ReceivedAt = r.ReceivedAt.Add(time.Hour)
			if rnd.IntN(2) == 0 {
				again.Status = records.Rejected
			}
			recs = append(recs, again)
		}
	}
	return recs
}

// TestOrderIndependent is a property test: the same reports arriving in another order, in other
// batches, give the same ratings.
func TestOrderIndependent(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 2; seed++ {
		recs := market(seed)
		a, b := storetest.New(t), storetest.New(t)
		if err := records.Insert(ctx, a, recs); err != nil {
			t.Fatal(err)
		}
		shuffled := append([]records.Record(nil), recs...)
		rand.New(rand.NewPCG(seed, 99)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for i := 0; i < len(shuffled); i += 17 {
			if err := records.Insert(ctx, b, shuffled[i:min(i+17, len(shuffled))]); err != nil {
				t.Fatal(err)
			}
		}
		ra, rb := refreshed(t, a).All(), refreshed(t, b).All()
		for i := range ra {
			ra[i].ComputedAt, rb[i].ComputedAt = time.Time{}, time.Time{}
		}
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("seed %d: ratings differ by arrival order:\n%+v\n%+v", seed, ra, rb)
		}
	}
}

// TestApprovedAbovePayRaisesPay is a property test: an approved task paying more than a requester's
// effective wage and at least the target, reported by one of its workers, raises its wage and never
// lowers its pay component. (The pay component scores each reporter's wage, at most 100 at the
// target, so a task paying more than the pooled wage but less than the target can lower it when its
// reporter was already paid better than the rest; docs/methodology.md, "Flooding".)
func TestApprovedAbovePayRaisesPay(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 3; seed++ {
		s := storetest.New(t)
		recs := market(seed)
		if err := records.Insert(ctx, s, recs); err != nil {
			t.Fatal(err)
		}
		before, ok := refreshed(t, s).Get("R0")
		if !ok || before.EffectiveHourly == nil {
			t.Fatalf("seed %d: no R0 wage", seed)
		}
		// A 300-second task after everything else, paying 1.5x the current wage and at least the $15
		// target (and a cent more).
		reward := decimal.NewFromFloat(max(*before.EffectiveHourly*1.5, 15) * 300 / 3600).RoundUp(2).Add(decimal.New(1, -2))
		extra := rec("R0", "w0", "extra", reward.String(), 10_000, 300, records.Approved)
		if err := records.Insert(ctx, s, []records.Record{extra}); err != nil {
			t.Fatal(err)
		}
		after, _ := refreshed(t, s).Get("R0")
		pb, _ := before.Component(ratings.Pay)
		pa, _ := after.Component(ratings.Pay)
		if *pa.Score < *pb.Score {
			t.Errorf("seed %d: pay component fell from %.4f to %.4f after a $%s task", seed, *pb.Score, *pa.Score, reward)
		}
		t.Logf("seed %d: pay %.2f -> %.2f, wage %.2f -> %.2f", seed, *pb.Score, *pa.Score, *before.EffectiveHourly, *after.EffectiveHourly)
		if *after.EffectiveHourly <= *before.EffectiveHourly {
			t.Errorf("seed %d: wage %.4f -> %.4f", seed, *before.EffectiveHourly, *after.EffectiveHourly)
		}
	}
}

// TestUpdate checks that Update folds newly arrived records into the snapshot.
func TestUpdate(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	var recs []records.Record
	for i := 0; i < 5; i++ {
		recs = append(recs, rec("R", fmt.Sprint("w", i), fmt.Sprint("a", i), "3.00", 0, 600, records.Approved))
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	r := ratings.New(s, wages.New(s, wages.Config{}), ratings.Config{})
	if _, ok := r.Get("R"); ok {
		t.Fatal("rating before the first refresh")
	}
	if err := r.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := r.Get("R")
	// Every task is reported again as rejected: the approval component must fall, the wage to $0 (a
	// requester paying $18/h first, so that the pay gate, which caps both sub-minimum scores alike, is not what moves).
	for i := range recs {
		recs[i].Status = records.Rejected
		recs[i].ReceivedAt = recs[i].ReceivedAt.Add(time.Hour)
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	if err := r.Update(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := r.Get("R")
	if after.Records != 5 || after.EffectiveHourly == nil || *after.EffectiveHourly != 0 {
		t.Errorf("after update: records %d, effective %v", after.Records, after.EffectiveHourly)
	}
	ab, _ := before.Component(ratings.Approval)
	aa, _ := after.Component(ratings.Approval)
	if *aa.OwnScore >= *ab.OwnScore || *after.Score >= *before.Score {
		t.Errorf("approval %.1f -> %.1f, score %.1f -> %.1f: want both lower", *ab.OwnScore, *aa.OwnScore, *before.Score, *after.Score)
	}
}

// A flood of 10,000 records from one token (reporting the requester's own tasks as quick and well
// paid) moves a 50-reporter requester's grade by at most one letter and its pay component by at
// most 100 x wages.ReporterCap points; the pooled wage it floods is still shown.
func TestFloodMovesTheGradeAtMostOneLetter(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	var recs []records.Record
	for r := 0; r < 50; r++ { // 50 workers at $9.00/h: 10-minute tasks paying $1.50
		for j := 0; j < 4; j++ {
			recs = append(recs, rec("RF", fmt.Sprint("w", r), fmt.Sprintf("a%d-%d", r, j), "1.50", 15*j, 600, records.Approved))
		}
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	r := ratings.New(s, wages.New(s, wages.Config{}), ratings.Config{})
	if err := r.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := r.Get("RF")
	var flood []records.Record
	for j := 0; j < 10_000; j++ { // one reporter: 60-second tasks paying $10.00
		flood = append(flood, rec("RF", "flooder", fmt.Sprint("f", j), "10.00", j, 60, records.Approved))
	}
	if err := records.Insert(ctx, s, flood); err != nil {
		t.Fatal(err)
	}
	if err := r.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := r.Get("RF")
	if before.Grade == "" || after.Grade == "" {
		t.Fatalf("grades %q -> %q", before.Grade, after.Grade)
	}
	if d := int(after.Grade[0]) - int(before.Grade[0]); d > 1 || d < -1 {
		t.Errorf("the flood moved the grade %s -> %s", before.Grade, after.Grade)
	}
	pb, _ := before.Component(ratings.Pay)
	pa, _ := after.Component(ratings.Pay)
	if d := *pa.OwnScore - *pb.OwnScore; d > 100*wages.ReporterCap+1e-9 || d < -100*wages.ReporterCap-1e-9 {
		t.Errorf("the flood moved the pay component %.1f -> %.1f, more than %.0f points", *pb.OwnScore, *pa.OwnScore, 100*wages.ReporterCap)
	}
	if *after.EffectiveHourly < 10**before.EffectiveHourly {
		t.Errorf("the pooled wage %.2f -> %.2f: the flood is not what the test means", *before.EffectiveHourly, *after.EffectiveHourly)
	}
}
