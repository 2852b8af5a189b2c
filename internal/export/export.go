// Package export streams hitwage's research exports: one platform's task records and aggregates
// as CSV, NDJSON or Parquet, written by ClickHouse itself (store.Export). Privacy is in the SQL: no
// worker identifiers (a pseudonym per worker and requester, salted per export), times cut to the
// hour or coarser, anything describing fewer than K distinct reporters suppressed, each decision
// taken within one ISO week, and ranges widened to whole weeks (docs/methodology.md, "Research
// exports: what they protect against"). Every export comes with a data dictionary (Datasets), a
// version stamp and a citation (About).
package export

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

var (
	//go:embed records.sql
	recordsSQL string
	//go:embed requesters.sql
	requestersSQL string
	//go:embed weeks.sql
	weeksSQL string
	//go:embed workers.sql
	workersSQL string
)

// maxOverlap is the impossible-overlap ratio of the workers dataset: a worker whose task time exceeds
// it times their merged time is left out, as the wage figures leave them out (wages.Config.MaxOverlap's
// default).
const maxOverlap = 30.0

// MinK is the smallest k an export accepts: no cell describes fewer than 5 distinct reporters.
const MinK = 5

// Formats maps a format name (the file extension) to ClickHouse's output format and a media type.
var Formats = map[string]struct{ ClickHouse, MediaType string }{
	"csv":     {"CSVWithNames", "text/csv; charset=utf-8"},
	"ndjson":  {"JSONEachRow", "application/x-ndjson"},
	"parquet": {"Parquet", "application/vnd.apache.parquet"},
}

// ErrBadOptions reports export options that can't be served; errors.As gives the *OptionError.
var ErrBadOptions = errors.New("export: bad options")

// OptionError names the option at fault.
type OptionError struct {
	Field, Msg string
}

func (e *OptionError) Error() string { return "export: " + e.Field + ": " + e.Msg }

// Is makes an OptionError match ErrBadOptions.
func (e *OptionError) Is(target error) bool { return target == ErrBadOptions }

func badOption(field, format string, args ...any) error {
	return &OptionError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Options select one export.
type Options struct {
	Platform platform.ID // the platform whose rows are exported; default platform.Default (mturk)
	Dataset  string      // a Datasets name: records, workers, requesters, weeks
	Format   string      // csv, ndjson or parquet
	From     time.Time   // records, workers, weeks: start of the range (inclusive); zero = the beginning; Check moves it back to a Monday
	To       time.Time   // end of the range (exclusive); zero = open; Check moves it on to a Monday
	K        int         // fewest distinct reporters behind a published row or cell; default and minimum MinK
	Salt     string      // salt of the reporter pseudonyms; default a new random one per export
}

// Check validates o and fills its defaults.
func (o *Options) Check() error {
	p, err := platform.Parse(string(o.Platform))
	if err != nil {
		return badOption("platform", "%q is not one of %s", o.Platform, strings.Join(platform.IDs(), ", "))
	}
	o.Platform = p.ID
	if _, ok := dataset(o.Dataset); !ok {
		return badOption("dataset", "%q is not one of %s", o.Dataset, strings.Join(names(), ", "))
	}
	if _, ok := Formats[o.Format]; !ok {
		return badOption("format", "%q is not csv, ndjson or parquet", o.Format)
	}
	if o.K == 0 {
		o.K = MinK
	}
	if o.K < MinK || o.K > 1000 {
		return badOption("k", "%d is not between %d and 1000", o.K, MinK)
	}
	if !o.From.IsZero() && !o.To.IsZero() && !o.From.Before(o.To) {
		return badOption("from", "%s is not before to %s", o.From.Format(time.DateOnly), o.To.Format(time.DateOnly))
	}
	o.From, o.To = alignWeeks(o.From, o.To)
	if o.Salt == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("export: salt: %w", err)
		}
		o.Salt = hex.EncodeToString(b)
	}
	return nil
}

// alignWeeks widens [from, to) to whole ISO weeks (Monday 00:00 UTC): from back to its week's
// Monday, to on to the next Monday unless it is one. Every privacy decision of an export is taken
// within one week, so two exports of aligned ranges differ by whole weeks, each held to k on its own;
// a range ending or starting mid-week would cut a week and let two exports isolate part of it.
func alignWeeks(from, to time.Time) (time.Time, time.Time) {
	monday := func(t time.Time) time.Time {
		t = t.UTC()
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -(int(d.Weekday())+6)%7)
	}
	if !from.IsZero() {
		from = monday(from)
	}
	if !to.IsZero() {
		if m := monday(to); m.Equal(to) {
			to = m
		} else {
			to = m.AddDate(0, 0, 7)
		}
	}
	return from, to
}

// weeksLabel names an aligned range by its first and last day: "2026-11-16 to 2026-11-29 (whole
// ISO weeks)"; "all" when it is open at both ends.
func weeksLabel(from, to time.Time) string {
	if from.IsZero() && to.IsZero() {
		return "all"
	}
	first, last := "the first week", "the last week"
	if !from.IsZero() {
		first = from.Format(time.DateOnly)
	}
	if !to.IsZero() {
		last = to.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return first + " to " + last + " (whole ISO weeks)"
}

// Exporter writes exports from one store.
type Exporter struct {
	Store    *store.Store
	Revision string // git revision of the running program
	BaseURL  string // the site's public URL, for the citation
	TempDir  string // where Parquet files are assembled before they are sent; default os.TempDir()
}

// About is what an export was made from and how to cite it; served beside every export.
type About struct {
	Platform      string `json:"platform"`
	Dataset       string `json:"dataset"`
	Format        string `json:"format"`
	DataRange     string `json:"data_range"` // days with the platform's records in the range, e.g. "2026-11-01 to 2026-11-30"
	Weeks         string `json:"weeks"`      // the range asked for, widened to whole ISO weeks: "2026-10-26 to 2026-11-29 (whole ISO weeks)"
	K             int    `json:"k"`
	SchemaVersion int    `json:"schema_version"`
	Revision      string `json:"revision"`
	Stamp         string `json:"stamp"`
	Citation      string `json:"citation"`
	Dictionary    string `json:"dictionary"`     // URL of the data dictionary
	Demo          bool   `json:"demo,omitempty"` // the store holds the generated demo data set: made up, not real reports
}

// About checks o and returns the export's stamp and citation; call it before Write (it fills o's defaults).
func (e *Exporter) About(ctx context.Context, o *Options) (About, error) {
	if err := o.Check(); err != nil {
		return About{}, err
	}
	v, err := e.Store.SchemaVersion(ctx)
	if err != nil {
		return About{}, fmt.Errorf("export: schema version: %w", err)
	}
	var first, last string
	err = e.Store.QueryRow(ctx, `SELECT if(count() = 0, '', toString(toDate(min(at)))), if(count() = 0, '', toString(toDate(max(at))))
		FROM wage_records WHERE platform = {plat:String} AND flag != 'unattributed' AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}`,
		rangeArgs(*o), &first, &last)
	if err != nil {
		return About{}, fmt.Errorf("export: data range: %w", err)
	}
	dr := "no records"
	if first != "" {
		dr = first + " to " + last
	}
	a := About{Platform: string(o.Platform), Dataset: o.Dataset, Format: o.Format, DataRange: dr, K: o.K, SchemaVersion: v,
		Revision: e.Revision, Dictionary: strings.TrimRight(e.BaseURL, "/") + "/api/v1/export"}
	a.Stamp = fmt.Sprintf("platform: %s; data: %s", o.Platform, dr)
	if d, _ := dataset(o.Dataset); d.Range {
		a.Weeks = weeksLabel(o.From, o.To)
		a.Stamp += "; weeks: " + a.Weeks
	}
	a.Stamp += fmt.Sprintf("; k=%d; schema version %d; revision %s", o.K, v, e.Revision)
	if a.Demo = e.Store.IsDemo(ctx); a.Demo {
		a.Stamp = DemoLabel + "; " + a.Stamp // a demo export must not travel as data
	}
	a.Citation = fmt.Sprintf("hitwage. Research export %q of %s (%s). %s (%s).", o.Dataset, platform.Get(o.Platform).Name, o.Format,
		a.Dictionary, a.Stamp)
	return a, nil
}

func rangeArgs(o Options) store.Args {
	from, to := o.From, o.To
	if from.IsZero() {
		from = time.Unix(0, 0).UTC()
	}
	if to.IsZero() {
		to = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return store.Args{"from": from, "to": to, "plat": string(o.Platform)}
}

// ParseTime reads a from/to value: a date (2026-11-01, midnight UTC) or an RFC 3339 time.
func ParseTime(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		t, err = time.Parse(time.RFC3339, v)
	}
	if err != nil || t.Year() < 1970 || t.Year() > 2099 {
		return time.Time{}, badOption(field, "%q is not a date like 2026-11-01 or an RFC 3339 time in 1970-2099", v)
	}
	return t.UTC(), nil
}

// Write streams the export o to w. Options must have passed About (or Check).
//
// CSV (with its header row once) and NDJSON stream through store.Export. Parquet, whose file has
// one footer for all row groups, is written by ClickHouse to a temporary file (INSERT INTO FUNCTION
// file, in row groups, in bounded memory) and then copied to w.
func (e *Exporter) Write(ctx context.Context, o Options, w io.Writer) error {
	d, ok := dataset(o.Dataset)
	if !ok || o.Salt == "" || o.K < MinK || platform.Get(o.Platform) == nil {
		return fmt.Errorf("%w: options not checked", ErrBadOptions)
	}
	args := rangeArgs(o)
	args["k"] = uint32(o.K)
	if strings.Contains(d.sql, "{salt:String}") {
		args["salt"] = o.Salt
	}
	if strings.Contains(d.sql, "{max_overlap:Float64}") {
		args["max_overlap"] = maxOverlap
	}
	var err error
	switch o.Format {
	case "csv":
		err = e.Store.Export(ctx, csvGuarded(d), args, Formats[o.Format].ClickHouse, w)
	case "parquet":
		err = e.writeParquet(ctx, d, args, w)
	default:
		err = e.Store.Export(ctx, d.sql, args, Formats[o.Format].ClickHouse, w)
	}
	if err != nil {
		return fmt.Errorf("export: %s.%s: %w", o.Dataset, o.Format, err)
	}
	return nil
}

// untrustedText are the export columns holding text anyone can write (requester names and HIT
// titles come from requesters and reporters).
var untrustedText = map[string]bool{"requester_name": true, "title": true}

// csvGuarded is the dataset's query with its untrusted text columns guarded for spreadsheets: a
// value starting with =, +, @, a tab or a carriage return gets a leading apostrophe, so that a
// spreadsheet program opening the CSV shows it as text instead of running it as a formula
// (OWASP's advice on CSV injection; '-' is left alone so that negative numbers stay numbers).
// NDJSON and Parquet carry the text unchanged.
func csvGuarded(d Dataset) string {
	var guards []string
	for _, c := range d.Columns {
		if untrustedText[c.Name] {
			guards = append(guards, fmt.Sprintf(`if(match(%[1]s, '^[=+@\t\r]'), concat('''', %[1]s), %[1]s) AS %[1]s`, c.Name))
		}
	}
	if len(guards) == 0 {
		return d.sql
	}
	return "SELECT * REPLACE (" + strings.Join(guards, ", ") + ") FROM (" + d.sql + ")"
}

func (e *Exporter) writeParquet(ctx context.Context, d Dataset, args store.Args, w io.Writer) error {
	if e.Store.Mode() != store.Embedded {
		return store.ErrExportUnsupported
	}
	dir, err := os.MkdirTemp(e.TempDir, "hitwage-export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "export.parquet")
	args["path"] = path
	if err := e.Store.Exec(ctx, "INSERT INTO FUNCTION file({path:String}, 'Parquet') "+d.sql, args); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// DemoLabel begins the stamp (and so the citation) of an export of the generated demo data set.
const DemoLabel = "DEMO DATA (generated, not real reports)"
