package main

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// A participant's saved studies list (Prolific's 2026 schema, own values): one study of
// researcher 5a1b... paying £2.25, advertised at £9.00/h for an estimated 15 minutes.
const prolificStudies = `{"results": [{"id": "6a1b2c3d4e5f60718293a4b5", "name": "Choices under a deadline", "study_type": "SINGLE",
  "date_created": "2026-11-29T09:00:00.000000Z", "published_at": "2026-11-29T10:00:00.000000Z",
  "total_available_places": 200, "places_taken": 80, "study_reward": {"amount": 225, "currency": "GBP"},
  "study_average_reward_per_hour": {"amount": 900, "currency": "GBP"},
  "researcher": {"id": "5a1b2c3d4e5f60718293a4b5", "name": "Deadline Lab", "country": "GB"},
  "description": "A study.", "estimated_completion_time": 15, "maximum_allowed_time": 60,
  "average_completion_time_in_seconds": 1000, "is_ongoing_study": false, "study_labels": []}],
 "_links": {"next": {"href": null}}}`

// The same participant's submission-history download: an approval with a bonus, a paid
// screen-out with microseconds, a return with no completion time, and a study of a researcher no
// studies file names (a quoted comma in its title).
const prolificCSV = "Study,Reward,Bonus,Started At,Completed At,Completion Code,Status\n" +
	"Choices under a deadline,£2.25,£0.50,2026-11-30 10:00:00.000000,2026-11-30 10:15:00.000000,CODE0001,APPROVED\n" +
	"Choices under a deadline,£0.10,£0.00,2026-11-30 11:00:00.250000,2026-11-30 11:05:00.250000,SCRN0001,SCREENED OUT\n" +
	"Choices under a deadline,£2.25,£0.00,2026-11-30 12:00:00,,,RETURNED\n" +
	"\"Shapes, colours and you\",£1.00,£0.00,2026-11-30 13:00:00,2026-11-30 13:06:00,CODE0002,APPROVED\n"

// Saved participant submissions JSON: a study given as an object with its researcher, and one
// given only by id (attributed through the studies file); bonuses in minor units.
const prolificSubmissions = `{"results": [
 {"id": "6b0000000000000000000001", "status": "APPROVED",
  "study": {"id": "6a1b2c3d4e5f60718293a4b6", "name": "Reaction times", "researcher": {"id": "5a1b2c3d4e5f60718293a4b6", "name": "Timing Lab"}},
  "started_at": "2026-12-01T09:00:00.000000Z", "completed_at": "2026-12-01T09:20:00.000000Z", "returned_at": null,
  "time_taken": 1200, "submission_reward": {"amount": 300, "currency": "GBP"},
  "bonus_payments": [{"amount": 25, "currency": "GBP"}, {"amount": 5, "currency": "GBP"}], "is_complete": true, "completion_code": "RT01"},
 {"id": "6b0000000000000000000002", "status": "TIMED-OUT",
  "study": {"id": "6a1b2c3d4e5f60718293a4b6", "name": "Reaction times", "researcher": {"id": "5a1b2c3d4e5f60718293a4b6", "name": "Timing Lab"}},
  "started_at": "2026-12-01T10:00:00.000000Z", "completed_at": "2026-12-01T10:40:00.000000Z", "returned_at": null,
  "time_taken": 2400, "submission_reward": {"amount": 300, "currency": "GBP"}, "bonus_payments": [], "is_complete": false, "completion_code": null},
 {"id": "6b0000000000000000000003", "status": "ACTIVE",
  "study": {"id": "6a1b2c3d4e5f60718293a4b6", "name": "Reaction times", "researcher": {"id": "5a1b2c3d4e5f60718293a4b6", "name": "Timing Lab"}},
  "started_at": "2026-12-01T11:00:00.000000Z", "completed_at": null, "returned_at": null,
  "time_taken": null, "submission_reward": {"amount": 300, "currency": "GBP"}, "bonus_payments": [], "is_complete": false, "completion_code": null}
 ]}`

// TestImportProlific: Prolific's files import to the expected records and figures, worked out
// here to the penny; rows that no studies file attributes are counted and reported, not guessed.
func TestImportProlific(t *testing.T) {
	ctx := context.Background()
	dir := storetest.DataDir(t)
	files := t.TempDir()
	studies := writeFile(t, files, "studies.json", prolificStudies)
	csv := writeFile(t, files, "submissions-history.csv", prolificCSV)
	subs := writeFile(t, files, "submissions.json", prolificSubmissions)
	var out strings.Builder
	if err := dispatch(ctx, []string{"import", "--data", dir, "--worker-id", "6c00000000000000000000aa", "--studies", studies, csv, subs}, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"studies.json: 1 study listings stored",
		"prolific-csv, 4 read, 4 stored, 0 duplicates, 0 rejected",
		"1 rows could not be attributed to a researcher (give --researcher or a studies file): kept for your own figures only",
		"prolific-submissions, 2 read, 2 stored",
		"1 of the records have no time on task", // the return without a completion time
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	s, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := wages.New(s, wages.Config{})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	// Deadline Lab: the approval paid £2.25 + £0.50 in 15 min, the screen-out £0.10 in 5 min: £2.85
	// in 1,200 s, £8.55/h. The return has no time: counted, not in the wage.
	f, err := w.Requester(ctx, "prolific:5a1b2c3d4e5f60718293a4b5")
	if err != nil {
		t.Fatal(err)
	}
	if f.Currency != "GBP" || f.Records != 3 || f.Untimed != 1 || f.Approved != 1 || f.ScreenedOut != 1 || f.Returned != 1 ||
		pennies(f.Paid) != 285 || f.EffectiveSeconds != 1200 || f.EffectiveHourly == nil || pennies(*f.EffectiveHourly) != 855 {
		t.Errorf("Deadline Lab: %+v (effective %v)", f, deref(f.EffectiveHourly))
	}
	// Timing Lab: £3.00 + £0.25 + £0.05 in 20 min, and 40 unpaid minutes timed out: £3.30 in 3,600 s.
	g, err := w.Requester(ctx, "prolific:5a1b2c3d4e5f60718293a4b6")
	if err != nil {
		t.Fatal(err)
	}
	if g.Records != 2 || g.Untimed != 0 || g.TimedOut != 1 || pennies(g.Paid) != 330 || g.EffectiveHourly == nil || pennies(*g.EffectiveHourly) != 330 {
		t.Errorf("Timing Lab: %+v (effective %v)", g, deref(g.EffectiveHourly))
	}
	// The row no studies file attributes is kept for the participant's own figures, under no
	// researcher: in no researcher's figures nor the market's (wages' TestUnattributedOwnFiguresOnly).
	var own uint64
	if err := s.QueryRow(ctx, `SELECT count() FROM wage_records WHERE requester_id = 'prolific:' AND flag = 'unattributed'
		AND title = 'Shapes, colours and you'`, nil, &own); err != nil || own != 1 {
		t.Errorf("%d unattributed records kept (%v), want 1", own, err)
	}
	var counted uint64 // what any figure but the participant's own reads: unflagged records
	if err := s.QueryRow(ctx, `SELECT count() FROM wage_records WHERE flag = '' AND title = 'Shapes, colours and you'`, nil, &counted); err != nil || counted != 0 {
		t.Errorf("%d unattributed records among the counted ones (%v)", counted, err)
	}
	if _, err := w.Requester(ctx, "prolific:"); err == nil {
		t.Errorf("figures for the researcher-less key")
	}
	var listed uint64
	if err := s.QueryRow(ctx, `SELECT count() FROM listing_snapshots WHERE requester_id = 'prolific:5a1b2c3d4e5f60718293a4b5'
		AND advertised_hourly = 9 AND estimated_seconds = 900 AND places = 200 AND assignable_hits = 120`, nil, &listed); err != nil || listed != 1 {
		t.Errorf("study listing: %d rows as expected (%v)", listed, err)
	}
}

// pennies rounds an amount to whole pennies (cents), as the site shows it.
func pennies(v float64) int64 { return int64(math.Round(v * 100)) }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
