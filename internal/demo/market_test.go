package demo_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestMarketShapes checks the generated market has the shapes the benchmarks rely on: valid ids, a
// long tail of requesters, rewards at common price points, log-normal times around each group's
// typical time, workers whose tasks overlap, the usual statuses, and batches that continue it.
func TestMarketShapes(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	const n = 200_000
	o := demo.MarketOptions{Records: n, End: end}
	if err := demo.Market(ctx, s, o); err != nil {
		t.Fatal(err)
	}
	o.Records, o.Offset, o.Requesters, o.Reporters = 10_000, n, n/200, n/100
	if err := demo.Market(ctx, s, o); err != nil {
		t.Fatal(err)
	}

	var (
		count, keys, requesters, reporters, groups uint64
		minAt, maxAt                               time.Time
	)
	if err := s.QueryRow(ctx, `SELECT count(), uniqExact(record_key), uniqExact(requester_id), uniqExact(reporter),
		uniqExact(hit_set_id), min(accepted_at), max(finished_at) FROM task_records`,
		nil, &count, &keys, &requesters, &reporters, &groups, &minAt, &maxAt); err != nil {
		t.Fatal(err)
	}
	if count != n+10_000 || keys != count {
		t.Fatalf("%d records with %d keys, want %d distinct", count, keys, n+10_000)
	}
	if maxAt.After(end) || minAt.Before(end.Add(-8*7*24*time.Hour)) {
		t.Errorf("records span %v to %v, want within the 8 weeks before %v", minAt, maxAt, end)
	}
	// requesters: the record share of the largest, and how many hold half of all records
	var half uint64
	if err := s.QueryRow(ctx, `SELECT countIf(cum <= total / 2) FROM (SELECT c, sum(c) OVER (ORDER BY c DESC ROWS UNBOUNDED PRECEDING) AS cum,
		sum(c) OVER () AS total FROM (SELECT count() AS c FROM task_records GROUP BY requester_id))`, nil, &half); err != nil {
		t.Fatal(err)
	}
	if requesters < 500 || half*7 > requesters {
		t.Errorf("%d requesters, %d of them hold half the records: want a long tail (under 15 %%)", requesters, half)
	}
	if groups < requesters || groups > 8*requesters {
		t.Errorf("%d HIT groups for %d requesters, want 1-8 each", groups, requesters)
	}
	if reporters != n/100 {
		t.Errorf("%d reporters, want %d", reporters, n/100)
	}

	rows, err := s.Query(ctx, `SELECT requester_id, hit_set_id, assignment_id, toString(reward) FROM task_records LIMIT 2000`, nil)
	if err != nil {
		t.Fatal(err)
	}
	prices := map[string]bool{}
	for _, p := range []string{"0.01", "0.02", "0.03", "0.05", "0.08", "0.1", "0.12", "0.15", "0.2", "0.25", "0.3", "0.35",
		"0.4", "0.5", "0.6", "0.75", "0.8", "1", "1.25", "1.5", "2", "2.5", "3", "3.5", "4", "5", "6", "7.5", "8", "10"} {
		prices[p] = true
	}
	for rows.Next() {
		var rid, hid, aid, reward string
		if err := rows.Scan(&rid, &hid, &aid, &reward); err != nil {
			t.Fatal(err)
		}
		if !records.IsPersonID(rid) || !records.IsTaskID(hid) || !records.IsTaskID(aid) {
			t.Fatalf("ids %q %q %q are not MTurk-shaped", rid, hid, aid)
		}
		if !prices[reward] {
			t.Fatalf("reward %s is not a common price point", reward)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	_ = rows.Close()

	// times: log-normal around each group's typical time, so log(secs / group median) is symmetric
	// with a standard deviation near 0.45
	var meanLog, sdLog float64
	if err := s.QueryRow(ctx, `SELECT avg(d), stddevPop(d) FROM (SELECT log(duration_seconds / median(duration_seconds) OVER (PARTITION BY hit_set_id)) AS d
		FROM task_records WHERE duration_seconds > 5)`, nil, &meanLog, &sdLog); err != nil {
		t.Fatal(err)
	}
	if math.Abs(meanLog) > 0.05 || sdLog < 0.35 || sdLog > 0.5 {
		t.Errorf("log time around the group median: mean %.3f, sd %.3f; want ~0, ~0.45", meanLog, sdLog)
	}
	// overlap: some reporters accept a task before finishing their previous one
	var overlapping uint64
	if err := s.QueryRow(ctx, `SELECT countIf(o) FROM (SELECT reporter,
		arrayExists((a, f) -> a < f, arrayPopFront(arraySort(groupArray(accepted_at))), arrayPopBack(arraySort((f, a) -> a, groupArray(finished_at), groupArray(accepted_at)))) AS o
		FROM task_records GROUP BY reporter)`, nil, &overlapping); err != nil {
		t.Fatal(err)
	}
	if overlapping*10 < reporters || overlapping*20 > reporters*19 {
		t.Errorf("%d of %d reporters have overlapping tasks, want 10-95 %%", overlapping, reporters)
	}
	var approved, rejected, returned, pending float64
	if err := s.QueryRow(ctx, `SELECT avg(status = 'approved'), avg(status = 'rejected'), avg(status = 'returned'), avg(status = 'pending') FROM task_records`,
		nil, &approved, &rejected, &returned, &pending); err != nil {
		t.Fatal(err)
	}
	if approved < 0.7 || rejected < 0.02 || rejected > 0.15 || math.Abs(returned-0.04) > 0.01 || pending < 0.01 {
		t.Errorf("statuses: approved %.3f, rejected %.3f, returned %.3f, pending %.3f", approved, rejected, returned, pending)
	}
}
