package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// A report or review stored after start shows in the served figures after one update run:
// that run is what the 15-second job does.
func TestUpdateShowsNewReportsAndReviews(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, _ := records.NewHasher([]byte("figures-test-key-0123456789"))
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 1000, Now: now}); err != nil {
		t.Fatal(err)
	}
	w := wages.New(s, wages.Config{})
	rt := ratings.New(s, w, ratings.Config{Target: w.Target()})
	f := &figures{s: s, w: w, r: rt, dir: lookup.New(s, w, lookup.RatingsScorer{R: rt})}
	if _, err := f.start(ctx); err != nil {
		t.Fatal(err)
	}
	// The first update after start has nothing new: the demo's reviews are already served.
	started := f.dir.RefreshedAt()
	if err := f.update(ctx); err != nil {
		t.Fatal(err)
	}
	if !f.dir.RefreshedAt().Equal(started) {
		t.Fatal("the first update after start reloaded the reviews start had loaded")
	}
	const fresh = "AFRESHREQUESTER01"
	if _, ok := f.dir.Get(fresh); ok {
		t.Fatal("unknown requester already served")
	}
	fin := now.Add(-time.Hour)
	acc := fin.Add(-10 * time.Minute)
	err := records.Insert(ctx, s, []records.Record{{
		RequesterID: fresh, RequesterName: "Fresh", AssignmentID: "3FRESHASSIGNMENT00000000000001", Reporter: h.Reporter("worker", "AW1"),
		Reward: decimal.RequireFromString("1.00"), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 600,
		Status: records.Approved, Source: "test", ReceivedAt: fin,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := reviews.Put(ctx, s, h.Reporter("worker", "AW1"), "", reviews.Input{RequesterID: fresh, Pay: reviews.Rating(4), Fairness: reviews.Rating(5), Communication: reviews.Rating(3), Promptness: reviews.Rating(2), Text: "ok"}, now); err != nil {
		t.Fatal(err)
	}
	if err := f.update(ctx); err != nil {
		t.Fatal(err)
	}
	r, ok := f.dir.Get(fresh)
	if !ok || r.Wages.Records != 1 || r.Wages.EffectiveHourly == nil || *r.Wages.EffectiveHourly != 6 {
		t.Fatalf("after one update: %+v %v", r, ok)
	}
	if r.Reviews.Count != 1 || r.Reviews.Fairness != 5 {
		t.Fatalf("review not served after the update: %+v", r.Reviews)
	}
	// A review alone (no new records) is picked up too.
	if err := reviews.Put(ctx, s, h.Reporter("worker", "AW2"), "", reviews.Input{RequesterID: fresh, Pay: reviews.Rating(1), Fairness: reviews.Rating(1), Communication: reviews.Rating(1), Promptness: reviews.Rating(1)}, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := f.update(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.dir.Get(fresh); r.Reviews.Count != 2 {
		t.Fatalf("a new review alone was not served: %+v", r.Reviews)
	}
	// Nothing new: the served snapshot stays as it is.
	before := f.dir.RefreshedAt()
	if err := f.update(ctx); err != nil {
		t.Fatal(err)
	}
	if !f.dir.RefreshedAt().Equal(before) {
		t.Fatal("an update with nothing new reloaded the directory")
	}
}

// The figures jobs give their statements deadlines sized to the job, not the store's per-query
// default meant for page reads: on a store whose per-query timeout no statement can meet, a full
// recompute and an update still finish.
func TestJobsOutliveTheQueryTimeout(t *testing.T) {
	ctx := context.Background()
	db := fmt.Sprintf("t_jobs_deadline_%d", time.Now().UnixNano())
	s, err := store.Open(ctx, store.Config{DataDir: storetest.DataDir(t), Database: db, QueryTimeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = s.Exec(cctx, "DROP DATABASE IF EXISTS "+db, nil)
	})
	mctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if _, err := s.Migrate(mctx, store.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	h, _ := records.NewHasher([]byte("figures-test-key-0123456789"))
	if _, err := demo.Load(mctx, s, h, demo.Options{Records: 500, Now: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, "SELECT 1", nil); err == nil {
		t.Fatal("the store's per-query timeout lets statements through: the test proves nothing")
	}
	w := wages.New(s, wages.Config{})
	rt := ratings.New(s, w, ratings.Config{Target: w.Target()})
	f := &figures{s: s, w: w, r: rt, dir: lookup.New(s, w, lookup.RatingsScorer{R: rt})}
	if err := f.full(ctx); err != nil {
		t.Fatalf("full recompute: %v", err)
	}
	if err := f.update(ctx); err != nil {
		t.Fatalf("update: %v", err)
	}
	if f.dir.Len() == 0 {
		t.Error("no requesters served after the recompute")
	}
}

// A contribution's requesters are computed again at once, deletions included: the site's
// /contribute calls requesters after storing or deleting a token's records.
func TestContributionRefresh(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, _ := records.NewHasher([]byte("figures-test-key-0123456789"))
	w := wages.New(s, wages.Config{})
	rt := ratings.New(s, w, ratings.Config{Target: w.Target()})
	f := &figures{s: s, w: w, r: rt, dir: lookup.New(s, w, lookup.RatingsScorer{R: rt})}
	const req = "ACONTRIBREFRESH1"
	fin := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	acc := fin.Add(-10 * time.Minute)
	rec := func(asg, via string) records.Record {
		return records.Record{RequesterID: req, RequesterName: "Refresh", AssignmentID: asg, Reporter: h.Reporter("token", via),
			Reward: decimal.RequireFromString("1.00"), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 600,
			Status: records.Approved, Source: "upload:x", ReceivedAt: fin, Via: via}
	}
	if err := records.Insert(ctx, s, []records.Record{rec("3CONTRIBREFRESH000000000000001", "t1"), rec("3CONTRIBREFRESH000000000000002", "t2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.start(ctx); err != nil {
		t.Fatal(err)
	}
	if r, ok := f.dir.Get(req); !ok || r.Wages.Records != 2 {
		t.Fatalf("before: %+v, %v", r, ok)
	}
	if err := s.Exec(ctx, "DELETE FROM task_records WHERE via = 't1'", nil); err != nil {
		t.Fatal(err)
	}
	if err := f.requesters(ctx, []string{req}, true); err != nil {
		t.Fatal(err)
	}
	if r, ok := f.dir.Get(req); !ok || r.Wages.Records != 1 {
		t.Errorf("after deleting one token's record: %+v, %v", r, ok)
	}
}

// A start that reuses the stored figures (a restart) recomputes them once at once, so updates read
// from a records cache again without waiting for the schedule's first full recompute; a start that
// computed them, or a store that keeps no cache, has nothing to warm.
func TestRestartWarmsRecordsCache(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, _ := records.NewHasher([]byte("figures-test-key-0123456789"))
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 500, Now: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	boot := func(cfg wages.Config) (*figures, bool) {
		w := wages.New(s, cfg)
		rt := ratings.New(s, w, ratings.Config{Target: w.Target()})
		f := &figures{s: s, w: w, r: rt, dir: lookup.New(s, w, lookup.RatingsScorer{R: rt})}
		recomputed, err := f.start(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return f, recomputed
	}
	first, recomputed := boot(wages.Config{})
	if !recomputed || first.warm(recomputed) != nil || !first.w.HoldsRecords() {
		t.Fatalf("first start: recomputed %v, warm %v, cache %v; want a recompute that keeps the cache and nothing to warm",
			recomputed, first.warm(recomputed), first.w.HoldsRecords())
	}
	again, recomputed := boot(wages.Config{})
	if recomputed || again.w.HoldsRecords() {
		t.Fatalf("restart: recomputed %v, cache %v; want the stored figures reused, no cache yet", recomputed, again.w.HoldsRecords())
	}
	j := again.warm(recomputed)
	if j == nil || j.Name != "figures-recompute" {
		t.Fatalf("restart: warm job %+v, want the full recompute", j)
	}
	if err := j.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if !again.w.HoldsRecords() {
		t.Fatal("after the warm-up recompute the restarted site holds no records cache")
	}
	if off, recomputed := boot(wages.Config{NoRecordCache: true}); off.warm(recomputed) != nil {
		t.Fatal("a site that keeps no records cache warms one at start")
	}
}
