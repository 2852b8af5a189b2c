// Package histories reads the history files crowd workers saved (MTurk Suite's HIT Tracker
// backups, HIT Database Mk II backups and exports, saved MTurk worker-site pages, Prolific's
// submission-history download and participant JSON) into ingest inputs, so that every file a
// worker kept imports through the same checks as the API.
//
// Each format is a streaming Reader: memory is bounded by one record, not the file. A Reader
// fills only what its file holds; it never invents a time a file does not give (a record
// without a time on task is "untimed", see docs/methodology.md) and never passes on what a
// file holds that hitwage must not store (MTurk Suite's `answer`, the `source` URL).
package histories

import (
	"github.com/hitwage/hitwage/internal/ingest"
)

// Format names one file format. The values are what `collector import --format` takes.
type Format = ingest.Format

// The formats of saved histories.
const (
	HitTracker    Format = "mturk-suite"          // MTurk Suite HIT Tracker backup: {"hits", "days"}
	HitDB         Format = "hitdb"                // HIT Database Mk II JSON backup (.bak): {"HIT", "STATS", "NOTES"}
	HitDBCSV      Format = "hitdb-csv"            // HIT Database Mk II tab-separated hitdb_queryResults.csv
	StatusDetails Format = "status-details"       // saved worker-site /status_details/YYYY-MM-DD JSON
	Dashboard     Format = "dashboard"            // saved worker-site /dashboard JSON: daily statistics only
	Queue         Format = "queue"                // saved worker-site /tasks JSON: accept times
	WorkerHTML    Format = "worker-html"          // a saved worker-site HTML page whose data-react-props hold the above
	ProlificCSV   Format = "prolific-csv"         // Prolific's submission-history CSV download
	ProlificSubs  Format = "prolific-submissions" // saved participant/submissions JSON
	ProlificStudy Format = "prolific-studies"     // saved participant/studies JSON (2026 and 2020 schemas): listings
)

// Options tune a Reader.
type Options struct {
	Name       string   // the file's name as given: a status-details page's date may be in it
	Date       string   // YYYY-MM-DD: the date of a status-details page whose name does not say it
	Researcher string   // Prolific: the researcher id every row of a submission-history CSV belongs to
	Studies    []Study  // Prolific: studies known from a studies file given alongside (attribution by study name or id)
	Queue      []Accept // MTurk: accept times read from saved queue pages given alongside
}

// Day is a worker's own totals for one day as a saved history states them (MTurk Suite's
// `days`, HIT Database's STATS, the worker dashboard). Kept as the worker's daily statistics to
// cross-check the imported tasks, never counted as tasks. A nil count or "" amount is unknown
// (files hold null, NaN and numbers as strings).
type Day struct {
	Date      string // YYYY-MM-DD (the platform's day: US Pacific on MTurk)
	Submitted *int
	Approved  *int
	Rejected  *int
	Pending   *int
	Returned  *int
	Abandoned *int
	Paid      *int
	Earnings  string // decimal text in dollars, e.g. "12.34"
	Bonus     string // decimal text: the day's bonus total where the file gives it (dashboard)
}

// Study is one study listing as a participant saw it (Prolific participant/studies), with
// money in major units as exact decimal text ("2.25") in Currency.
type Study struct {
	ID               string
	Name             string
	ResearcherID     string
	ResearcherName   string
	Currency         string // ISO 4217
	Reward           string // per place, major units ("2.25")
	HourlyRate       string // the advertised average reward per hour, major units; "" unknown
	EstimatedMinutes int    // estimated_completion_time
	MaxMinutes       int    // maximum_allowed_time
	AverageSeconds   int    // average_completion_time_in_seconds; 0 unknown
	Places           int    // total_available_places
	PlacesTaken      int
	PublishedAt      string // RFC 3339, "" unknown
}

// Accept is one task's accept time from a saved queue page.
type Accept struct {
	AssignmentID string
	HitID        string
	HitSetID     string
	AcceptedAt   string // RFC 3339
}

// Reader reads one saved history: the task records (ingest.Reader's Next, each Item's Line the
// record's place: a line for CSV, the record's number in the file's array for JSON) and what the
// file holds beside them, available once Next has returned io.EOF.
type Reader interface {
	ingest.Reader
	Days() []Day       // daily statistics the file states; nil when none
	Studies() []Study  // study listings the file holds; nil when none
	Accepts() []Accept // queue accept times the file holds; nil when none
	// Skipped counts the records deliberately not turned into task records (a task still in
	// progress, a part of an HTML page not understood) and says why, one line per reason with
	// its count.
	Skipped() (int, []string)
}
