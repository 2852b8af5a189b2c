// Package ingest turns worker-reported task records from the API, import files and other
// sources into validated records.Record values and writes them to the store. It owns the
// record wire format (JSON, NDJSON, CSV), the time formats workers use, column mappings,
// the bearer tokens reporters authenticate with and the per-token rate limit.
package ingest

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Input is one record as a reporter sends it, every field still text: the JSON field names
// are the API's and the import format's. Check turns it into a records.Record.
type Input struct {
	WorkerID        Text `json:"worker_id"`
	HitSetID        Text `json:"hit_set_id"`
	HitID           Text `json:"hit_id"`
	AssignmentID    Text `json:"assignment_id"`
	RequesterID     Text `json:"requester_id"`
	RequesterName   Text `json:"requester_name"`
	Title           Text `json:"title"`
	Reward          Text `json:"reward"`
	Bonus           Text `json:"bonus"`
	AcceptedAt      Text `json:"accepted_at"`
	FinishedAt      Text `json:"finished_at"`
	DurationSeconds Text `json:"duration_seconds"`
	Status          Text `json:"status"`
	DecidedAt       Text `json:"decided_at"`
	AllottedSeconds Text `json:"allotted_seconds"`
	Platform        Text `json:"platform,omitempty"` // "mturk" (default), "prolific": the platform whose ids and statuses the record uses
	Currency        Text `json:"currency,omitempty"` // ISO 4217 code of reward and bonus; default the platform's (USD for MTurk, GBP for Prolific)
	// Unattributed marks a record of a saved history that names no requester and that nothing
	// attributes to one (Prolific's submission-history CSV has no researcher column): it is kept
	// for its reporter's own figures only, under the platform's researcher-less key. Set by
	// history readers, never by the API (no JSON name).
	Unattributed bool `json:"-"`
}

// Fields lists the record field names in the order of the documented format.
var Fields = []string{"worker_id", "hit_set_id", "hit_id", "assignment_id", "requester_id", "requester_name",
	"title", "reward", "bonus", "accepted_at", "finished_at", "duration_seconds", "status", "decided_at",
	"allotted_seconds", "platform", "currency"}

// Field returns the named field of in, or nil when name is not a record field.
func (in *Input) Field(name string) *Text {
	switch name {
	case "worker_id":
		return &in.WorkerID
	case "hit_set_id":
		return &in.HitSetID
	case "hit_id":
		return &in.HitID
	case "assignment_id":
		return &in.AssignmentID
	case "requester_id":
		return &in.RequesterID
	case "requester_name":
		return &in.RequesterName
	case "title":
		return &in.Title
	case "reward":
		return &in.Reward
	case "bonus":
		return &in.Bonus
	case "accepted_at":
		return &in.AcceptedAt
	case "finished_at":
		return &in.FinishedAt
	case "duration_seconds":
		return &in.DurationSeconds
	case "status":
		return &in.Status
	case "decided_at":
		return &in.DecidedAt
	case "allotted_seconds":
		return &in.AllottedSeconds
	case "platform":
		return &in.Platform
	case "currency":
		return &in.Currency
	}
	return nil
}

// Text is a field's value as sent: a JSON string, or the literal text of a JSON number.
// Empty means absent (or null). Parsing into typed values happens in Check, so that every
// bad field of a record is reported at once with its name.
type Text string

// notScalar marks a field that held a JSON object, array or boolean.
const notScalar Text = "\x00"

// UnmarshalJSON accepts a string, a number or null; anything else is kept as a marker
// that Check reports as a bad field.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		*t = ""
	case b[0] == '"':
		if !bytes.ContainsAny(b[1:len(b)-1], "\\\"") {
			*t = Text(strings.ToValidUTF8(string(b[1:len(b)-1]), "\uFFFD"))
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	case b[0] == 'n':
		*t = ""
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*t = Text(b)
	default:
		*t = notScalar
	}
	return nil
}

func (t Text) String() string { return string(t) }
