package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// mturkLast is the end of MTurk's closing day: nothing MTurk in the demo comes after it.
var mturkLast = time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)

// tableDigests hashes every row of each table the demo writes, so two loads compare whole.
func tableDigests(t *testing.T, s *store.Store) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT toString(count()) || ' ' || toString(groupBitXor(cityHash64(requester_id, record_key, reporter, hit_set_id,
			hit_id, assignment_id, requester_name, title, reward, bonus, accepted_at, finished_at, duration_seconds, status,
			decided_at, allotted_seconds, source, received_at, version, currency))) FROM task_records`,
		`SELECT toString(count()) || ' ' || toString(groupBitXor(cityHash64(*))) FROM listing_snapshots`,
		`SELECT toString(count()) || ' ' || toString(groupBitXor(cityHash64(requester_id, reporter, pay, fairness,
			communication, promptness, text, tos_violation, broken_task, created_at))) FROM reviews`,
		`SELECT toString(count()) || ' ' || toString(groupBitXor(cityHash64(requester_id, name, first_seen))) FROM requesters`,
	} {
		var v string
		if err := s.QueryRow(context.Background(), q, nil, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// After MTurk closed the demo is an MTurk archive ending on 2026-09-30 and a live Prolific
// market up to Now, the same for the same seed and Now.
func TestDemoAfterMTurk(t *testing.T) {
	ctx := context.Background()
	h, _ := records.NewHasher([]byte("demo-test-key-0123456789"))
	now := time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC) // a Thursday
	week := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	o := demo.Options{Records: 1500, Submissions: 3000, Now: now, Archive: true}
	a, b := storetest.New(t), storetest.New(t)
	for _, s := range []*store.Store{a, b} {
		sum, err := demo.Load(ctx, s, h, o)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Records != 1500 || sum.Requesters != 40 || sum.Researchers != 20 || sum.Submissions != 3000 ||
			sum.Studies < 20 || sum.ProlificReviews == 0 {
			t.Fatalf("summary %+v", sum)
		}
		if !s.IsDemo(ctx) {
			t.Fatal("the store must be marked as demo data")
		}
	}
	da, db := tableDigests(t, a), tableDigests(t, b)
	for i := range da {
		if da[i] != db[i] {
			t.Fatalf("same seed and Now, different data: %v vs %v", da, db)
		}
	}

	// MTurk: everything on or before its closing day, and records in its last week (the home page's).
	var mturkRecords, lastWeek uint64
	var lastAt, lastDecided, lastReceived, lastSnap, lastExpiry, lastReview, lastUpdate time.Time
	for _, q := range []struct {
		sql  string
		dest []any
	}{
		{`SELECT count(), countIf(finished_at >= '2026-09-28'), max(coalesce(finished_at, accepted_at)), max(coalesce(decided_at, finished_at)), max(received_at)
			FROM task_records WHERE position(requester_id, ':') = 0`, []any{&mturkRecords, &lastWeek, &lastAt, &lastDecided, &lastReceived}},
		{`SELECT max(crawled_at), max(assumeNotNull(expires_at)) FROM listing_snapshots WHERE position(requester_id, ':') = 0`, []any{&lastSnap, &lastExpiry}},
		{`SELECT max(created_at) FROM reviews WHERE position(requester_id, ':') = 0`, []any{&lastReview}},
		{`SELECT max(updated_at) FROM requesters WHERE position(requester_id, ':') = 0`, []any{&lastUpdate}},
	} {
		if err := a.QueryRow(ctx, q.sql, nil, q.dest...); err != nil {
			t.Fatal(err)
		}
	}
	if mturkRecords != 1500 || lastWeek == 0 {
		t.Errorf("%d MTurk records, %d of them in its last week; want 1500, some", mturkRecords, lastWeek)
	}
	for name, at := range map[string]time.Time{"task": lastAt, "decision": lastDecided, "receipt": lastReceived,
		"listing snapshot": lastSnap, "listing expiry": lastExpiry, "review": lastReview, "requester update": lastUpdate} {
		if at.After(mturkLast) || at.Before(mturkLast.AddDate(0, 0, -7)) {
			t.Errorf("MTurk's last %s at %v: want in the week before %v", name, at, mturkLast)
		}
	}

	// Prolific: records in Now's week, in pounds and dollars, with screen-outs and time-outs;
	// none after Now.
	var inWeek, gbp, usd, screened, timedOut, later uint64
	if err := a.QueryRow(ctx, `SELECT countIf(at >= {week:DateTime64(3, 'UTC')}), countIf(at >= {week:DateTime64(3, 'UTC')} AND currency = 'GBP'),
		countIf(at >= {week:DateTime64(3, 'UTC')} AND currency = 'USD'), countIf(at >= {week:DateTime64(3, 'UTC')} AND status = 'screened_out'),
		countIf(at >= {week:DateTime64(3, 'UTC')} AND status = 'timed_out'), countIf(at > {now:DateTime64(3, 'UTC')} OR received_at > {now:DateTime64(3, 'UTC')})
		FROM (SELECT *, coalesce(finished_at, accepted_at) AS at FROM task_records WHERE startsWith(requester_id, 'prolific:'))`,
		store.Args{"week": week, "now": now}, &inWeek, &gbp, &usd, &screened, &timedOut, &later); err != nil {
		t.Fatal(err)
	}
	if inWeek == 0 || gbp == 0 || usd == 0 || screened == 0 || timedOut == 0 || later != 0 {
		t.Errorf("Prolific this week: %d records, %d GBP, %d USD, %d screened out, %d timed out; %d after Now", inWeek, gbp, usd, screened, timedOut, later)
	}

	// Every non-MTurk key is a Prolific key around a valid id; studies and submissions are Prolific-shaped.
	pro := platform.Get(platform.Prolific)
	for _, q := range []string{
		`SELECT DISTINCT requester_id, hit_set_id, assignment_id FROM task_records WHERE position(requester_id, ':') > 0`,
		`SELECT DISTINCT requester_id, '', '' FROM reviews WHERE position(requester_id, ':') > 0`,
		`SELECT DISTINCT requester_id, '', '' FROM requesters WHERE position(requester_id, ':') > 0`,
	} {
		rows, err := a.Query(ctx, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var key, study, sub string
			if err := rows.Scan(&key, &study, &sub); err != nil {
				t.Fatal(err)
			}
			p, id := platform.Split(key)
			if p != platform.Prolific || key != platform.Key(platform.Prolific, id) || !pro.ValidRequester(id) ||
				(study != "" && !pro.ValidGroup(study)) || (sub != "" && !pro.ValidTask(sub)) {
				t.Fatalf("%q: key %q, study %q, submission %q are not Prolific-shaped", q, key, study, sub)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		_ = rows.Close()
		if n == 0 {
			t.Errorf("%q: no Prolific rows", q)
		}
	}

	// Researchers: most with enough reporters for a grade; pay on either side of Prolific's floors
	// (£6 minimum, £9 recommended, on the time taken); screen-outs paid a small amount by some, nothing by others.
	var researchers, graded, under, over uint64
	if err := a.QueryRow(ctx, `SELECT count(), countIf(reporters >= 5), countIf(cur = 'GBP' AND hourly < 6), countIf(cur = 'GBP' AND hourly > 9)
		FROM (SELECT requester_id, uniqExact(reporter) AS reporters, any(currency) AS cur,
			toFloat64(sumIf(reward + bonus, status = 'approved')) / sumIf(duration_seconds, status = 'approved') * 3600 AS hourly
			FROM task_records WHERE startsWith(requester_id, 'prolific:') GROUP BY requester_id)`, nil,
		&researchers, &graded, &under, &over); err != nil {
		t.Fatal(err)
	}
	if researchers != 20 || graded < 16 || under == 0 || over == 0 {
		t.Errorf("%d researchers, %d with 5+ reporters, %d paying under £6/h, %d over £9/h", researchers, graded, under, over)
	}
	var screenShare float64
	var paidScreens, unpaidScreens, maxScreenPay, bonuses, unpaidHeavy uint64
	if err := a.QueryRow(ctx, `SELECT max(share), sum(paid), sum(unpaid), max(pay), (SELECT countIf(bonus > 0) FROM task_records WHERE startsWith(requester_id, 'prolific:')),
		(SELECT countIf(status IN ('returned', 'timed_out') AND bonus > 0) FROM task_records WHERE startsWith(requester_id, 'prolific:'))
		FROM (SELECT requester_id, avg(status = 'screened_out') AS share, countIf(status = 'screened_out' AND reward > 0) AS paid,
			countIf(status = 'screened_out' AND reward = 0) AS unpaid, toUInt64(maxIf(reward, status = 'screened_out') * 100) AS pay
			FROM task_records WHERE startsWith(requester_id, 'prolific:') GROUP BY requester_id)`, nil,
		&screenShare, &paidScreens, &unpaidScreens, &maxScreenPay, &bonuses, &unpaidHeavy); err != nil {
		t.Fatal(err)
	}
	if screenShare < 0.1 || paidScreens == 0 || unpaidScreens == 0 || maxScreenPay > 30 || bonuses == 0 || unpaidHeavy != 0 {
		t.Errorf("screen-outs: largest share %.2f, %d paid (up to %d pence), %d unpaid; %d bonuses, %d on unpaid statuses",
			screenShare, paidScreens, maxScreenPay, unpaidScreens, bonuses, unpaidHeavy)
	}
}

// A zero Now is the site's own demo: MTurk ends on its closing day whatever the date, and
// Prolific has records in the week of the Now the demo was made at.
func TestDemoZeroNowIsAfterMTurk(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, _ := records.NewHasher([]byte("demo-test-key-0123456789"))
	if _, err := demo.Load(ctx, s, h, demo.Options{Requesters: 5, Records: 300, Researchers: 5, Submissions: 300}); err != nil {
		t.Fatal(err)
	}
	made, err := s.Meta(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339, made)
	if err != nil {
		t.Fatalf("demo mark %q: %v", made, err)
	}
	week := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	week = week.AddDate(0, 0, -((int(week.Weekday()) + 6) % 7))
	var lastMTurk time.Time
	var thisWeek uint64
	if err := s.QueryRow(ctx, `SELECT maxIf(finished_at, position(requester_id, ':') = 0),
		countIf(startsWith(requester_id, 'prolific:') AND finished_at >= {week:DateTime64(3, 'UTC')}) FROM task_records`,
		store.Args{"week": week}, &lastMTurk, &thisWeek); err != nil {
		t.Fatal(err)
	}
	if lastMTurk.After(mturkLast) && now.After(mturkLast) {
		t.Errorf("MTurk's last task at %v, after its close", lastMTurk)
	}
	if thisWeek == 0 {
		t.Errorf("no Prolific records in the week of %v", now)
	}
}

// Archive changes nothing when Now is on or before MTurk's close, and without it a pinned later
// Now keeps MTurk's data in the weeks before Now (the fixtures written before MTurk closed).
func TestDemoArchiveOnlyCutsAfterTheClose(t *testing.T) {
	ctx := context.Background()
	h, _ := records.NewHasher([]byte("demo-test-key-0123456789"))
	before := time.Date(2026, 9, 20, 5, 0, 0, 0, time.UTC)
	a, b := storetest.New(t), storetest.New(t)
	if _, err := demo.Load(ctx, a, h, demo.Options{Records: 500, Now: before}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, b, h, demo.Options{Records: 500, Now: before, Archive: true}); err != nil {
		t.Fatal(err)
	}
	da, db := tableDigests(t, a), tableDigests(t, b)
	for i := range da {
		if da[i] != db[i] {
			t.Fatalf("Archive changed data that ends before the close: %v vs %v", da, db)
		}
	}

	c := storetest.New(t)
	later := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, c, h, demo.Options{Records: 500, Now: later}); err != nil {
		t.Fatal(err)
	}
	var last time.Time
	if err := c.QueryRow(ctx, `SELECT max(finished_at) FROM task_records WHERE position(requester_id, ':') = 0`, nil, &last); err != nil {
		t.Fatal(err)
	}
	if last.Before(later.AddDate(0, 0, -1)) || last.After(later) {
		t.Errorf("without Archive, MTurk's last task at %v; want in the day before %v", last, later)
	}
}
