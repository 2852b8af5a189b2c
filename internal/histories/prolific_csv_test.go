package histories

import (
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
)

const (
	habitsLab   = "7a11aa00000000000000b001"
	homeStudies = "7a11aa00000000000000b002"
	speedGroup  = "7a11aa00000000000000b003"
)

func openCSV(t *testing.T, name string, opts Options) *prolificCSV {
	t.Helper()
	r, err := openProlific(ProlificCSV, prolificFile(t, name), opts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format() != ProlificCSV {
		t.Errorf("Format() = %q", r.Format())
	}
	return r.(*prolificCSV)
}

// byLine indexes items by their line.
func byLine(items []*ingest.Item) map[int]*ingest.Item {
	m := map[int]*ingest.Item{}
	for _, it := range items {
		m[it.Line] = it
	}
	return m
}

func TestProlificCSV(t *testing.T) {
	r := openCSV(t, "submissions-history.csv", Options{Studies: testStudies(t)})
	items := byLine(readItems(t, r))
	habits := func(in ingest.Input) ingest.Input {
		in.Platform, in.RequesterID, in.RequesterName, in.HitSetID = "prolific", habitsLab, "Test Habits Lab", "6b1d00000000000000000c01"
		in.Title = "Habit tracking survey"
		return in
	}
	want := map[int]ingest.Input{
		2: habits(ingest.Input{Reward: "2.67", Bonus: "0.33", Currency: "GBP", Status: "APPROVED",
			AcceptedAt: "2026-03-25T02:52:58.886Z", FinishedAt: "2026-03-25T03:10:01Z"}),
		// A quoted comma in the title; times without fractions; attributed by the studies file.
		3: {Platform: "prolific", RequesterID: homeStudies, RequesterName: "Test <b>Home</b> Studies", HitSetID: "6b1d00000000000000000c02",
			Title: "Tasks, chores and you", Reward: "1.50", Bonus: "0.00", Currency: "USD", Status: "SCREENED OUT",
			AcceptedAt: "2026-03-26T09:00:00Z", FinishedAt: "2026-03-26T09:04:10Z"},
		// Returned: a start and no completion.
		4: habits(ingest.Input{Reward: "2.67", Currency: "GBP", Status: "RETURNED", AcceptedAt: "2026-03-27T10:00:00Z"}),
		// No times at all: an untimed record, kept.
		5: habits(ingest.Input{Reward: "2.67", Bonus: "0.00", Currency: "GBP", Status: "APPROVED"}),
		6: habits(ingest.Input{Reward: "4.20", Currency: "EUR", Status: "AWAITING REVIEW",
			AcceptedAt: "2026-03-28T10:00:00Z", FinishedAt: "2026-03-28T10:20:00Z"}),
		7: habits(ingest.Input{Reward: "10.00", Currency: "CAD", Status: "TIMED-OUT",
			AcceptedAt: "2026-03-28T11:00:00Z", FinishedAt: "2026-03-28T11:30:00Z"}),
		8: habits(ingest.Input{Reward: "5.25", Bonus: "0.75", Currency: "AUD", Status: "APPROVED",
			AcceptedAt: "2026-03-28T12:00:00Z", FinishedAt: "2026-03-28T12:30:00Z"}),
		9: habits(ingest.Input{Reward: "7.50", Bonus: "1.00", Currency: "USD", Status: "APPROVED",
			AcceptedAt: "2026-03-28T13:00:00Z", FinishedAt: "2026-03-28T13:30:00Z"}),
		// Two studies of that name, one researcher: the study id is not known.
		16: {Platform: "prolific", RequesterID: speedGroup, RequesterName: "Test Speed Group", Title: "Reaction times",
			Reward: "3.00", Currency: "GBP", Status: "APPROVED", AcceptedAt: "2026-03-29T11:00:00Z", FinishedAt: "2026-03-29T11:21:00Z"},
		20: habits(ingest.Input{Reward: "1234.50", Currency: "GBP", Status: "APPROVED",
			AcceptedAt: "2026-04-02T09:00:00Z", FinishedAt: "2026-04-02T09:15:00Z"}),
	}
	wantErr := map[int][]string{
		10: {"line 10", `"Reward"`, "kr", "SEK"},                        // kr: which krona?
		11: {"line 11", `"Bonus"`, "USD", "GBP"},                        // bonus in another currency
		17: {"line 17", `"Started At"`, `"Completed At"`, "not a time"}, // both times bad
		18: {"line 18", `"Completed At"`, "missing"},                    // a short row
		19: {"line 19", "column", `"`},                                  // a bare quote
	}
	for line, in := range want {
		it := items[line]
		switch {
		case it == nil:
			t.Errorf("line %d: no item", line)
		case it.Err != nil:
			t.Errorf("line %d: %v", line, it.Err)
		case it.Input != in:
			t.Errorf("line %d:\n got %+v\nwant %+v", line, it.Input, in)
		}
	}
	for line, words := range wantErr {
		it := items[line]
		if it == nil || it.Err == nil {
			t.Errorf("line %d: want an error, got %+v", line, it)
			continue
		}
		for _, w := range words {
			if !strings.Contains(it.Err.Error(), w) {
				t.Errorf("line %d: error %q does not say %q", line, it.Err, w)
			}
		}
	}
	// In progress rows (12, 13) are not items; unattributed ones (14: unknown study; 15: two
	// researchers' studies share the name) are, marked for the participant's own figures only,
	// with no researcher guessed.
	for _, line := range []int{12, 13} {
		if items[line] != nil {
			t.Errorf("line %d: got an item %+v", line, items[line])
		}
	}
	for _, line := range []int{14, 15} {
		if it := items[line]; it == nil || it.Err != nil || !it.Input.Unattributed || it.Input.RequesterID != "" {
			t.Errorf("line %d: %+v, want an unattributed record", line, it)
		}
	}
	if len(items) != len(want)+len(wantErr)+2 {
		t.Errorf("%d items, want %d", len(items), len(want)+len(wantErr)+2)
	}
	n, why := r.Skipped()
	if n != 2 || len(why) != 2 || !strings.HasPrefix(why[0], "2 submissions still in progress") ||
		why[1] != "2 rows could not be attributed to a researcher (give --researcher or a studies file): kept for your own figures only" {
		t.Errorf("Skipped() = %d, %q", n, why)
	}
	if r.Unattributed() != 2 {
		t.Errorf("Unattributed() = %d, want 2", r.Unattributed())
	}
	if r.Days() != nil || r.Studies() != nil || r.Accepts() != nil {
		t.Error("a CSV holds no days, studies or accepts")
	}
}

func TestProlificCSVAttribution(t *testing.T) {
	// Nothing to attribute by: every finished, readable row is unattributed.
	r := openCSV(t, "submissions-history.csv", Options{})
	for _, it := range readItems(t, r) {
		if it.Err == nil && (it.Input.RequesterID != "" || !it.Input.Unattributed) {
			t.Errorf("line %d attributed to %q with nothing to attribute by", it.Line, it.Input.RequesterID)
		}
	}
	if r.Unattributed() != 12 {
		t.Errorf("Unattributed() = %d, want 12", r.Unattributed())
	}

	// --researcher: every row is that researcher's; a study of the name that is theirs gives its id.
	r = openCSV(t, "submissions-history.csv", Options{Researcher: habitsLab, Studies: testStudies(t)})
	items := byLine(readItems(t, r))
	for line, want := range map[int][3]string{
		2:  {habitsLab, "Test Habits Lab", "6b1d00000000000000000c01"},
		3:  {habitsLab, "", ""}, // the studies file says another researcher's: no study id
		14: {habitsLab, "", ""},
		15: {habitsLab, "", ""},
	} {
		it := items[line]
		if it == nil || it.Err != nil {
			t.Errorf("line %d: %+v", line, it)
			continue
		}
		if got := [3]string{string(it.Input.RequesterID), string(it.Input.RequesterName), string(it.Input.HitSetID)}; got != want {
			t.Errorf("line %d: requester, name, study = %q, want %q", line, got, want)
		}
	}
	if r.Unattributed() != 0 {
		t.Errorf("Unattributed() = %d with --researcher", r.Unattributed())
	}
}

func TestProlificCSVHeader(t *testing.T) {
	// Column order, case, spaces and extra columns do not matter.
	r := openCSV(t, "submissions-history-reordered.csv", Options{Researcher: habitsLab})
	items := readItems(t, r)
	want := ingest.Input{Platform: "prolific", RequesterID: habitsLab, Title: "Habit tracking survey", Reward: "2.67", Bonus: "0.10",
		Currency: "GBP", Status: "APPROVED", AcceptedAt: "2026-03-25T02:52:58Z", FinishedAt: "2026-03-25T03:10:01Z"}
	if len(items) != 1 || items[0].Err != nil || items[0].Input != want || items[0].Line != 2 {
		t.Errorf("items = %+v, want one at line 2: %+v", items, want)
	}

	_, err := openProlific(ProlificCSV, prolificFile(t, "submissions-history-noheader.csv"), Options{})
	if err == nil || !strings.Contains(err.Error(), "Bonus, Completed At, Completion Code") {
		t.Errorf("open without Bonus, Completed At, Completion Code: %v", err)
	}
	if _, err := openProlific(ProlificCSV, strings.NewReader(""), Options{}); err == nil {
		t.Error("open of an empty file did not fail")
	}
}

func TestCSVMoney(t *testing.T) {
	for in, want := range map[string][2]string{
		"":          {"", ""},
		"£2.67":     {"2.67", "GBP"},
		"$1.50":     {"1.50", "USD"},
		"US$1.50":   {"1.50", "USD"},
		"€4.20":     {"4.20", "EUR"},
		"4,20 €":    {"4.20", "EUR"},
		"CA$10.00":  {"10.00", "CAD"},
		"A$5.25":    {"5.25", "AUD"},
		"7.50 USD":  {"7.50", "USD"},
		"usd 7.5":   {"7.5", "USD"},
		"$7.50 USD": {"7.50", "USD"},
		"2.25":      {"2.25", ""},
		"£1,000":    {"1000", "GBP"},
		"£1,234.50": {"1234.50", "GBP"},
		"€1.234,50": {"1234.50", "EUR"},
		"-£0.50":    {"-0.50", "GBP"},
	} {
		amount, cur, err := csvMoney(in)
		if err != nil || [2]string{amount, cur} != want {
			t.Errorf("csvMoney(%q) = %q, %q, %v; want %q", in, amount, cur, err, want)
		}
	}
	for _, in := range []string{"kr50,25", "50,25 kr", "¥300", "£", "£2.67 USD", "£2..5", "£2.", "£2.5.5", "₿1.00", "12.50 DOLLARS"} {
		if a, c, err := csvMoney(in); err == nil {
			t.Errorf("csvMoney(%q) = %q, %q; want an error", in, a, c)
		}
	}
}
