package histories

import (
	"strings"
	"testing"
)

func TestMTurkHTML(t *testing.T) {
	items, r, err := mturkRead(t, WorkerHTML, "status_details_2025-11-14.html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	for _, it := range items[:2] {
		if it.Err != nil {
			t.Fatalf("line %d: %v", it.Line, it.Err)
		}
		mturkUntimed(t, it)
		if it.Input.FinishedAt != "2025-11-14T00:00:00-08:00" || it.Input.Currency != "USD" {
			t.Errorf("line %d: %+v", it.Line, it.Input)
		}
	}
	if in := items[0].Input; items[0].Line != 1 || in.HitID != "3TESTHITHTML00000000000000001" || in.AssignmentID != "3TESTASGHTML00000000000000001" ||
		in.RequesterName != "Sentence Lab & Friends" || in.Title != "Label 20 sentences – part 2" || in.Reward != "0.8" || in.Status != "Paid" {
		t.Errorf("first row %+v", in)
	}
	if in := items[1].Input; items[1].Line != 2 || in.Reward != "1.25" || in.Status != "Rejected" {
		t.Errorf("second row %+v", in)
	}
	if it := items[2]; it.Line != 4 || it.Err == nil {
		t.Errorf("a row that is not an object: %+v", it)
	}
	n, why := r.Skipped()
	if n != 3 || strings.Join(why, "; ") != "2 page parts not understood; 1 task still in progress (Assigned/Accepted) skipped" {
		t.Errorf("skipped %d %q", n, why)
	}
}

// Other pages' props carry the dashboard's days and the queue's accept times; single quotes and
// an unterminated attribute are taken in stride.
func TestMTurkHTMLOtherProps(t *testing.T) {
	page := `<html><div data-react-props='{"daily_hit_statistics_overview":[{"date":"2025-11-14","submitted":2,"earnings":1.5,"bonus_rewards":0.25}]}'></div>` +
		`<div data-react-props = "{&quot;tasks&quot;:[{&quot;task_id&quot;:&quot;3H&quot;,&quot;assignment_id&quot;:&quot;3A&quot;,&quot;accepted_at&quot;:&quot;2025-11-14T10:00:00Z&quot;,&quot;project&quot;:{&quot;hit_set_id&quot;:&quot;3G&quot;}}]}"></div>` +
		`<div data-react-props=unquoted></div><div data-react-props="{&quot;bodyData&quot;:[{&quot;hit_id`
	items, r, err := mturkReadBytes(t, WorkerHTML, []byte(page), Options{})
	if err != nil || len(items) != 0 {
		t.Fatalf("%v %d", err, len(items))
	}
	if d := r.Days(); len(d) != 1 || d[0].Earnings != "1.5" || d[0].Bonus != "0.25" {
		t.Errorf("days %+v", d)
	}
	if a := r.Accepts(); len(a) != 1 || a[0] != (Accept{AssignmentID: "3A", HitID: "3H", HitSetID: "3G", AcceptedAt: "2025-11-14T10:00:00Z"}) {
		t.Errorf("accepts %+v", a)
	}
	if n, why := r.Skipped(); n != 2 || why[0] != "2 page parts not understood" {
		t.Errorf("skipped %d %q", n, why)
	}
	// Rows need the page's date like the JSON page.
	rows := `<div data-react-props="{&quot;bodyData&quot;:[{&quot;hit_id&quot;:&quot;3H&quot;,&quot;state&quot;:&quot;Paid&quot;,&quot;reward&quot;:1}]}"></div>`
	if _, _, err := mturkReadBytes(t, WorkerHTML, []byte(rows), Options{Name: "page.html"}); err == nil || !strings.Contains(err.Error(), "--date") {
		t.Errorf("no date: %v", err)
	}
}
