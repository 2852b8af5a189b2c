package histories

import (
	"strings"
	"testing"
)

func TestMTurkHitDB(t *testing.T) {
	items, r, err := mturkRead(t, HitDB, "hitdb_20170615.bak", Options{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		line                                 int
		hit, reward, bonus, status, finished string
	}
	wants := []want{
		{1, "3TESTHITHITDB00000000000000001", "1.05", "0.25", "Paid", "2017-06-14T00:00:00-07:00"},
		{2, "3TESTHITHITDB00000000000000002", "0.4", "0.1", "Approved - Pending Payment", "2017-06-14T00:00:00-07:00"}, // {"pay", "bonus"}
		{3, "3TESTHITHITDB00000000000000003", "0.40", "", "Pending Approval", "2017-06-15T00:00:00-07:00"},
		{4, "3TESTHITHITDB00000000000000004", "0.40", "", "Rejected", "2017-06-15T00:00:00-07:00"},
	}
	if len(items) != len(wants) {
		t.Fatalf("%d items", len(items))
	}
	for i, w := range wants {
		it := items[i]
		if it.Err != nil {
			t.Fatalf("line %d: %v", it.Line, it.Err)
		}
		mturkUntimed(t, it)
		in := it.Input
		got := want{it.Line, string(in.HitID), string(in.Reward), string(in.Bonus), string(in.Status), string(in.FinishedAt)}
		if got != w || in.Currency != "USD" || in.AssignmentID != "" || in.HitSetID != "" {
			t.Errorf("item %d:\n got %+v %+v\nwant %+v", i, got, in, w)
		}
	}
	if in := items[1].Input; in.RequesterID != "A2TESTREQUESTER02" || in.RequesterName != "Pictures Co" || in.Title != "Transcribe a receipt" {
		t.Errorf("requester and title %+v", in)
	}
	days := r.Days()
	if len(days) != 2 || days[0].Date != "2017-06-14" || *days[0].Pending != 1 || days[0].Earnings != "1.30" || days[1].Earnings != "0.00" {
		t.Errorf("STATS %+v", days)
	}
	if n, _ := r.Skipped(); n != 0 {
		t.Errorf("skipped %d", n)
	}
	// Keys present only when they have records: a backup of notes alone has no tasks.
	items, r, err = mturkReadBytes(t, HitDB, []byte(`{"NOTES": [{"note": "x"}]}`), Options{})
	if err != nil || len(items) != 0 || r.Days() != nil {
		t.Errorf("notes only: %v %d %v", err, len(items), r.Days())
	}
	_, _, err = mturkReadBytes(t, HitDB, []byte(`{"HIT": [{"hitId": "3X", "date": "2017-06-14"}, {"hitId": "3Y", "da`), Options{})
	if err == nil || !strings.Contains(err.Error(), `record 2 of "HIT"`) {
		t.Errorf("truncated: %v", err)
	}
}

func TestMTurkHitDBCSV(t *testing.T) {
	items, r, err := mturkRead(t, HitDBCSV, "hitdb_queryResults.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 4 {
		t.Fatalf("%d items", len(items))
	}
	type want struct {
		line                                        int
		hit, title, reward, bonus, status, finished string
	}
	wants := []want{
		{2, "3TESTHITHITDB00000000000000001", "Opinion survey", "1.05", "0.25", "Paid", "2017-06-14T00:00:00-07:00"}, // "$1.05"
		{3, "3TESTHITHITDB00000000000000002", `Transcribe a "receipt"`, "0.40", "0.10", "Approved - Pending Payment", "2017-06-14T00:00:00-07:00"},
		{4, "3TESTHITHITDB00000000000000005", `Tag "four" images, please`, "0.20", "", "Rejected", "2017-06-16T00:00:00-07:00"},
	}
	for i, w := range wants {
		it := items[i]
		if it.Err != nil {
			t.Fatalf("line %d: %v", it.Line, it.Err)
		}
		mturkUntimed(t, it)
		in := it.Input
		got := want{it.Line, string(in.HitID), string(in.Title), string(in.Reward), string(in.Bonus), string(in.Status), string(in.FinishedAt)}
		if got != w || in.Currency != "USD" || in.RequesterID != "A2TESTREQUESTER02" && i > 0 {
			t.Errorf("item %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	if it := items[3]; it.Err == nil || it.Line != 5 || !strings.Contains(it.Err.Error(), "line 5") {
		t.Errorf("bad date row: %+v", it)
	}
	if r.Days() != nil {
		t.Error("days from the export")
	}
	in := "hitId\tdate\tstatus\n3A\t2017-01-02\tAccepted\n3B\t2017-01-02\tAssigned\n"
	items, r, err = mturkReadBytes(t, HitDBCSV, []byte(in), Options{})
	if n, why := r.Skipped(); err != nil || len(items) != 0 || n != 2 || why[0] != "2 tasks still in progress (Assigned/Accepted) skipped" {
		t.Errorf("in progress: %v %d %d %q", err, len(items), n, why)
	}
	if _, _, err := mturkReadBytes(t, HitDBCSV, nil, Options{}); err == nil {
		t.Error("empty export: no error")
	}
}
