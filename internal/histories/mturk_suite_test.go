package histories

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

var mturkNow = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

func TestMTurkSuite(t *testing.T) {
	items, r, err := mturkRead(t, HitTracker, "HIT_Tracker_Backup_20251202.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format() != HitTracker {
		t.Errorf("format %q", r.Format())
	}
	type want struct {
		line                          int
		hit, asg, reward, cur, status string
		finished                      string
		bad                           bool
	}
	wants := []want{
		{1, "3TESTHITSUITE000000000000000A1", "3TESTASGSUITE000000000000000A1", "2.35", "USD", "Paid", "2025-11-04T00:00:00-08:00", false},
		{2, "3TESTHITSUITE000000000000000A2", "3TESTASGSUITE000000000000000A2", "2.35", "USD", "Rejected", "2025-11-05T00:00:00-08:00", false},
		{3, "3TESTHITSUITE000000000000000A3", "", "0.07", "USD", "Approved", "2025-12-01T00:00:00-08:00", false}, // currency_code null
		{4, "3TESTHITSUITE000000000000000A4", "", "0.07", "USD", "Returned", "2025-12-01T00:00:00-08:00", false},
		// 5 Assigned and 6 Accepted are skipped
		{7, "3TESTHITSUITE000000000000000A7", "", "1.10", "EUR", "Pending", "2025-12-02T00:00:00-08:00", false},
		{8, "3TESTHITSUITE000000000000000A8", "", "abc", "USD", "Submitted", "2025-12-02T00:00:00-08:00", false},
		{9, "", "", "", "", "", "", true},  // a string, not a hit
		{10, "", "", "", "", "", "", true}, // 2025-13-45
		{11, "3TESTHITSUITE000000000000000B2", "", "0", "USD", "Paid", "2025-03-10T00:00:00-07:00", false}, // daylight time
	}
	if len(items) != len(wants) {
		t.Fatalf("%d items, want %d", len(items), len(wants))
	}
	for i, w := range wants {
		it := items[i]
		if it.Line != w.line || (it.Err != nil) != w.bad {
			t.Errorf("item %d: line %d err %v, want line %d bad %v", i, it.Line, it.Err, w.line, w.bad)
			continue
		}
		if w.bad {
			if !strings.Contains(it.Err.Error(), fmt.Sprintf("record %d of \"hits\"", w.line)) {
				t.Errorf("line %d: error %q does not say where", w.line, it.Err)
			}
			continue
		}
		mturkUntimed(t, it)
		in := it.Input
		got := want{it.Line, string(in.HitID), string(in.AssignmentID), string(in.Reward), string(in.Currency), string(in.Status), string(in.FinishedAt), false}
		if got != w {
			t.Errorf("item %d:\n got %+v\nwant %+v", i, got, w)
		}
		if in.AcceptedAt != "" || in.HitSetID != "" || in.Bonus != "" {
			t.Errorf("line %d: accepted %q hit set %q bonus %q", it.Line, in.AcceptedAt, in.HitSetID, in.Bonus)
		}
	}
	if in := items[2].Input; in.RequesterID != "A2TESTREQUESTER02" || in.RequesterName != "Pictures & <i>Co</i>" || in.Title != "Box the cats" {
		t.Errorf("requester and title: %+v", in)
	}
	n, why := r.Skipped()
	if n != 2 || len(why) != 1 || why[0] != "2 tasks still in progress (Assigned/Accepted) skipped" {
		t.Errorf("skipped %d %q", n, why)
	}
	days := r.Days()
	if len(days) != 3 {
		t.Fatalf("days %+v", days)
	}
	d := days[1]
	if d.Date != "2025-11-05" || d.Pending != nil || d.Rejected == nil || *d.Rejected != 1 || d.Earnings != "0.00" {
		t.Errorf("day with a null count and string earnings: %+v", d)
	}
	if d := days[0]; d.Earnings != "2.35" || *d.Paid != 1 || *d.Submitted != 1 || d.Returned == nil {
		t.Errorf("first day %+v", d)
	}
	if r.Studies() != nil || r.Accepts() != nil {
		t.Error("studies or accepts from a backup")
	}
}

// Hits and days may be objects keyed by id, in either order, beside other keys.
func TestMTurkSuiteKeyed(t *testing.T) {
	items, r, err := mturkRead(t, HitTracker, "HIT_Tracker_Backup_keyed.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].Line != 1 || items[1].Line != 2 {
		t.Fatalf("items %+v", items)
	}
	for _, it := range items {
		mturkUntimed(t, it)
	}
	if items[1].Input.HitID != "3TESTHITKEYED00000000000000002" || items[1].Input.Reward != "1.60" {
		t.Errorf("keyed hit without hit_id: %+v", items[1].Input)
	}
	days := r.Days()
	if len(days) != 2 || days[0].Date != "2025-10-01" || days[0].Earnings != "3.20" ||
		days[1].Date != "2025-10-02" || days[1].Submitted != nil || days[1].Earnings != "" {
		t.Errorf("days %+v", days)
	}
}

// A saved queue page's accept time replaces the day: never both (Check would make a time on
// task of midnight to accept).
func TestMTurkSuiteQueue(t *testing.T) {
	opts := Options{Queue: []Accept{
		{AssignmentID: "3TESTASGSUITE000000000000000A2", AcceptedAt: "2025-11-05T18:00:00Z"},
		{HitID: "3TESTHITSUITE000000000000000A3", AcceptedAt: "2025-12-01T20:00:00Z"},
	}}
	items, _, err := mturkRead(t, HitTracker, "HIT_Tracker_Backup_20251202.json", opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, at := range []string{"", "2025-11-05T18:00:00Z", "2025-12-01T20:00:00Z", ""} {
		in := items[i].Input
		mturkUntimed(t, items[i])
		if string(in.AcceptedAt) != at || (at == "") != (in.FinishedAt != "") {
			t.Errorf("item %d: accepted %q finished %q", i, in.AcceptedAt, in.FinishedAt)
		}
	}
}

// A truncated or malformed file is an error that says where, never a quiet end.
func TestMTurkSuiteBroken(t *testing.T) {
	whole := mturkBackup(50)
	for _, cut := range []int{1, 10, 200, len(whole) / 2, len(whole) - 30, len(whole) - 2, len(whole) - 1} {
		_, _, err := mturkReadBytes(t, HitTracker, whole[:cut], Options{})
		if err == nil || !strings.Contains(err.Error(), "byte") {
			t.Errorf("cut at %d of %d: %v", cut, len(whole), err)
		}
	}
	if _, _, err := mturkReadBytes(t, HitTracker, whole, Options{}); err != nil {
		t.Errorf("whole file: %v", err)
	}
	for _, s := range []string{
		`{"hits": [{"hit_id": "A",, "date": "20250101"}]}`,
		`{"hits": 5}`,
		`[{"hit_id": "A"}]`,
		`{"hits": [], "days": []} {"more": 1}`,
		`{"hits": [{"date": "20250101"}] "days": []}`,
	} {
		items, _, err := mturkReadBytes(t, HitTracker, []byte(s), Options{})
		if err == nil {
			t.Errorf("%s: no error (%d items)", s, len(items))
		}
	}
	items, _, err := mturkReadBytes(t, HitTracker, []byte(`{"hits": [{"hit_id": "A",, "date": "20250101"}]}`), Options{})
	if err == nil || !strings.Contains(err.Error(), `record 1 of "hits"`) || len(items) != 0 {
		t.Errorf("malformed first hit: %v, %d items", err, len(items))
	}
	// null hits and days are empty, not errors
	if items, _, err := mturkReadBytes(t, HitTracker, []byte(`{"hits": null, "days": null}`), Options{}); err != nil || len(items) != 0 {
		t.Errorf("null hits: %v %d", err, len(items))
	}
}

// mturkBackup makes a backup of n hits in MTurk Suite's shape, with days after the hits.
func mturkBackup(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"hits": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(mturkBackupHit(i))
	}
	b.WriteString(`], "days": [{"date": "20260901", "submitted": 3, "paid": null, "earnings": "4.50"}]}`)
	return []byte(b.String())
}

func mturkBackupHit(i int) []byte {
	return fmt.Appendf(nil, `{"hit_id": "3BENCHHIT%021d", "assignment_id": "3BENCHASG%021d", "requester_id": "A%013d", `+
		`"requester_name": "Requester %d", "title": "Task number %d of a long backup", "reward": {"amount_in_dollars": %d.%02d, "currency_code": "USD"}, `+
		`"state": "Paid", "date": "202609%02d", "requester_feedback": null, "source": "https://example.invalid/?a=%d", "answer": {"q1": "an answer"}}`,
		i, i, i%5000, i%5000, i, i%3, i%100, 1+i%28, i)
}

// A backup whose "hits" key comes twice is refused, not read for ever (it once repeated the
// first hit without end).
func TestMTurkSuiteHitsTwice(t *testing.T) {
	hit := `{"hit_id": "3TWICEHIT00000000000000000001", "requester_id": "A1TWICEREQ0001", "reward": {"amount_in_dollars": 1}, "state": "Paid", "date": "20260901"}`
	r, err := openMTurk(HitTracker, strings.NewReader(`{"hits": [`+hit+`], "days": [], "hits": [`+hit+`]}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; ; n++ {
		_, err := r.Next()
		if err == nil && n < 5 {
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "appears twice") {
			t.Fatalf("after %d items: %v, want an error saying hits appears twice", n, err)
		}
		break
	}
}

// A backup cut inside the keys after "hits" names the byte where it was cut, counted in the
// whole file (not from where the fast reading of the hits ended).
func TestMTurkSuiteCutAfterHits(t *testing.T) {
	hit := `{"hit_id": "3CUTHIT0000000000000000000001", "requester_id": "A1CUTREQ00001", "reward": {"amount_in_dollars": 1}, "state": "Paid", "date": "20260901"}`
	doc := `{"hits": [` + hit + `], "days": [{"date": "20260901", "submitted": 1}, {"date": "2026`
	r, err := openMTurk(HitTracker, strings.NewReader(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err = r.Next(); err != nil {
			break
		}
	}
	var at int
	if err == io.EOF || !strings.Contains(err.Error(), `of "days"`) {
		t.Fatalf("error %v, want one naming a record of days", err)
	}
	if _, serr := fmt.Sscanf(err.Error()[strings.Index(err.Error(), "(byte "):], "(byte %d)", &at); serr != nil ||
		at < strings.Index(doc, `"days"`) || at > len(doc) {
		t.Errorf("error %v names byte %d; the days run from %d to %d", err, at, strings.Index(doc, `"days"`), len(doc))
	}
}
