// Package platform is the registry of the crowd-work platforms hitwage rates: their names and
// nouns, the shapes of their ids, how their statuses map onto the wage method, the currencies
// they pay in and the wage floors each is judged by. A third platform is one more entry in
// registry (and, if it pays in a new currency, one more line in rates.csv).
package platform

import (
	"fmt"
	"strings"
	"time"
)

// ID names a platform in keys, URLs and the API ("mturk", "prolific").
type ID string

// The platforms.
const (
	MTurk    ID = "mturk"
	Prolific ID = "prolific"
)

// Default is the platform an API call or page means when it names none: existing clients and the
// Turkopticon-shaped endpoints were written for MTurk.
const Default = MTurk

// Floor is a wage floor and target in one currency, per hour, with where they come from.
type Floor struct {
	Minimum float64 // under this a task pays below the platform's (or the law's) minimum
	Target  float64 // the fair wage the shares and the bonus owed are measured against
	Source  string  // who sets them, for the methodology page
}

// Platform is one crowd-work platform.
type Platform struct {
	ID    ID
	Name  string // full name: "Amazon Mechanical Turk"
	Short string // short name: "MTurk"

	// Nouns as the platform's workers say them.
	Requester, Requesters string // "requester" / "researcher"
	Group, Groups         string // "HIT group" / "study"
	Task, Tasks           string // "assignment" / "submission"
	// The words of the site's paths for its requesters and groups: /requesters/ID and /hits/ID on
	// MTurk (the archive's URLs), /prolific/researchers/ID and /prolific/studies/ID on Prolific.
	RequesterPath, GroupPath string

	// Shapes of ids, as error messages describe them, and their tests.
	RequesterShape, GroupShape, TaskShape string
	validRequester, validGroup, validTask func(string) bool

	Currency   string   // the currency its market figures are in, and a record's when it names none
	Currencies []string // every currency it pays in (ISO 4217)
	Floors     map[string]Floor

	// Closed is the day the platform closed (its figures are an archive), zero if it is open.
	Closed       time.Time
	ClosedSource string // where the closure is stated

	// statuses maps the platform's own status names (normalized by statusName) onto hitwage's
	// statuses (records.Status values).
	statuses map[string]string
}

// registry lists the platforms, MTurk first (the default, and the order of platform switches).
var registry = []*Platform{
	{
		ID: MTurk, Name: "Amazon Mechanical Turk", Short: "MTurk",
		Requester: "requester", Requesters: "requesters", Group: "HIT group", Groups: "HIT groups",
		Task: "assignment", Tasks: "assignments", RequesterPath: "requesters", GroupPath: "hits",
		RequesterShape: "A followed by 12-20 upper-case letters or digits",
		GroupShape:     "30 upper-case letters or digits",
		TaskShape:      "30 upper-case letters or digits",
		validRequester: isMTurkPerson, validGroup: isMTurkTask, validTask: isMTurkTask,
		Currency: "USD", Currencies: []string{"USD"},
		Floors: map[string]Floor{
			"USD": {Minimum: 7.25, Target: 15, Source: "US federal minimum wage ($7.25, Fair Labor Standards Act); $15 target after Hara et al. 2018 and Whiting et al. 2019"},
		},
		Closed:       time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC),
		ClosedSource: `AWS's MTurk documentation: "Amazon Mechanical Turk will permanently close on September 30, 2026"`,
		statuses: map[string]string{
			"SUBMITTED": "submitted", "PENDING": "pending", "PENDING_APPROVAL": "pending",
			"APPROVED": "approved", "PAID": "approved", "APPROVED_PENDING_PAYMENT": "approved",
			"REJECTED": "rejected", "RETURNED": "returned", "ABANDONED": "abandoned",
		},
	},
	{
		ID: Prolific, Name: "Prolific", Short: "Prolific",
		Requester: "researcher", Requesters: "researchers", Group: "study", Groups: "studies",
		Task: "submission", Tasks: "submissions", RequesterPath: "researchers", GroupPath: "studies",
		RequesterShape: "24 lower-case hexadecimal characters",
		GroupShape:     "24 lower-case hexadecimal characters",
		TaskShape:      "24 lower-case hexadecimal characters",
		validRequester: isHex24, validGroup: isHex24, validTask: isHex24,
		Currency: "GBP", Currencies: []string{"GBP", "USD"},
		Floors: map[string]Floor{
			"GBP": {Minimum: 6, Target: 9, Source: "Prolific's minimum pay (£6.00/h) and recommended pay (£9.00/h), judged on the median completion time"},
			"USD": {Minimum: 8, Target: 12, Source: "Prolific's minimum pay ($8.00/h) and recommended pay ($12.00/h), judged on the median completion time"},
		},
		statuses: map[string]string{
			"AWAITING_REVIEW": "pending", "APPROVED": "approved", "REJECTED": "rejected",
			"RETURNED": "returned", "TIMED_OUT": "timed_out", "SCREENED_OUT": "screened_out",
			// A place held or a study in progress: no outcome yet.
			"RESERVED": "abandoned", "ACTIVE": "abandoned",
		},
	},
}

// All returns every platform, the default first.
func All() []*Platform { return registry }

// Get returns the platform with id, or nil.
func Get(id ID) *Platform {
	for _, p := range registry {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Parse returns the platform a request or file names ("" is Default), or an error that lists the
// platforms.
func Parse(s string) (*Platform, error) {
	if s == "" {
		return Get(Default), nil
	}
	if p := Get(ID(strings.ToLower(strings.TrimSpace(s)))); p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("unknown platform %q: one of %s", s, strings.Join(IDs(), ", "))
}

// IDs lists the platforms' ids.
func IDs() []string {
	out := make([]string, len(registry))
	for i, p := range registry {
		out[i] = string(p.ID)
	}
	return out
}

// Archive reports whether the platform has closed: its figures are an archive.
func (p *Platform) Archive() bool { return !p.Closed.IsZero() }

// ValidRequester reports whether s has the shape of one of the platform's requester ids.
func (p *Platform) ValidRequester(s string) bool { return p.validRequester(s) }

// ValidGroup reports whether s has the shape of one of the platform's group ids.
func (p *Platform) ValidGroup(s string) bool { return p.validGroup(s) }

// ValidTask reports whether s has the shape of one of the platform's task ids.
func (p *Platform) ValidTask(s string) bool { return p.validTask(s) }

// PaysIn reports whether the platform pays in currency (an ISO 4217 code).
func (p *Platform) PaysIn(currency string) bool {
	for _, c := range p.Currencies {
		if c == currency {
			return true
		}
	}
	return false
}

// Floor returns the floor and target in currency, or the platform currency's when it pays in no such
// currency.
func (p *Platform) Floor(currency string) Floor {
	if f, ok := p.Floors[currency]; ok {
		return f
	}
	return p.Floors[p.Currency]
}

// Status maps one of the platform's status names ("SCREENED OUT", "Paid", "timed-out") onto
// hitwage's status, or "" when it names none. hitwage's own status names are accepted as they are.
func (p *Platform) Status(s string) string {
	n := statusName(s)
	if v, ok := p.statuses[n]; ok {
		return v
	}
	return ""
}

// statusName normalizes a status: upper case, words joined by one underscore whether spaces,
// dashes or underscores separated them ("Approved - Pending Payment" is APPROVED_PENDING_PAYMENT).
func statusName(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t'
	}), "_")
}

// Key returns the key a requester (or anything scoped by it) is stored under: the platform's id
// scopes it, so two platforms' ids can never meet. MTurk's ids are stored as they are, so the
// archive kept its keys; every other platform's are "platform:id".
func Key(p ID, id string) string {
	if p == MTurk || p == "" {
		return id
	}
	return string(p) + ":" + id
}

// Split returns the platform and the platform's own id of a stored key (see Key).
func Split(key string) (ID, string) {
	if i := strings.IndexByte(key, ':'); i > 0 {
		return ID(key[:i]), key[i+1:]
	}
	return MTurk, key
}

// CurrencyOf is platform p's own currency (its market's, and a record's that names none); "" for a
// platform the registry does not know (a key a later release wrote, read by this one).
func CurrencyOf(p ID) string {
	if pl := Get(p); pl != nil {
		return pl.Currency
	}
	return ""
}

// isMTurkPerson reports whether s looks like an MTurk worker or requester id: A followed by 12-20
// upper-case letters or digits. Hand-written: a regexp took a noticeable share of an import's CPU.
func isMTurkPerson(s string) bool {
	return len(s) >= 13 && len(s) <= 21 && s[0] == 'A' && upperAlnum(s[1:])
}

// isMTurkTask reports whether s looks like an MTurk HIT, HIT group or assignment id.
func isMTurkTask(s string) bool { return len(s) == 30 && upperAlnum(s) }

func upperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isHex24 reports whether s is 24 lower-case hex characters (a MongoDB ObjectId, as Prolific's ids are).
func isHex24(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ValidWorker reports whether s has the shape of a worker id on some platform (a worker's own
// figures span every platform they reported from). Worker ids share their platform's person shape.
func ValidWorker(s string) bool {
	for _, p := range registry {
		if p.validRequester(s) {
			return true
		}
	}
	return false
}

// WorkerShapes describes the worker ids ValidWorker accepts, for error messages.
func WorkerShapes() string {
	var parts []string
	for _, p := range registry {
		parts = append(parts, p.Short+": "+p.RequesterShape)
	}
	return strings.Join(parts, "; ")
}
