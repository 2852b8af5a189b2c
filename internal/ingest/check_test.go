package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
)

var checkNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func goodInput() Input {
	return Input{
		HitSetID:        "3HWGRP000000000000000000000001",
		HitID:           "3HWHIT000000000000000000000001",
		AssignmentID:    "3HWASG000000000000000000000001",
		RequesterID:     "A3HWTESTREQ0001",
		RequesterName:   "Harbor Survey Lab",
		Title:           "Quick survey",
		Reward:          "0.75",
		Bonus:           "0.10",
		AcceptedAt:      "2026-11-20T14:00:00Z",
		FinishedAt:      "2026-11-20T14:06:30Z",
		Status:          "approved",
		DecidedAt:       "2026-11-22T09:00:00Z",
		AllottedSeconds: "1800",
	}
}

func TestCheckGood(t *testing.T) {
	in := goodInput()
	r, probs := Check(&in, checkNow)
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if r.DurationSeconds != 390 || r.Status != records.Approved || r.Reward.String() != "0.75" || r.Bonus.String() != "0.1" ||
		r.AllottedSeconds != 1800 || r.AcceptedAt == nil || !r.AcceptedAt.Equal(time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)) ||
		r.Key() != "3HWASG000000000000000000000001" {
		t.Fatalf("record %+v", r)
	}
	// Missing status means submitted; a duration alone is enough.
	in = Input{RequesterID: "A3HWTESTREQ0001", Reward: "$0.05", DurationSeconds: "1:35"}
	r, probs = Check(&in, checkNow)
	if len(probs) > 0 || r.Status != records.Submitted || r.DurationSeconds != 95 || r.Reward.String() != "0.05" {
		t.Fatalf("minimal record %+v %v", r, probs)
	}
	// Untimed: a status and a reward, the day it finished, no time on task (a saved history's).
	in = Input{RequesterID: "A3HWTESTREQ0001", Reward: "1.50", Status: "Paid", FinishedAt: "2026-09-03T00:00:00-07:00"}
	r, probs = Check(&in, checkNow)
	if len(probs) > 0 || r.Status != records.Approved || r.DurationSeconds != 0 || r.Timed() || r.FinishedAt == nil {
		t.Fatalf("untimed record %+v %v", r, probs)
	}
}

func TestCheckBad(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(in *Input)
		field string
		msg   string
	}{
		{"unknown status", func(in *Input) { in.Status = "done" }, "status", "not one of"},
		{"negative reward", func(in *Input) { in.Reward = "-0.50" }, "reward", "negative"},
		{"negative bonus", func(in *Input) { in.Bonus = "-1" }, "bonus", "negative"},
		{"reward not money", func(in *Input) { in.Reward = "lots" }, "reward", "not an amount"},
		{"reward fractions of a cent", func(in *Input) { in.Reward = "0.125" }, "reward", "fractions of a cent"},
		{"reward missing", func(in *Input) { in.Reward = "" }, "reward", "required"},
		{"duration under 1 s", func(in *Input) { in.DurationSeconds = "0.4" }, "duration_seconds", "under 1 second"},
		{"duration over 24 h", func(in *Input) { in.DurationSeconds = "24:00:01" }, "duration_seconds", "over 24 hours"},
		{"times under 1 s", func(in *Input) { in.FinishedAt = "2026-11-20T14:00:00.2Z" }, "finished_at", "under 1 second"},
		{"times over 24 h", func(in *Input) { in.FinishedAt = "2026-11-21T15:00:00Z"; in.DecidedAt = "" }, "finished_at", "over 24 hours"},
		{"finished before accepted", func(in *Input) { in.FinishedAt = "2026-11-20T13:00:00Z" }, "finished_at", "before accepted_at"},
		{"decided before finished", func(in *Input) { in.DecidedAt = "2026-11-20T14:01:00Z" }, "decided_at", "before"},
		{"no duration nor status", func(in *Input) { in.FinishedAt = ""; in.Status = "" }, "duration_seconds", "required"},
		{"bad time", func(in *Input) { in.AcceptedAt = "yesterday" }, "accepted_at", "RFC 3339"},
		{"future time", func(in *Input) { in.DecidedAt = "2027-01-01T00:00:00Z" }, "decided_at", "future"},
		{"ancient time", func(in *Input) { in.AcceptedAt = "1999-01-01T00:00:00Z" }, "accepted_at", "before 2005"},
		{"bad hit_set_id", func(in *Input) { in.HitSetID = "3hwgrp000000000000000000000001" }, "hit_set_id", "MTurk"},
		{"short hit_id", func(in *Input) { in.HitID = "3HWHIT" }, "hit_id", "MTurk"},
		{"bad assignment_id", func(in *Input) { in.AssignmentID = "x' OR 1=1 --" }, "assignment_id", "MTurk"},
		{"bad requester_id", func(in *Input) { in.RequesterID = "B3HWTESTREQ0001" }, "requester_id", "MTurk"},
		{"missing requester_id", func(in *Input) { in.RequesterID = "" }, "requester_id", "required"},
		{"bad worker_id", func(in *Input) { in.WorkerID = "A12" }, "worker_id", "MTurk"},
		{"object as title", func(in *Input) { in.Title = notScalar }, "title", "string"},
		{"title too long", func(in *Input) { in.Title = Text(strings.Repeat("é", MaxTextLength+1)) }, "title", "longer"},
		{"bad allotted", func(in *Input) { in.AllottedSeconds = "0" }, "allotted_seconds", "between"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := goodInput()
			c.edit(&in)
			_, probs := Check(&in, checkNow)
			if len(probs) != 1 || probs[0].Field != c.field || !strings.Contains(probs[0].Message, c.msg) {
				t.Fatalf("problems %+v; want one on %s containing %q", probs, c.field, c.msg)
			}
		})
	}
}

func TestCheckNeverEchoesWorkerID(t *testing.T) {
	in := goodInput()
	in.WorkerID = "A1SECRETWORKER99x"
	_, probs := Check(&in, checkNow)
	for _, p := range probs {
		if strings.Contains(p.Message, "SECRET") {
			t.Fatalf("problem echoes the worker id: %+v", p)
		}
	}
	if len(probs) != 1 {
		t.Fatalf("problems %+v", probs)
	}
}

// prolificInput is a good Prolific record: 24-hex ids, Prolific's own status name, pounds.
func prolificInput() Input {
	return Input{
		Platform:     "prolific",
		RequesterID:  "5f3c0a1b2c3d4e5f60718293",
		HitSetID:     "64a1b2c3d4e5f60718293a4b",
		AssignmentID: "65b2c3d4e5f60718293a4b5c",
		WorkerID:     "5e9d8c7b6a5f4e3d2c1b0a99",
		Reward:       "£1.20",
		AcceptedAt:   "2026-11-20T14:00:00Z",
		FinishedAt:   "2026-11-20T14:09:00Z",
		Status:       "AWAITING REVIEW",
	}
}

func TestCheckPlatforms(t *testing.T) {
	in := prolificInput()
	r, probs := Check(&in, checkNow)
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if r.RequesterID != "prolific:5f3c0a1b2c3d4e5f60718293" || r.HitSetID != "64a1b2c3d4e5f60718293a4b" ||
		r.AssignmentID != "65b2c3d4e5f60718293a4b5c" || r.Currency != "GBP" || r.Status != records.Pending || r.Reward.String() != "1.2" {
		t.Fatalf("record %+v", r)
	}
	// Prolific's names, hitwage's names and MTurk's "Paid" all map onto hitwage's statuses.
	for status, want := range map[string]records.Status{"SCREENED OUT": records.ScreenedOut, "TIMED-OUT": records.TimedOut,
		"screened_out": records.ScreenedOut, "timed_out": records.TimedOut, "Returned": records.Returned, "APPROVED": records.Approved} {
		in := prolificInput()
		in.Status = Text(status)
		if r, probs := Check(&in, checkNow); len(probs) > 0 || r.Status != want {
			t.Errorf("status %q: %s %v, want %s", status, r.Status, probs, want)
		}
	}
	for _, status := range []string{"Paid", "Approved - Pending Payment"} { // MTurk Suite's and HIT Database's words
		in = goodInput()
		in.Status = Text(status)
		if r, probs := Check(&in, checkNow); len(probs) > 0 || r.Status != records.Approved || r.Currency != "USD" || r.RequesterID != "A3HWTESTREQ0001" {
			t.Fatalf("MTurk record with status %q: %+v %v", status, r, probs)
		}
	}
	// An explicit currency the platform pays in; platform names in any case.
	in = prolificInput()
	in.Platform, in.Currency, in.Reward, in.Bonus = " Prolific ", "USD", "$2.00", "0.25"
	if r, probs := Check(&in, checkNow); len(probs) > 0 || r.Currency != "USD" || r.Reward.String() != "2" || r.Bonus.String() != "0.25" {
		t.Fatalf("Prolific record in USD: %+v %v", r, probs)
	}
}

func TestCheckPlatformsBad(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(in *Input)
		field string
		msg   string
	}{
		{"unknown platform", func(in *Input) { in.Platform = "toloka" }, "platform", "one of mturk, prolific"},
		{"platform not a string", func(in *Input) { in.Platform = notScalar }, "platform", "must be a string"},
		{"currency MTurk does not pay in", func(in *Input) { *in = goodInput(); in.Currency = "EUR" }, "currency", "MTurk pays in: USD"},
		{"currency Prolific does not pay in", func(in *Input) { in.Currency = "EUR" }, "currency", "Prolific pays in: GBP or USD"},
		{"lower-case currency", func(in *Input) { in.Currency = "usd" }, "currency", "upper case (USD)"},
		{"not a currency code", func(in *Input) { in.Currency = "XX" }, "currency", "ISO 4217"},
		{"MTurk requester id on Prolific", func(in *Input) { in.RequesterID = "A3HWTESTREQ0001" }, "requester_id", "a Prolific researcher id (24 lower-case"},
		{"MTurk group id on Prolific", func(in *Input) { in.HitSetID = "3HWGRP000000000000000000000001" }, "hit_set_id", "a Prolific study id"},
		{"MTurk assignment id on Prolific", func(in *Input) { in.AssignmentID = "3HWASG000000000000000000000001" }, "assignment_id", "a Prolific submission id"},
		{"MTurk worker id on Prolific", func(in *Input) { in.WorkerID = "A1HWTESTWORKER01" }, "worker_id", "a Prolific worker id"},
		{"upper-case hex", func(in *Input) { in.RequesterID = "5F3C0A1B2C3D4E5F60718293" }, "requester_id", "Prolific"},
		{"MTurk-only status", func(in *Input) { in.Status = "Paid" }, "status", "nor a status name of Prolific"},
		{"dollar sign on pounds", func(in *Input) { in.Reward = "$1.20" }, "reward", "not an amount in GBP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := prolificInput()
			c.edit(&in)
			_, probs := Check(&in, checkNow)
			if len(probs) != 1 || probs[0].Field != c.field || !strings.Contains(probs[0].Message, c.msg) {
				t.Fatalf("problems %+v; want one on %s containing %q", probs, c.field, c.msg)
			}
		})
	}
	// A Prolific id sent as MTurk's (no platform) is refused in MTurk's words.
	in := prolificInput()
	in.Platform, in.Reward = "", "1.20"
	if _, probs := Check(&in, checkNow); len(probs) < 3 || !strings.Contains(probs[0].Message, "an MTurk") {
		t.Fatalf("problems %+v", probs)
	}
}
