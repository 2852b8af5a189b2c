package histories

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
)

func openJSON(t *testing.T, f Format, name string, opts Options) *prolificJSON {
	t.Helper()
	r, err := openProlific(f, prolificFile(t, name), opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format() != f {
		t.Errorf("Format() = %q, want %q", r.Format(), f)
	}
	return r.(*prolificJSON)
}

func TestProlificSubmissions(t *testing.T) {
	r := openJSON(t, ProlificSubs, "participant-submissions.json", Options{Studies: testStudies(t)})
	items := byLine(readItems(t, r))
	habits := func(in ingest.Input) ingest.Input {
		in.Platform, in.HitSetID, in.Title = "prolific", "6b1d00000000000000000c01", "Habit tracking survey"
		in.RequesterID, in.RequesterName = habitsLab, "Test Habits Lab"
		return in
	}
	want := map[int]ingest.Input{
		// The researcher from the study object; bonuses summed exactly.
		1: habits(ingest.Input{AssignmentID: "6c5b00000000000000000d01", Status: "APPROVED",
			AcceptedAt: "2026-03-25T02:52:58.886000Z", FinishedAt: "2026-03-25T03:10:01.000000Z", DurationSeconds: "1022",
			Reward: "2.67", Bonus: "0.33", Currency: "GBP"}),
		// Only study_id: title and researcher from the studies file.
		2: {Platform: "prolific", AssignmentID: "6c5b00000000000000000d02", Status: "SCREENED OUT",
			HitSetID: "6b1d00000000000000000c02", Title: "Tasks, chores and you", RequesterID: homeStudies, RequesterName: "Test <b>Home</b> Studies",
			AcceptedAt: "2026-03-26T09:00:00.000000Z", FinishedAt: "2026-03-26T09:04:10.000000Z", DurationSeconds: "250",
			Reward: "0.09", Bonus: "0.00", Currency: "USD"},
		// Returned: its end is when it was returned; no time taken.
		3: habits(ingest.Input{AssignmentID: "6c5b00000000000000000d03", Status: "RETURNED",
			AcceptedAt: "2026-03-27T10:00:00.000000Z", FinishedAt: "2026-03-27T10:07:00.000000Z",
			Reward: "0.00", Bonus: "0.00", Currency: "GBP"}),
		// A time taken of 0 is not a duration; bonus_payments null is no bonus stated.
		4: habits(ingest.Input{AssignmentID: "6c5b00000000000000000d04", Status: "AWAITING REVIEW",
			AcceptedAt: "2026-03-28T10:00:00.000000Z", FinishedAt: "2026-03-28T10:20:00.000000Z",
			Reward: "2.67", Currency: "GBP"}),
		5: habits(ingest.Input{AssignmentID: "6c5b00000000000000000d05", Status: "TIMED-OUT",
			AcceptedAt: "2026-03-28T11:00:00.000000Z", Reward: "2.67", Bonus: "0.00", Currency: "GBP"}),
	}
	wantErr := map[int][]string{
		9:  {"record 9", "bonus_payments", "GBP", "USD"},
		10: {"record 10", "submission_reward", `"1.5"`, "minor units"},
	}
	for line, in := range want {
		it := items[line]
		switch {
		case it == nil:
			t.Errorf("record %d: no item", line)
		case it.Err != nil:
			t.Errorf("record %d: %v", line, it.Err)
		case it.Input != in:
			t.Errorf("record %d:\n got %+v\nwant %+v", line, it.Input, in)
		}
	}
	for line, words := range wantErr {
		it := items[line]
		if it == nil || it.Err == nil {
			t.Errorf("record %d: want an error, got %+v", line, it)
			continue
		}
		for _, w := range words {
			if !strings.Contains(it.Err.Error(), w) {
				t.Errorf("record %d: error %q does not say %q", line, it.Err, w)
			}
		}
	}
	if len(items) != len(want)+len(wantErr)+1 {
		t.Errorf("%d items, want %d", len(items), len(want)+len(wantErr)+1)
	}
	// 6 RESERVED, 7 ACTIVE skipped; 8's study is in no studies file: kept, unattributed.
	if it := items[8]; it == nil || !it.Input.Unattributed || it.Input.RequesterID != "" {
		t.Errorf("record 8 = %+v, want an unattributed record", it)
	}
	n, why := r.Skipped()
	if n != 2 || len(why) != 2 || !strings.HasPrefix(why[0], "2 submissions still in progress") ||
		!strings.HasPrefix(why[1], "1 submissions could not be attributed") {
		t.Errorf("Skipped() = %d, %q", n, why)
	}
	if r.Unattributed() != 1 {
		t.Errorf("Unattributed() = %d, want 1", r.Unattributed())
	}
	if r.Studies() != nil {
		t.Errorf("Studies() = %v", r.Studies())
	}

	// Without a studies file a submission naming only its study's id cannot be attributed.
	r = openJSON(t, ProlificSubs, "participant-submissions.json", Options{})
	items = byLine(readItems(t, r))
	if items[2] == nil || !items[2].Input.Unattributed || r.Unattributed() != 5 { // 2 and 8, and 3, 4, 5 whose study objects name no researcher
		t.Errorf("without studies: record 2 = %+v, Unattributed() = %d", items[2], r.Unattributed())
	}
}

func TestProlificSubmissionsTruncated(t *testing.T) {
	r := openJSON(t, ProlificSubs, "participant-submissions-truncated.json", Options{})
	var n int
	for {
		_, err := r.Next()
		if err == nil {
			n++
			continue
		}
		if errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "record 3") {
			t.Errorf("after %d items: %v, want an error naming record 3", n, err)
		}
		if _, again := r.Next(); again != err {
			t.Errorf("Next after the error = %v", again)
		}
		break
	}
	if n != 2 { // records 1 and 2 (unattributed without a studies file)
		t.Errorf("%d items before the error, want 2", n)
	}

	for body, record := range map[string]string{
		`{"results": [{"id": "a", "study_id": "b"}, {"id": `:      "record 2",
		`{"results": [{"id": "a", "study_id": "b"},`:              "record 2",
		`{"results": [{"id": "a", "study_id": "b"}`:               "record 2",
		`{"results": [{"id": "a", "study_id": "b"} {"id": "c"}]}`: "record 2",
		`{"results": [{"id": "a", "study_id": "b", "x": tru}]}`:   "record 1",
	} {
		r, err := openProlific(ProlificSubs, strings.NewReader(body), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for err == nil {
			_, err = r.Next()
		}
		if errors.Is(err, io.EOF) || !strings.Contains(err.Error(), record) {
			t.Errorf("%s: %v, want an error naming %s", body, err, record)
		}
	}
	if _, err := openProlific(ProlificSubs, strings.NewReader(`{"_links": {}}`), Options{}); err == nil {
		t.Error("a file without results opened")
	}
}

// A record that is JSON but not a submission's shape is that record's error; the stream goes on.
func TestProlificSubmissionsBadRecord(t *testing.T) {
	body := `{"results": ["a string", {"id": "6c5b00000000000000000d01", "study": {"id": "s", "researcher": "r"},
		"submission_reward": {"amount": 100, "currency": "GBP"}, "bonus_payments": {"amount": 1}}, {"id": "x", "study": {"id": "s", "researcher": {"id": "r"}},
		"submission_reward": 5, "bonus_payments": [3, {"amount": 4}]}]}`
	r, err := openProlific(ProlificSubs, strings.NewReader(body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	items := readItems(t, r)
	if len(items) != 3 || items[0].Err == nil || items[0].Line != 1 || items[1].Err == nil || items[2].Err != nil {
		t.Fatalf("items = %+v", items)
	}
	if !strings.Contains(items[1].Err.Error(), "bonus_payments: is not a list") {
		t.Errorf("record 2: %v", items[1].Err)
	}
	// Bare numbers are minor units in the currency the record names elsewhere (here none).
	if in := items[2].Input; in.RequesterID != "r" || in.Reward != "0.05" || in.Bonus != "0.07" || in.Currency != "" {
		t.Errorf("record 3 = %+v", in)
	}
}

func TestProlificStudies(t *testing.T) {
	r := openJSON(t, ProlificStudy, "participant-studies.json", Options{})
	if items := readItems(t, r); len(items) != 0 {
		t.Errorf("a studies file gave %d task records", len(items))
	}
	studies := r.Studies()
	if len(studies) != 6 {
		t.Fatalf("%d studies, want 6: %+v", len(studies), studies)
	}
	want := Study{ID: "6b1d00000000000000000c01", Name: "Habit tracking survey", ResearcherID: habitsLab, ResearcherName: "Test Habits Lab",
		Currency: "GBP", Reward: "2.67", HourlyRate: "10.68", EstimatedMinutes: 15, MaxMinutes: 60, AverageSeconds: 950,
		Places: 400, PlacesTaken: 388, PublishedAt: "2026-03-24T09:30:00.123Z"}
	if studies[0] != want {
		t.Errorf("study 1:\n got %+v\nwant %+v", studies[0], want)
	}
	if s := studies[3]; s.Currency != "USD" || s.Reward != "0.45" || s.HourlyRate != "9.00" || s.PublishedAt != "" || s.Places != 0 {
		t.Errorf("study 4 = %+v", s)
	}
	if s := studies[4]; s.HourlyRate != "" || s.Reward != "3.00" {
		t.Errorf("study 5 = %+v", s)
	}
	n, why := r.Skipped()
	if n != 1 || len(why) != 1 || !strings.Contains(why[0], "record 7: no id") {
		t.Errorf("Skipped() = %d, %q", n, why)
	}

	if _, err := ReadStudies(prolificFile(t, "participant-submissions.json")); err == nil || !strings.Contains(err.Error(), "not a study listing") {
		t.Errorf("ReadStudies(a submissions file) = %v, want an error", err)
	}

	old, err := ReadStudies(prolificFile(t, "participant-studies-2020.json"))
	if err != nil {
		t.Fatal(err)
	}
	want = Study{ID: "5d0e00000000000000000201", Name: "Word pairs", ResearcherID: "7a11aa00000000000000b004", ResearcherName: "Test Language Unit",
		Currency: "GBP", Reward: "1.33", HourlyRate: "7.99", EstimatedMinutes: 10, Places: 60, PlacesTaken: 12,
		PublishedAt: "2020-02-03T11:00:00Z"}
	if len(old) != 1 || old[0] != want {
		t.Errorf("2020 schema:\n got %+v\nwant %+v", old, want)
	}
}

func TestAttributionByName(t *testing.T) {
	a := newAttribution(Options{Studies: testStudies(t)})
	for name, want := range map[string][3]string{
		"Habit tracking survey": {habitsLab, "Test Habits Lab", "6b1d00000000000000000c01"},
		"Quick poll":            {"", "", ""}, // two researchers' studies: nobody is guessed
		"Reaction times":        {speedGroup, "Test Speed Group", ""},
		"habit tracking survey": {"", "", ""}, // names match exactly
		"Nobody's":              {"", "", ""},
	} {
		if r, n, s := a.byStudyName(name); [3]string{r, n, s} != want {
			t.Errorf("byStudyName(%q) = %q, %q, %q; want %q", name, r, n, s, want)
		}
	}
}
