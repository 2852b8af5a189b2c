package ingest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/records"
)

// Problem is one bad field of one record.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// The limits Check enforces.
const (
	MinDuration   = time.Second
	MaxDuration   = 24 * time.Hour
	MaxAllotted   = 366 * 24 * time.Hour // MTurk allows assignments of up to a year
	MaxTextLength = 2000                 // title and requester name, in characters
)

var (
	maxDollars = decimal.NewFromInt(10_000)
	earliest   = time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC) // before MTurk opened
)

// Check validates in and converts it to a record. It returns every problem it finds; the
// record is usable only when there are none. Reporter, Source and ReceivedAt are left for
// the caller, which knows who sent the record and how. A worker_id is checked here but
// never copied into the record: the caller hashes it.
func Check(in *Input, now time.Time) (records.Record, []Problem) {
	var (
		r     records.Record
		probs []Problem
	)
	bad := func(field, format string, a ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	id := func(field string, v Text, valid func(string) bool, shape string) string {
		s := strings.TrimSpace(string(v))
		if s != "" && !valid(s) {
			bad(field, "does not look like an MTurk %s (%s)", strings.ReplaceAll(field, "_", " "), shape)
			return ""
		}
		return s
	}
	id("worker_id", in.WorkerID, records.IsPersonID, records.PersonIDShape)
	r.HitSetID = id("hit_set_id", in.HitSetID, records.IsTaskID, records.TaskIDShape)
	r.HitID = id("hit_id", in.HitID, records.IsTaskID, records.TaskIDShape)
	r.AssignmentID = id("assignment_id", in.AssignmentID, records.IsTaskID, records.TaskIDShape)
	if strings.TrimSpace(string(in.RequesterID)) == "" {
		bad("requester_id", "is required")
	} else {
		r.RequesterID = id("requester_id", in.RequesterID, records.IsPersonID, records.PersonIDShape)
	}
	r.RequesterName = text(in.RequesterName, "requester_name", bad)
	r.Title = text(in.Title, "title", bad)

	if strings.TrimSpace(string(in.Reward)) == "" {
		bad("reward", "is required (US dollars, e.g. 1.50)")
	} else {
		r.Reward = dollars(in.Reward, "reward", bad)
	}
	r.Bonus = dollars(in.Bonus, "bonus", bad)

	r.Status = records.Submitted
	if s := strings.ToLower(strings.TrimSpace(string(in.Status))); s != "" {
		if st := records.Status(s); st.Valid() {
			r.Status = st
		} else {
			bad("status", "is not one of submitted, pending, approved, rejected, returned, abandoned")
		}
	}

	before := len(probs)
	r.AcceptedAt = timestamp(in.AcceptedAt, "accepted_at", now, bad)
	r.FinishedAt = timestamp(in.FinishedAt, "finished_at", now, bad)
	timesBad := len(probs) > before
	r.DecidedAt = timestamp(in.DecidedAt, "decided_at", now, bad)
	if r.AcceptedAt != nil && r.FinishedAt != nil && r.FinishedAt.Before(*r.AcceptedAt) {
		bad("finished_at", "is before accepted_at")
	}
	if r.DecidedAt != nil {
		if start := firstOf(r.FinishedAt, r.AcceptedAt); start != nil && r.DecidedAt.Before(*start) {
			bad("decided_at", "is before the task was finished")
		}
	}

	switch {
	case in.DurationSeconds == notScalar:
		bad("duration_seconds", "must be a number of seconds or a duration string")
	case strings.TrimSpace(string(in.DurationSeconds)) != "":
		d, err := ParseDuration(string(in.DurationSeconds))
		if err != nil {
			bad("duration_seconds", "is not a duration; use seconds (390), 390s, 6.5 min, 6:30 or 00:06:30")
		} else if durationOK(d, "duration_seconds", bad) {
			r.DurationSeconds = uint32((d + time.Second/2) / time.Second)
		}
	case r.AcceptedAt != nil && r.FinishedAt != nil:
		if d := r.FinishedAt.Sub(*r.AcceptedAt); d >= 0 && durationOK(d, "finished_at", bad) {
			r.DurationSeconds = uint32((d + time.Second/2) / time.Second)
		}
	case !timesBad:
		bad("duration_seconds", "is required unless both accepted_at and finished_at are given")
	}

	if s := strings.TrimSpace(string(in.AllottedSeconds)); s != "" {
		d, err := ParseDuration(s)
		switch {
		case err != nil:
			bad("allotted_seconds", "is not a duration; use seconds (3600), 60 min or 1:00:00")
		case d < time.Second || d > MaxAllotted:
			bad("allotted_seconds", "must be between 1 second and 366 days")
		default:
			r.AllottedSeconds = uint32((d + time.Second/2) / time.Second)
		}
	}
	return r, probs
}

func durationOK(d time.Duration, field string, bad func(string, string, ...any)) bool {
	switch {
	case d < MinDuration:
		bad(field, "gives a duration under 1 second")
	case d > MaxDuration:
		bad(field, "gives a duration over 24 hours")
	default:
		return true
	}
	return false
}

func firstOf(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

func text(v Text, field string, bad func(string, string, ...any)) string {
	if v == notScalar {
		bad(field, "must be a string")
		return ""
	}
	s := strings.TrimSpace(string(v))
	if utf8.RuneCountInString(s) > MaxTextLength {
		bad(field, "is longer than %d characters", MaxTextLength)
		return ""
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// dollars parses an amount in US dollars: "1.50", "$1.50", "0.05". More than whole cents is refused.
func dollars(v Text, field string, bad func(string, string, ...any)) decimal.Decimal {
	s := strings.TrimSpace(string(v))
	if s == "" {
		return decimal.Zero
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "$"))
	if c, ok := plainCents(s); ok && v != notScalar {
		return decimal.New(c, -2)
	}
	d, err := decimal.NewFromString(s)
	switch {
	case err != nil || v == notScalar || strings.ContainsAny(s, "eE"):
		bad(field, "is not an amount in US dollars (e.g. 1.50)")
	case d.IsNegative():
		bad(field, "is negative")
	case d.GreaterThan(maxDollars):
		bad(field, "is over $10,000")
	case !d.Equal(d.Round(2)):
		bad(field, "has fractions of a cent")
	default:
		return d.Round(2)
	}
	return decimal.Zero
}

// plainCents reads the usual amount, 1-5 digits with up to two decimals ("0.75", "12.5",
// "3"), as cents, with none of decimal's allocations; ok is false for anything else.
func plainCents(s string) (int64, bool) {
	dot := strings.IndexByte(s, '.')
	whole, frac := s, ""
	if dot >= 0 {
		whole, frac = s[:dot], s[dot+1:]
		if len(frac) == 0 || len(frac) > 2 {
			return 0, false
		}
	}
	if len(whole) == 0 || len(whole) > 5 {
		return 0, false
	}
	var c int64
	for i := 0; i < len(whole); i++ {
		if whole[i] < '0' || whole[i] > '9' {
			return 0, false
		}
		c = c*10 + int64(whole[i]-'0')
	}
	for i := 0; i < 2; i++ {
		c *= 10
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, false
			}
			c += int64(frac[i] - '0')
		}
	}
	return c, c <= 10_000*100
}

// timeLayouts are the accepted timestamp forms; those without a zone are UTC.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}

// ParseTime reads an RFC 3339 timestamp; the forms without a zone ("2026-11-20 14:20:31",
// "2026-11-20T14:20:31") are taken as UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("ingest: %q is not an RFC 3339 time", s)
}

func timestamp(v Text, field string, now time.Time, bad func(string, string, ...any)) *time.Time {
	s := strings.TrimSpace(string(v))
	if s == "" {
		return nil
	}
	t, err := ParseTime(s)
	switch {
	case err != nil || v == notScalar:
		bad(field, "is not an RFC 3339 time (e.g. 2026-11-20T14:20:31Z)")
	case t.Before(earliest):
		bad(field, "is before 2005")
	case t.After(now.Add(24 * time.Hour)):
		bad(field, "is in the future")
	default:
		t = t.Truncate(time.Millisecond)
		return &t
	}
	return nil
}
