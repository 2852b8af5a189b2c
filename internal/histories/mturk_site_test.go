package histories

import (
	"strings"
	"testing"
)

func TestMTurkStatusDetails(t *testing.T) {
	items, r, err := mturkRead(t, StatusDetails, "status_details-2025-11-14-page2.json", Options{Date: "2020-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	for i, it := range items {
		mturkUntimed(t, it)
		in := it.Input
		if it.Line != i+1 || in.FinishedAt != "2025-11-14T00:00:00-08:00" || in.Currency != "USD" || in.RequesterID != "A4TESTREQUESTER04" {
			t.Errorf("item %d: line %d %+v", i, it.Line, in)
		}
	}
	if in := items[0].Input; in.AssignmentID != "3TESTASGSTATUS000000000000001" || in.HitID != "3TESTHITSTATUS000000000000001" ||
		in.Reward != "0.8" || in.Status != "Approved" || in.Title != "Label 20 sentences" {
		t.Errorf("first %+v", in)
	}
	if in := items[1].Input; in.Reward != "0.80" || in.Status != "Submitted" {
		t.Errorf("second %+v", in)
	}
	if n, why := r.Skipped(); n != 1 || why[0] != "1 task still in progress (Assigned/Accepted) skipped" {
		t.Errorf("skipped %d %q", n, why)
	}
}

// The page's date is in its URL only: the file name, else --date, else an error.
func TestMTurkStatusDetailsDate(t *testing.T) {
	page := `{"results": [{"assignment_id": "3A", "hit_id": "3H", "state": "Paid", "requester_id": "A1", "reward": {"currency_code": "USD", "amount_in_dollars": 1}}]}`
	for _, c := range []struct{ name, date, want, err string }{
		{"saved/status_details-2024-03-10-page3.json", "", "2024-03-10T00:00:00-08:00", ""},
		{`C:\Users\w\2024-07-04.json`, "", "2024-07-04T00:00:00-07:00", ""},
		{"page.json", "2024-02-29", "2024-02-29T00:00:00-08:00", ""},
		{"page-2024-99-99.json", "2024-05-01", "2024-05-01T00:00:00-07:00", ""},
		{"page.json", "", "", "--date"},
		{"page.json", "29/02/2024", "", "--date"},
	} {
		items, _, err := mturkReadBytes(t, StatusDetails, []byte(page), Options{Name: c.name, Date: c.date})
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) || len(items) != 0 {
				t.Errorf("%s %s: %v, %d items", c.name, c.date, err, len(items))
			}
		case err != nil || len(items) != 1 || string(items[0].Input.FinishedAt) != c.want:
			t.Errorf("%s %s: %v %v", c.name, c.date, err, items)
		}
	}
	// An empty page needs no date.
	if items, _, err := mturkReadBytes(t, StatusDetails, []byte(`{"results": [], "num_results": 0}`), Options{Name: "p.json"}); err != nil || len(items) != 0 {
		t.Errorf("empty page: %v %d", err, len(items))
	}
}

func TestMTurkDashboard(t *testing.T) {
	items, r, err := mturkRead(t, Dashboard, "dashboard.json", Options{})
	if err != nil || len(items) != 0 {
		t.Fatalf("%v, %d items", err, len(items))
	}
	days := r.Days()
	if len(days) != 2 {
		t.Fatalf("days %+v", days)
	}
	if d := days[0]; d.Date != "2025-11-14" || *d.Submitted != 4 || *d.Approved != 3 || *d.Rejected != 1 || *d.Pending != 0 ||
		d.Earnings != "2.90" || d.Bonus != "0.5" || d.Paid != nil {
		t.Errorf("first day %+v", d)
	}
	if d := days[1]; d.Submitted != nil || d.Earnings != "0.80" || d.Bonus != "0" {
		t.Errorf("second day %+v", d)
	}
	if _, _, err := mturkReadBytes(t, Dashboard, []byte(`{"daily_hit_statistics_overview": [{"date": "2025-11-14"`), Options{}); err == nil {
		t.Error("truncated dashboard: no error")
	}
}

func TestMTurkQueue(t *testing.T) {
	items, r, err := mturkRead(t, Queue, "tasks.json", Options{})
	if err != nil || len(items) != 0 {
		t.Fatalf("%v, %d items", err, len(items))
	}
	acc := r.Accepts()
	want := Accept{AssignmentID: "3TESTASGQUEUE0000000000000001", HitID: "3TESTHITQUEUE0000000000000001",
		HitSetID: "3TESTGRPQUEUE0000000000000001", AcceptedAt: "2025-11-14T17:45:03.000Z"}
	if len(acc) != 1 || acc[0] != want {
		t.Errorf("accepts %+v", acc)
	}
	if n, why := r.Skipped(); n != 1 || why[0] != "1 queue task without a readable accepted_at skipped" {
		t.Errorf("skipped %d %q", n, why)
	}
	// The accept times go to the status-details page of the same tasks.
	page := `{"results": [{"assignment_id": "3TESTASGQUEUE0000000000000001", "hit_id": "3TESTHITQUEUE0000000000000001", "state": "Approved", "requester_id": "A4TESTREQUESTER04", "reward": {"currency_code": "USD", "amount_in_dollars": 0.8}}]}`
	items, _, err = mturkReadBytes(t, StatusDetails, []byte(page), Options{Name: "2025-11-14.json", Queue: acc})
	if err != nil || len(items) != 1 || items[0].Input.AcceptedAt != "2025-11-14T17:45:03.000Z" || items[0].Input.FinishedAt != "" {
		t.Errorf("with the queue: %v %+v", err, items)
	}
}
