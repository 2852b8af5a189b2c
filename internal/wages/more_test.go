package wages_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

func TestHistogram(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, scenario()...)
	// R1's per-task wages 0, 0, 4, 6, 9 in $5 bins, 2 bins: [0,5) holds 0, 0, 4; [5,inf) holds 6, 9.
	bins, err := w.Histogram(ctx, "R1", 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(bins) != 2 {
		t.Fatalf("bins = %d, want 2", len(bins))
	}
	eq(t, "bin0 tasks", bins[0].Tasks, 3)
	eq(t, "bin0 seconds", bins[0].Seconds, 300+600+1800)
	near(t, "bin0 high", bins[0].High, 5)
	eq(t, "bin1 tasks", bins[1].Tasks, 2)
	eq(t, "bin1 low", bins[1].Low, 5)
	isNil(t, "bin1 high", bins[1].High)
	// R2's overlapping reporter stays out of the histogram too.
	bins, err = w.Histogram(ctx, "R2", 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "R2 $6 bin", bins[6].Tasks, 1)
	if _, err := w.Histogram(ctx, "R1", 0, 2); err == nil {
		t.Error("zero width: no error")
	}
}

func TestTrends(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	ts := scenario()
	// One more approved task of A for R1 a week later: 1200 s paying $2.00 = $6/h.
	ts = append(ts, task{req: "R1", reporter: "A", group: "G1", assignment: "a5", reward: "2.00", startMin: 7 * 24 * 60,
		secs: 1200, status: records.Approved})
	insert(t, s, ts...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	tr, err := w.RequesterTrend(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 2 {
		t.Fatalf("weeks = %d, want 2", len(tr))
	}
	eq(t, "week 1", tr[0].Week, base.Truncate(24*time.Hour)) // base is a Monday
	eq(t, "week 1 records", tr[0].Records, 5)
	near(t, "week 1 effective", tr[0].EffectiveHourly, 4.50)
	eq(t, "week 2", tr[1].Week, base.Truncate(24*time.Hour).AddDate(0, 0, 7))
	near(t, "week 2 effective", tr[1].EffectiveHourly, 6.00)
	mt, err := w.MarketTrend(ctx, platform.MTurk)
	if err != nil {
		t.Fatal(err)
	}
	if len(mt) != 2 || mt[0].Records != 6 || mt[1].Records != 1 {
		t.Fatalf("market trend = %+v", mt)
	}
	// The lean trend SQL and the full figures SQL agree on a week.
	wk, err := first(w.MarketRange(ctx, platform.MTurk, wages.Week(base)))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "trend vs range effective", mt[0].EffectiveHourly, *wk.EffectiveHourly)
	near(t, "trend vs range nominal", mt[0].NominalHourly, *wk.NominalHourly)
	eq(t, "trend vs range reporters", mt[0].Reporters, wk.Reporters)
	eq(t, "trend vs range excluded", mt[0].ExcludedReporters, wk.ExcludedReporters)
	// By finish hour: 10:xx holds a1, a2, b1, d1; 11:xx a3; 12:xx a4 (and a5 a week later at 10:20).
	hs, err := w.MarketByHour(ctx, platform.MTurk)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 3 || hs[0].Hour != 10 || hs[0].Records != 5 || hs[1].Hour != 11 || hs[2].Records != 1 {
		t.Errorf("by hour = %+v", hs)
	}
	ds, err := w.MarketByWeekday(ctx, platform.MTurk)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Weekday != time.Monday || ds[0].Records != 7 {
		t.Errorf("by weekday = %+v", ds)
	}
}

// TestReReportedAndUpdate checks that a task reported again counts once with its latest status, and that
// Update refreshes exactly the requesters that received records.
func TestReReportedAndUpdate(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	insert(t, s, scenario()...)
	if n, err := w.Update(ctx); err != nil || n != 2 { // first Update recomputes everything
		t.Fatalf("first update = %d, %v; want 2 requesters", n, err)
	}
	// b1 is reported again, now approved with a $1.00 bonus, plus a new requester R3.
	insert(t, s,
		task{req: "R1", reporter: "B", group: "G2", assignment: "b1", reward: "2.00", bonus: "1.00", startMin: 0, secs: 1800,
			status: records.Approved, decidedAfter: 3 * time.Hour, received: 5 * time.Hour},
		task{req: "R3", reporter: "B", group: "G4", assignment: "e1", reward: "0.10", startMin: 500, secs: 60, status: records.Approved},
	)
	n, err := w.Update(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "updated requesters", n, 2) // R1 and R3; R2's figures already include its records
	r1, err := w.Requester(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "records", r1.Records, 5)
	eq(t, "pending", r1.Pending, 0)
	eq(t, "approved", r1.Approved, 3)
	eq(t, "paid", r1.Paid, 5.50)
	near(t, "effective", r1.EffectiveHourly, 5.50)
	r3, err := w.Requester(ctx, "R3")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "R3 effective", r3.EffectiveHourly, 6.00)
	gs, err := w.Groups(ctx, "R1")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "groups after update", len(gs), 2)
}

// TestLargeRequester checks a requester with 10,000 records next to one with a single record:
// 100 reporters each do 100 back-to-back 60-second tasks paying $0.25 ($15.00/h); every 10th is rejected.
func TestLargeRequester(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	err := s.Exec(ctx, `INSERT INTO task_records (requester_id, record_key, reporter, hit_set_id, reward, bonus,
		accepted_at, finished_at, duration_seconds, status, allotted_seconds, received_at, version)
		SELECT 'BIG', toString(number), toString(number % 100), 'GBIG', 0.25, 0,
			{t0:DateTime64(3, 'UTC')} + toIntervalSecond(60 * intDiv(number, 100)),
			{t0:DateTime64(3, 'UTC')} + toIntervalSecond(60 * intDiv(number, 100) + 60),
			60, if(number % 10 = 0, 'rejected', 'approved'), 600, {t0:DateTime64(3, 'UTC')}, 1
		FROM numbers(10000)`, store.Args{"t0": base})
	if err != nil {
		t.Fatal(err)
	}
	insert(t, s, task{req: "ONE", reporter: "A", group: "G1", assignment: "o1", reward: "0.10", startMin: 0, secs: 30, status: records.Approved})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	big, err := w.Requester(ctx, "BIG")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "records", big.Records, 10000)
	eq(t, "reporters", big.Reporters, 100)
	eq(t, "rejected", big.Rejected, 1000)
	eq(t, "effective seconds", big.EffectiveSeconds, 600000)
	near(t, "effective", big.EffectiveHourly, 13.50) // 9000 x $0.25 over 10,000 minutes
	near(t, "nominal", big.NominalHourly, 15.00)
	near(t, "median", big.MedianHourly, 15.00)
	near(t, "p25", big.P25Hourly, 15.00)
	near(t, "trimmed mean", big.TrimmedMeanHourly, 15.00*8000/8000) // lowest 1000 (the $0 ones) trimmed
	near(t, "below target", big.ShareBelowTarget, 0.10)
	one, err := w.Requester(ctx, "ONE")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "one records", one.Records, 1)
	near(t, "one effective", one.EffectiveHourly, 12.00)
	near(t, "one trimmed", one.TrimmedMeanHourly, 12.00)
	if _, err := w.Requester(ctx, "NOBODY"); err == nil {
		t.Error("unknown requester: no error")
	}
	_ = wages.MinimumWage
}

// TestUpdateStaleShare: Update leaves a large requester's figures as they are until the records it
// received since reach StaleShare (1 %) of those counted, recomputes a small one on its first new
// record, and Recompute includes everything; a negative StaleShare recomputes every requester.
func TestUpdateStaleShare(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	var tasks []task
	for i := range 200 { // RB: 200 records (its 1 % is 2 records); RS: 10
		tasks = append(tasks, task{req: "RB", reporter: fmt.Sprintf("w%d", i%20), group: "GB", assignment: fmt.Sprintf("b%d", i),
			reward: "0.50", startMin: float64(i * 10), secs: 120, status: records.Approved})
	}
	for i := range 10 {
		tasks = append(tasks, task{req: "RS", reporter: fmt.Sprintf("w%d", i), group: "GS", assignment: fmt.Sprintf("s%d", i),
			reward: "0.50", startMin: float64(i * 10), secs: 120, status: records.Approved})
	}
	insert(t, s, tasks...)
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	counted := func(w *wages.Wages, rid string) uint64 {
		t.Helper()
		f, err := w.Requester(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		return f.Records
	}
	one := func(req, a string, min float64) task {
		return task{req: req, reporter: "late", group: "G" + req[1:], assignment: a, reward: "0.50", startMin: min, secs: 120,
			status: records.Approved}
	}

	insert(t, s, one("RB", "n1", 5000), one("RS", "n1", 5000))
	n, err := w.Update(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "updated after one record each", n, 1) // RS only: 1 of 10 is over 1 %, 1 of 200 is not
	eq(t, "RS counted", counted(w, "RS"), 11)
	eq(t, "RB counted (stale)", counted(w, "RB"), 200)

	insert(t, s, one("RB", "n2", 5010)) // 2 records since RB's figures: 1 % of 200
	if n, err = w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	eq(t, "updated after RB's second record", n, 1)
	eq(t, "RB counted", counted(w, "RB"), 202)

	insert(t, s, one("RB", "n3", 5020))
	if n, err = w.Update(ctx); err != nil {
		t.Fatal(err)
	}
	eq(t, "updated after one more", n, 0)
	eq(t, "RB counted (stale again)", counted(w, "RB"), 202)

	every := wages.New(s, wages.Config{StaleShare: -1})
	if n, err = every.Update(ctx); err != nil {
		t.Fatal(err)
	}
	eq(t, "StaleShare < 0 updates RB at once", n, 1)
	eq(t, "RB counted by StaleShare < 0", counted(every, "RB"), 203)

	insert(t, s, one("RB", "n4", 5030))
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	eq(t, "RB counted after Recompute", counted(w, "RB"), 204)
}
