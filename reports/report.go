// Package reports builds hitwage's periodic wage reports: a weekly or monthly picture of one
// platform's market (MTurk's archive, Prolific), in its currency: effective and nominal wages, the
// largest requesters with their grades, the biggest changes since the period before, HIT supply
// (MTurk's listing crawls), and coverage and methodology notes. A report is a definition (the .sql
// files and templates beside this code) and its renderings: Markdown for forums, an HTML fragment
// with the site's charts, and a CSV file per table. A report for a past period is reproducible: the
// same data gives the same bytes (no wall-clock time is printed; the version stamp names the data
// range, schema version and git revision instead).
package reports

import (
	"fmt"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/platform"
)

// Table is one table of a report; every table is also written as <Name>.csv.
type Table struct {
	Name  string     // file stem and anchor, e.g. "requesters"
	Title string     // heading
	Note  string     // one sentence under the heading; may be empty
	Head  []string   // column headings, units included
	Rows  [][]string // cells as plain numbers or text (untrusted text is escaped by each renderer)
}

// Stamp identifies exactly what a report was made from.
type Stamp struct {
	DataRange     string // the days with task records counted, e.g. "2026-11-16 to 2026-11-22", or "no records"
	Records       uint64 // task records counted
	SchemaVersion int    // the store's schema version
	Revision      string // git revision of the program that made it
	Fingerprint   string // of the period's records when the report was built (see Refresh)
}

// String is the stamp on one line.
func (s Stamp) String() string {
	return fmt.Sprintf("data: %s (%d records) · schema version %d · revision %s", s.DataRange, s.Records, s.SchemaVersion, s.Revision)
}

// Report is one period's report, ready to render.
type Report struct {
	Platform *platform.Platform // the platform reported on
	Currency string             // ISO 4217 code every amount is in: the platform's market currency
	Period   Period
	Previous Period
	Title    string
	Path     string // site path of the report: /reports/2026-W47 (MTurk), /reports/prolific/2026-W49
	URL      string // permanent URL of the report on the site
	NoData   bool   // no task records in the period: the report says so and shows coverage only
	Demo     bool   // built from the generated demo data set: its title, citation and a notice say so
	Summary  []string
	Tables   []Table
	Charts   []chart.Chart
	Notes    []string // methodology and coverage notes
	Stamp    Stamp
	Citation string
}

// Table returns the named table, or false.
func (r *Report) Table(name string) (Table, bool) {
	for _, t := range r.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}
