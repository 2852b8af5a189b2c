package ingest

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
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
	maxAmount = decimal.NewFromInt(10_000)                  // in any currency
	earliest  = time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC) // before MTurk opened
)

// Check validates in and converts it to a record. It returns every problem it finds; the
// record is usable only when there are none. Reporter, Source and ReceivedAt are left for
// the caller, which knows who sent the record and how. A worker_id is checked here but
// never copied into the record: the caller hashes it.
//
// The record's platform (default MTurk) gives the shapes its ids must have, the status names
// it may use besides hitwage's own and the currencies it may be paid in; the record is stored
// under the platform's requester key (platform.Key), its other ids as sent.
func Check(in *Input, now time.Time) (records.Record, []Problem) {
	var (
		r     records.Record
		probs []Problem
	)
	bad := func(field, format string, a ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	p := checkPlatform(in.Platform, bad) // nil when unknown: the ids' shapes are then not judged
	id := func(field string, v Text) string {
		s := strings.TrimSpace(string(v))
		if s != "" && p != nil && !validID(p, field, s) {
			what, shape := describeID(p, field)
			bad(field, "does not look like %s %s (%s)", withArticle(p.Short), what, shape)
			return ""
		}
		return s
	}
	id("worker_id", in.WorkerID)
	r.HitSetID = id("hit_set_id", in.HitSetID)
	r.HitID = id("hit_id", in.HitID)
	r.AssignmentID = id("assignment_id", in.AssignmentID)
	if strings.TrimSpace(string(in.RequesterID)) == "" && in.Unattributed && p != nil && p.ID != platform.MTurk {
		r.RequesterID = platform.Key(p.ID, "") // the reporter's own figures only: see Input.Unattributed
	} else if strings.TrimSpace(string(in.RequesterID)) == "" {
		bad("requester_id", "is required")
	} else if rid := id("requester_id", in.RequesterID); rid != "" && p != nil {
		r.RequesterID = platform.Key(p.ID, rid)
	}
	r.RequesterName = text(in.RequesterName, "requester_name", bad)
	r.Title = text(in.Title, "title", bad)

	r.Currency = checkCurrency(in.Currency, p, bad)
	cur := r.Currency
	if cur == "" && p != nil {
		cur = p.Currency // a bad currency: the amounts are still checked, in the platform's
	}
	if strings.TrimSpace(string(in.Reward)) == "" {
		bad("reward", "is required (an amount%s, e.g. 1.50)", inCurrency(cur))
	} else {
		r.Reward = amount(in.Reward, "reward", cur, bad)
	}
	r.Bonus = amount(in.Bonus, "bonus", cur, bad)

	r.Status = records.Submitted
	if v := strings.TrimSpace(string(in.Status)); v != "" {
		if st := records.Status(strings.ToLower(v)); st.Valid() {
			r.Status = st
		} else if st := nativeStatus(p, v); st != "" {
			r.Status = st
		} else if p != nil { // an unknown platform's status names cannot be judged
			bad("status", "is not one of %s, nor a status name of %s", statusList, p.Short)
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
	case !timesBad && strings.TrimSpace(string(in.Status)) == "":
		// An untimed record (no time on task: a saved history's) must say what became of the
		// task; without a status it would say nothing at all.
		bad("duration_seconds", "is required unless both accepted_at and finished_at are given, or the record is untimed and gives a status")
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

// amount parses an amount of money in currency: "1.50", "0.05", or with the currency's sign
// ("$1.50" in USD, "£1.50" in GBP). More than whole cents (or pence) is refused. With no
// currency (the record's platform is unknown) any of the signs is taken.
func amount(v Text, field, currency string, bad func(string, string, ...any)) decimal.Decimal {
	s := strings.TrimSpace(string(v))
	if s == "" {
		return decimal.Zero
	}
	if currency == "" {
		s = strings.TrimLeft(s, "$£€")
	} else {
		s = strings.TrimPrefix(s, strings.TrimSpace(platform.Symbol(currency)))
	}
	s = strings.TrimSpace(s)
	if c, ok := plainCents(s); ok && v != notScalar {
		return decimal.New(c, -2)
	}
	d, err := decimal.NewFromString(s)
	switch {
	case err != nil || v == notScalar || strings.ContainsAny(s, "eE"):
		bad(field, "is not an amount%s (e.g. 1.50)", inCurrency(currency))
	case d.IsNegative():
		bad(field, "is negative")
	case d.GreaterThan(maxAmount):
		bad(field, "is over 10,000%s", inCurrency(currency))
	case !d.Equal(d.Round(2)):
		bad(field, "has fractions of a cent (more than two decimals)")
	default:
		return d.Round(2)
	}
	return decimal.Zero
}

// inCurrency is " in CUR" for messages about amounts, or "" when the currency is unknown.
func inCurrency(currency string) string {
	if currency == "" {
		return ""
	}
	return " in " + currency
}

// checkPlatform reads a record's platform: the default when it names none, nil (and a problem)
// when it names one hitwage does not know.
func checkPlatform(v Text, bad func(string, string, ...any)) *platform.Platform {
	if v == notScalar {
		bad("platform", "must be a string: one of %s", strings.Join(platform.IDs(), ", "))
		return nil
	}
	p, err := platform.Parse(string(v))
	if err != nil {
		bad("platform", "is not a platform hitwage knows: one of %s (default %s)", strings.Join(platform.IDs(), ", "), platform.Default)
		return nil
	}
	return p
}

// checkCurrency reads a record's currency: an ISO 4217 code in upper case that the platform pays
// in, or, when the record names none, the platform's own. It returns "" for a bad one (or an
// unknown platform).
func checkCurrency(v Text, p *platform.Platform, bad func(string, string, ...any)) string {
	s := strings.TrimSpace(string(v))
	switch {
	case v == notScalar:
		bad("currency", "must be a string: an ISO 4217 code such as USD")
	case s == "":
		if p != nil {
			return p.Currency
		}
	case !platform.ValidCurrency(s):
		if platform.ValidCurrency(strings.ToUpper(s)) {
			bad("currency", "must be an ISO 4217 code in upper case (%s)", strings.ToUpper(s))
		} else {
			bad("currency", "is not an ISO 4217 currency code (three upper-case letters, e.g. USD)")
		}
	case p == nil:
	case !p.PaysIn(s):
		bad("currency", "is not a currency %s pays in: %s", p.Short, strings.Join(p.Currencies, " or "))
	default:
		return s
	}
	return ""
}

// nativeStatus maps one of p's own status names ("SCREENED OUT", "Paid") onto hitwage's status.
func nativeStatus(p *platform.Platform, s string) records.Status {
	if p == nil {
		return ""
	}
	if st := records.Status(p.Status(s)); st.Valid() {
		return st
	}
	return ""
}

// statusList names hitwage's statuses, for the status problem.
var statusList = func() string {
	names := make([]string, len(records.Statuses))
	for i, s := range records.Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}()

// withArticle puts "a" or "an" before a platform's name as it is said: "an MTurk" (an initialism
// read letter by letter, M being "em"), "a Prolific".
func withArticle(name string) string {
	initialism := len(name) > 1 && unicode.IsUpper(rune(name[0])) && unicode.IsUpper(rune(name[1]))
	if name != "" && (strings.ContainsRune("AEIOU", rune(unicode.ToUpper(rune(name[0])))) ||
		initialism && strings.ContainsRune("FHLMNRSX", rune(name[0]))) {
		return "an " + name
	}
	return "a " + name
}

// validID reports whether s has the shape of p's ids of field: a worker's and a requester's
// are persons, a HIT group's and a HIT's groups (a Prolific study), an assignment's tasks.
func validID(p *platform.Platform, field, s string) bool {
	switch field {
	case "worker_id", "requester_id":
		return p.ValidRequester(s)
	case "hit_set_id", "hit_id":
		return p.ValidGroup(s)
	}
	return p.ValidTask(s)
}

// describeID names p's ids of field and their shape, in p's nouns ("study id" on Prolific).
func describeID(p *platform.Platform, field string) (what, shape string) {
	switch field {
	case "worker_id":
		return "worker id", p.RequesterShape
	case "requester_id":
		return p.Requester + " id", p.RequesterShape
	case "hit_set_id":
		return p.Group + " id", p.GroupShape
	case "hit_id":
		if p.ID == platform.MTurk {
			return "HIT id", p.GroupShape
		}
		return p.Group + " id", p.GroupShape
	}
	return p.Task + " id", p.TaskShape
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
