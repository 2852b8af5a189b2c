package export_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// task is one assignment as its requester knows it: who did it, in which group, when, for what.
type task struct {
	requester, group, worker string
	finished                 time.Time
	reward                   string
}

// insertTasks stores tasks as worker reports (each took 5 minutes and was approved).
func insertTasks(t *testing.T, s *store.Store, tasks []task) {
	t.Helper()
	h, err := records.NewHasher([]byte("export-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	for i, k := range tasks {
		fin := k.finished
		acc := fin.Add(-5 * time.Minute)
		dec := fin.Add(26 * time.Hour)
		recs = append(recs, records.Record{RequesterID: k.requester, Reporter: h.Reporter("worker", k.worker), HitSetID: k.group,
			AssignmentID: fmt.Sprintf("ASSIGN%04d", i), RequesterName: "Lab " + k.requester, Title: "Task of " + k.group,
			Reward: decimal.RequireFromString(k.reward), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 300,
			Status: records.Approved, DecidedAt: &dec, AllottedSeconds: 1800, Source: "test", ReceivedAt: fin.Add(time.Minute)})
	}
	if err := records.Insert(context.Background(), s, recs); err != nil {
		t.Fatal(err)
	}
}

// cut is what a row shows of a time at its time_unit, as the export writes it.
func cut(at time.Time, unit string) string {
	switch unit {
	case "hour":
		at = at.Truncate(time.Hour)
	case "day":
		at = at.Truncate(24 * time.Hour)
	case "week":
		at = at.Truncate(24*time.Hour).AddDate(0, 0, -(int(at.Weekday())+6)%7)
	}
	return at.Format(time.DateTime)
}

// TestRequesterCannotFollowItsWorkers plays the attack of issue 22: a requester that knows its own
// assignments (who did each, its hour, group and reward) finds them in a records export, takes
// their reporter pseudonyms, and looks for the same workers' tasks for other requesters. It must
// find none, although those tasks are in the export.
func TestRequesterCannotFollowItsWorkers(t *testing.T) {
	s := storetest.New(t)
	day := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC) // a Tuesday
	var tasks []task
	six := []string{"W1", "W2", "W3", "W4", "W5", "W6"}
	for i, w := range six {
		// The attacker: six workers in one hour (published by the hour) and once more each on
		// another day, alone in its hour (published by the day).
		tasks = append(tasks, task{"RATTACKER", "GATTACK", w, day.Add(10*time.Hour + time.Duration(5+i)*time.Minute), "0.80"},
			task{"RATTACKER", "GATTACK", w, day.AddDate(0, 0, 1).Add(time.Duration(8+i) * time.Hour), "0.80"})
		// The same workers' tasks for two other requesters, in the same hours as some of the attacker's.
		tasks = append(tasks, task{"ROTHERLAB", "GOTHER", w, day.Add(10*time.Hour + time.Duration(30+i)*time.Minute), "1.20"},
			task{"ROTHERLAB", "GOTHER", w, day.Add(14*time.Hour + time.Duration(i)*time.Minute), "1.20"},
			task{"RTHIRDLAB", "GTHIRD", w, day.AddDate(0, 0, 2).Add(time.Duration(9+i) * time.Hour), "2.00"})
	}
	insertTasks(t, s, tasks)
	e := &export.Exporter{Store: s, Revision: "test"}
	rows := table(t, e, export.Options{Dataset: "records", Format: "csv", From: day, To: day.AddDate(0, 0, 7)})
	if len(rows) != len(tasks) {
		t.Fatalf("export holds %d rows, want all %d (every cell has 6 reporters at some unit)", len(rows), len(tasks))
	}

	// The attacker's view: its own assignments, matched to rows by what it knows.
	others := 0
	for _, r := range rows {
		if r["requester_id"] != "RATTACKER" {
			others++
		}
	}
	if others != 18 {
		t.Fatalf("the export holds %d rows of the other requesters, want 18: the attack needs something to find", others)
	}
	for _, target := range six {
		found := map[string]bool{}
		for _, k := range tasks {
			if k.requester != "RATTACKER" || k.worker != target {
				continue
			}
			for _, r := range rows {
				if r["requester_id"] == k.requester && (r["hit_set_id"] == k.group || r["hit_set_id"] == "") &&
					r["reward"] == strings.TrimRight(strings.TrimRight(k.reward, "0"), ".") &&
					r["finished_hour"] == cut(k.finished, r["time_unit"]) {
					found[r["reporter"]] = true
				}
			}
		}
		if len(found) == 0 {
			t.Fatalf("the attacker found no row of its own assignments by %s: the test does not play the attack", target)
		}
		for _, r := range rows {
			if r["requester_id"] != "RATTACKER" && found[r["reporter"]] {
				t.Errorf("the attacker follows %s to a task for %s: row %v", target, r["requester_id"], r)
			}
		}
	}

	// One pseudonym per worker and requester: 6 workers x 3 requesters.
	pseudonyms := map[string]bool{}
	for _, r := range rows {
		pseudonyms[r["reporter"]] = true
	}
	if len(pseudonyms) != 18 {
		t.Errorf("%d distinct pseudonyms, want 18 (one per worker and requester)", len(pseudonyms))
	}

	// The workers dataset has the same workers' totals across requesters, but nothing to join on.
	ws := table(t, e, export.Options{Dataset: "workers", Format: "csv", From: day, To: day.AddDate(0, 0, 7)})
	if len(ws) != 6 || len(ws[0]) != 5 || ws[0]["reporter"] != "" || ws[0]["requester_id"] != "" {
		t.Errorf("workers: %v, want six identical rows without pseudonym or requester", ws)
	}
}

// TestOverlappingRangesCannotIsolate: a requester's five reporters work in one hour, and a sixth
// joins them late in that hour, so the hour is published with six reporters. Two exports whose
// ranges end before and after the sixth reporter's tasks would differ by that reporter's rows alone
// if ranges could end mid-week. Ranges widen to whole weeks, so every two exports differ by whole
// weeks, and what differs holds at least k reporters of each requester and of each published group
// and time.
func TestOverlappingRangesCannotIsolate(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	mon := time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC) // week 2026-W46
	var tasks []task
	for wk := range 2 {
		for i, w := range []string{"W1", "W2", "W3", "W4", "W5"} {
			at := mon.AddDate(0, 0, 7*wk).Add(10*time.Hour + time.Duration(i)*7*time.Minute)
			tasks = append(tasks, task{"RDIFFLAB", "GDIFF", w, at, "0.90"}, task{"RDIFFLAB", "GDIFF", w, at.AddDate(0, 0, 3).Add(5 * time.Hour), "0.90"})
		}
	}
	// The sixth reporter: Thursday of the second week, 15:40 and 15:50, after the others' 15:00-15:28.
	thu := mon.AddDate(0, 0, 10).Add(15 * time.Hour)
	tasks = append(tasks, task{"RDIFFLAB", "GDIFF", "W9", thu.Add(40 * time.Minute), "0.90"}, task{"RDIFFLAB", "GDIFF", "W9", thu.Add(50 * time.Minute), "0.90"})
	insertTasks(t, s, tasks)

	// Ranges ending at 15:30 and at 16:00 would differ by one reporter's rows: the attack is real on this data.
	var alone uint64
	if err := s.QueryRow(ctx, `SELECT uniqExact(reporter) FROM wage_records WHERE requester_id = 'RDIFFLAB'
		AND at >= {b:DateTime64(3, 'UTC')} AND at < {c:DateTime64(3, 'UTC')}`,
		store.Args{"b": thu.Add(30 * time.Minute), "c": thu.Add(time.Hour)}, &alone); err != nil {
		t.Fatal(err)
	}
	if alone != 1 {
		t.Fatalf("%d reporters between 15:30 and 16:00 on Thursday, want 1", alone)
	}

	e := &export.Exporter{Store: s, Revision: "test"}
	days := []time.Time{{}, mon, mon.AddDate(0, 0, 2), mon.AddDate(0, 0, 7), mon.AddDate(0, 0, 9), thu.Add(30 * time.Minute),
		thu.Add(time.Hour), mon.AddDate(0, 0, 14)}
	type ranged struct {
		from, to time.Time
		rows     []map[string]string
	}
	var exps []ranged
	for _, from := range days {
		for _, to := range append(days[1:], time.Time{}) {
			if !from.IsZero() && !to.IsZero() && !from.Before(to) {
				continue
			}
			o := export.Options{Dataset: "records", Format: "csv", From: from, To: to}
			about, err := e.About(ctx, &o)
			if err != nil {
				t.Fatal(err)
			}
			if o.From.Weekday() != time.Monday && !o.From.IsZero() || o.To.Weekday() != time.Monday && !o.To.IsZero() ||
				!strings.Contains(about.Stamp, "; weeks: ") {
				t.Errorf("[%v, %v) exported as [%v, %v), stamp %q: want whole ISO weeks, named in the stamp", from, to, o.From, o.To, about.Stamp)
			}
			exps = append(exps, ranged{from, to, table(t, e, o)})
		}
	}
	for _, x := range exps {
		if x.from.IsZero() && x.to.IsZero() && len(x.rows) != 22 {
			t.Errorf("the whole range holds %d rows, want all 22 (the hour with the sixth reporter has six)", len(x.rows))
		}
	}
	// What two exports differ by (rows of one, less the rows of the other, pseudonyms aside) shows
	// each requester, group and time with at least k reporters of the larger export, or not at all.
	key := func(r map[string]string) string {
		return strings.Join([]string{r["requester_id"], r["hit_set_id"], r["time_unit"], r["finished_hour"], r["accepted_hour"],
			r["decided_hour"], r["week"], r["reward"], r["seconds"], r["status"]}, "|")
	}
	for _, a := range exps {
		for _, b := range exps {
			left := map[string]int{}
			for _, r := range b.rows {
				left[key(r)]++
			}
			requesters, cells := map[string]map[string]bool{}, map[string]map[string]bool{}
			add := func(m map[string]map[string]bool, k, reporter string) {
				if m[k] == nil {
					m[k] = map[string]bool{}
				}
				m[k][reporter] = true
			}
			for _, r := range a.rows {
				if left[key(r)] > 0 {
					left[key(r)]--
					continue
				}
				add(requesters, r["requester_id"], r["reporter"])
				add(cells, r["requester_id"]+"|"+r["hit_set_id"]+"|"+r["time_unit"]+"|"+r["finished_hour"], r["reporter"])
			}
			for _, m := range []map[string]map[string]bool{requesters, cells} {
				for k, reporters := range m {
					if len(reporters) < export.MinK {
						t.Errorf("[%v, %v) less [%v, %v): %s rests on %d reporters", a.from, a.to, b.from, b.to, k, len(reporters))
					}
				}
			}
		}
	}
}

// TestWeekAlignment: from moves back to its Monday, to on to the next Monday unless it is one, and
// the stamp names the weeks.
func TestWeekAlignment(t *testing.T) {
	e := &export.Exporter{Store: storetest.New(t), Revision: "test"}
	for _, c := range []struct {
		from, to string
		weeks    string
	}{
		{"2026-11-18", "2026-11-20", "2026-11-16 to 2026-11-22 (whole ISO weeks)"},
		{"2026-11-16", "2026-11-23", "2026-11-16 to 2026-11-22 (whole ISO weeks)"},
		{"2026-11-22T23:00:00Z", "2026-11-23T00:00:01Z", "2026-11-16 to 2026-11-29 (whole ISO weeks)"},
		{"2026-11-01T10:00:00+14:00", "", "2026-10-26 to the last week (whole ISO weeks)"},
		{"", "2026-11-17", "the first week to 2026-11-22 (whole ISO weeks)"},
		{"", "", "all"},
	} {
		from, _ := export.ParseTime("from", c.from)
		to, _ := export.ParseTime("to", c.to)
		o := export.Options{Dataset: "records", Format: "csv", From: from, To: to}
		a, err := e.About(context.Background(), &o)
		if err != nil {
			t.Fatal(err)
		}
		if a.Weeks != c.weeks || !strings.Contains(a.Stamp, "; weeks: "+c.weeks+"; k=5") {
			t.Errorf("[%s, %s): weeks %q, stamp %q; want %q", c.from, c.to, a.Weeks, a.Stamp, c.weeks)
		}
	}
	o := export.Options{Dataset: "requesters", Format: "csv"}
	if a, err := e.About(context.Background(), &o); err != nil || a.Weeks != "" || strings.Contains(a.Stamp, "weeks") {
		t.Errorf("requesters (no range): %+v, %v", a, err)
	}
}
