package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// A worker's MTurk Suite backup (own values, the tool's shape): rewards as objects, a null
// currency, Paid and local states, an answer that must never be stored, days with a string
// earnings and a null count.
const suiteBackup = `{"days": [
  {"date": "20260901", "assigned": 4, "returned": 1, "abandoned": null, "submitted": 3, "approved": 1, "rejected": 1,
   "paid": 1, "pending": 0, "earnings": "2.90", "day": {}},
  {"date": "20260902", "assigned": 1, "returned": 0, "abandoned": 0, "submitted": 1, "approved": 0, "rejected": 0,
   "paid": 0, "pending": 1, "earnings": 0, "day": {}}
 ],
 "hits": [
  {"hit_id": "3HISTHIT0000000000000000000001", "assignment_id": "3HISTASG0000000000000000000001", "requester_id": "A9HISTREQLAB01",
   "requester_name": "Archive Lab", "title": "Ten minute survey", "reward": {"amount_in_dollars": 1.9, "currency_code": "USD"},
   "state": "Paid", "date": "20260901", "requester_feedback": null, "source": "https://example.org/s?a=1",
   "answer": {"q1": "SECRET-ANSWER-7Q2"}},
  {"hit_id": "3HISTHIT0000000000000000000002", "assignment_id": "3HISTASG0000000000000000000002", "requester_id": "A9HISTREQLAB01",
   "requester_name": "Archive Lab", "title": "Ten minute survey", "reward": {"amount_in_dollars": 1.00, "currency_code": null},
   "state": "Rejected", "date": "20260901", "requester_feedback": "attention check"},
  {"hit_id": "3HISTHIT0000000000000000000003", "assignment_id": "3HISTASG0000000000000000000003", "requester_id": "A9HISTREQLAB01",
   "requester_name": "Archive Lab", "title": "Ten minute survey", "reward": {"amount_in_dollars": 1.00, "currency_code": "USD"},
   "state": "Returned", "date": "20260901", "requester_feedback": null},
  {"hit_id": "3HISTHIT0000000000000000000004", "assignment_id": "3HISTASG0000000000000000000004", "requester_id": "A9HISTREQLAB01",
   "requester_name": "Archive Lab", "title": "Ten minute survey", "reward": {"amount_in_dollars": 1.00, "currency_code": "USD"},
   "state": "Pending", "date": "20260902", "requester_feedback": null},
  {"hit_id": "3HISTHIT0000000000000000000005", "assignment_id": "3HISTASG0000000000000000000005", "requester_id": "A9HISTREQLAB01",
   "requester_name": "Archive Lab", "title": "Ten minute survey", "reward": {"amount_in_dollars": 1.00, "currency_code": "USD"},
   "state": "Accepted", "date": "20260902", "requester_feedback": null}
 ]}`

// The same worker's saved status-details page for 2026-09-01: two of the backup's tasks again.
const statusPage = `{"results": [
  {"assignment_id": "3HISTASG0000000000000000000001", "hit_id": "3HISTHIT0000000000000000000001", "state": "Paid",
   "title": "Ten minute survey", "requester_id": "A9HISTREQLAB01", "requester_name": "Archive Lab", "requester_feedback": null,
   "reward": {"currency_code": "USD", "amount_in_dollars": 1.9}},
  {"assignment_id": "3HISTASG0000000000000000000002", "hit_id": "3HISTHIT0000000000000000000002", "state": "Rejected",
   "title": "Ten minute survey", "requester_id": "A9HISTREQLAB01", "requester_name": "Archive Lab", "requester_feedback": "attention check",
   "reward": {"currency_code": "USD", "amount_in_dollars": 1.0}}
 ], "page_number": 1, "num_results": 2, "total_num_results": 2}`

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportHistories: a saved MTurk Suite backup imports in one command, detected, as untimed
// records that move the requester's approval figures; the same tasks in a status-details page
// count once; importing again doubles nothing; a truncated backup fails and stores nothing of
// itself; the answer a worker submitted is stored nowhere.
func TestImportHistories(t *testing.T) {
	ctx := context.Background()
	dir := storetest.DataDir(t)
	files := t.TempDir()
	backup := writeFile(t, files, "HIT_Tracker_Backup_20260930.json", suiteBackup)
	page := writeFile(t, files, "status_details-2026-09-01-page1.json", statusPage)
	run := func(args ...string) (string, error) {
		var out strings.Builder
		err := dispatch(ctx, append([]string{"import", "--data", dir, "--worker-id", "A1HISTWORKER01"}, args...), &out)
		return out.String(), err
	}

	out, err := run(backup)
	if err != nil {
		t.Fatalf("import backup: %v\n%s", err, out)
	}
	// Four tasks (the one still Accepted is skipped, not rejected), two days of statistics.
	for _, want := range []string{"mturk-suite, 4 read, 4 stored, 0 duplicates, 0 rejected", "4 of the records have no time on task",
		"1 task still in progress", "2 days of the worker's daily statistics kept"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// A saved queue page gives the pending task its accept time (still no time on task: no submit time).
	queue := writeFile(t, files, "tasks.json", `{"tasks": [{"task_id": "3HISTHIT0000000000000000000004", "assignment_id": "3HISTASG0000000000000000000004",
		"accepted_at": "2026-09-02T16:20:00.000Z", "deadline": "2026-09-02T17:20:00.000Z", "time_to_deadline_in_seconds": 3600, "state": "Assigned",
		"project": {"hit_set_id": "3HISTGRP0000000000000000000001", "requester_id": "A9HISTREQLAB01", "title": "Ten minute survey"}}]}`)
	out, err = run(queue, backup, page)
	if err != nil {
		t.Fatalf("import page and backup again: %v\n%s", err, out)
	}
	if !strings.Contains(out, "status-details, 2 read") || !strings.Contains(out, "mturk-suite, 4 read, 0 stored, 4 duplicates") {
		t.Errorf("second import report:\n%s", out)
	}
	// A backup cut off in the middle: refused whole, nothing of it stored.
	cut := writeFile(t, files, "HIT_Tracker_Backup_20261001.json",
		strings.Replace(suiteBackup[:len(suiteBackup)*2/3], "3HISTASG00000000000000000000", "3HISTASG00000000000000000009", -1))
	out, err = run(cut)
	if err == nil || !strings.Contains(err.Error(), "nothing of this file was stored") || !strings.Contains(err.Error(), "cut off at byte") {
		t.Errorf("truncated backup: %v\n%s", err, out)
	}
	// A backup whose brackets close but whose fourth record is not JSON: its first three records
	// are read (and stored) before the break, then taken back.
	broken := strings.Replace(suiteBackup, `"state": "Pending",`, `"state": "Pending",,`, 1)
	broken = strings.ReplaceAll(broken, "3HISTASG0000000000000000000", "3HISTASG0000000000000000008")
	out, err = run(writeFile(t, files, "HIT_Tracker_Backup_20261002.json", broken))
	if err == nil || !strings.Contains(err.Error(), "nothing of this file was stored") || !strings.Contains(err.Error(), "record 4") {
		t.Errorf("malformed backup: %v\n%s", err, out)
	}

	s, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n, days uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM task_records FINAL WHERE requester_id = 'A9HISTREQLAB01'", nil, &n); err != nil || n != 4 {
		t.Errorf("%d records stored (%v), want the backup's 4: the page's two are the same tasks, the cut file stores none", n, err)
	}
	if err := s.QueryRow(ctx, "SELECT count() FROM worker_days FINAL WHERE day IN ('2026-09-01', '2026-09-02')", nil, &days); err != nil || days != 2 {
		t.Errorf("%d days of statistics (%v), want 2", days, err)
	}
	var accepted string
	if err := s.QueryRow(ctx, "SELECT toString(accepted_at) FROM task_records FINAL WHERE assignment_id = '3HISTASG0000000000000000000004'",
		nil, &accepted); err != nil || !strings.HasPrefix(accepted, "2026-09-02 16:20:00") {
		t.Errorf("the queue's accept time: %q (%v)", accepted, err)
	}
	var kinds string
	if err := s.QueryRow(ctx, "SELECT arrayStringConcat(arraySort(groupUniqArray(source_kind)), ',') FROM task_records FINAL WHERE requester_id = 'A9HISTREQLAB01'", nil, &kinds); err != nil ||
		kinds != "import:mturk-suite,import:status-details" {
		t.Errorf("source kinds %q (%v)", kinds, err)
	}

	// Untimed records move approvals, not wages: 1 approved (Paid), 1 rejected, 1 returned, 1 pending.
	w := wages.New(s, wages.Config{})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	f, err := w.Requester(ctx, "A9HISTREQLAB01")
	if err != nil {
		t.Fatal(err)
	}
	if f.Records != 4 || f.Untimed != 4 || f.Approved != 1 || f.Rejected != 1 || f.Returned != 1 || f.Pending != 1 ||
		f.Reporters != 1 || f.EffectiveHourly != nil || f.Paid != 0 {
		t.Errorf("figures %+v", f.Figures)
	}
	// $1.90 + $1.00 + $1.00 offered by the submitted tasks (the returned one offered nothing).
	if f.UntimedOffered != 3.90 {
		t.Errorf("untimed offered = %v, want 3.90", f.UntimedOffered)
	}

	// The answer is stored nowhere: no String column of any table holds it.
	assertNowhere(t, s, "SECRET-ANSWER-7Q2")
	assertNowhere(t, s, "example.org/s?a=1")
}

// assertNowhere searches every text column of every table of the store for needle.
func assertNowhere(t *testing.T, s *store.Store, needle string) {
	t.Helper()
	ctx := context.Background()
	rows, err := s.Query(ctx, `SELECT table, name FROM system.columns WHERE database = currentDatabase()
		AND type LIKE '%String%' AND table NOT LIKE '.inner%'`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var tb, c string
		if err := rows.Scan(&tb, &c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, [2]string{tb, c})
	}
	rows.Close()
	if len(cols) < 10 {
		t.Fatalf("only %d text columns found", len(cols))
	}
	for _, c := range cols {
		var n uint64
		q := "SELECT count() FROM `" + c[0] + "` WHERE position(toString(`" + c[1] + "`), {n:String}) > 0"
		if err := s.QueryRow(ctx, q, store.Args{"n": needle}, &n); err != nil {
			continue // a view that cannot be read alone, say
		}
		if n > 0 {
			t.Errorf("%q found in %s.%s", needle, c[0], c[1])
		}
	}
}
