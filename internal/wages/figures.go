package wages

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// Figures are the wage figures of one set of task records (a requester, a HIT group, the market,
// one reporter, a time bucket). Hourly figures are dollars per hour; nil means no data for it.
// "Time-weighted" figures divide total pay by total merged time; "task-weighted" ones treat every
// task alike. Records flagged by the anti-gaming rules are not counted anywhere.
type Figures struct {
	Platform string `json:"platform"` // the platform of the records (platform.ID)
	Currency string `json:"currency"` // the currency of every amount and hourly figure (ISO 4217)

	Records           uint64  `json:"records"`            // task records counted, timed and untimed
	Untimed           uint64  `json:"untimed_records"`    // of Records, those without a time on task: in the counts, never in a wage
	UntimedOffered    float64 `json:"untimed_offered"`    // offered by the untimed records' submitted tasks (not in Offered)
	Reporters         uint64  `json:"reporters"`          // distinct reporters counted
	ExcludedReporters uint64  `json:"excluded_reporters"` // reporters left out for impossible overlap

	Paid             float64 `json:"paid"`              // dollars paid or still expected: reward + bonus of submitted, pending, approved tasks
	Offered          float64 `json:"offered"`           // dollars offered by submitted tasks (submitted, pending, approved, rejected), as if all were paid
	EffectiveSeconds float64 `json:"effective_seconds"` // merged time of all tasks, returned and abandoned included
	NominalSeconds   float64 `json:"nominal_seconds"`   // merged time of submitted tasks
	TaskSeconds      float64 `json:"task_seconds"`      // plain sum of the tasks' own times (not merged)

	EffectiveHourly *float64 `json:"effective_hourly"` // time-weighted: Paid / EffectiveSeconds
	NominalHourly   *float64 `json:"nominal_hourly"`   // time-weighted: Offered / NominalSeconds

	MedianHourly      *float64 `json:"median_hourly"`       // task-weighted median of per-task hourly wages (unpaid tasks count as $0/h)
	P25Hourly         *float64 `json:"p25_hourly"`          // task-weighted 25th percentile
	P75Hourly         *float64 `json:"p75_hourly"`          // task-weighted 75th percentile
	TrimmedMeanHourly *float64 `json:"trimmed_mean_hourly"` // task-weighted mean after dropping the lowest and highest 10% of tasks

	ShareBelowMinimum *float64 `json:"share_below_minimum"` // share of task time (0-1) in tasks paying under $7.25/h
	ShareBelowTarget  *float64 `json:"share_below_target"`  // share of task time (0-1) in tasks paying under the target

	Submitted uint64 `json:"submitted"` // records by status
	Pending   uint64 `json:"pending"`
	Approved  uint64 `json:"approved"`
	Rejected  uint64 `json:"rejected"`
	Returned  uint64 `json:"returned"`
	Abandoned uint64 `json:"abandoned"`
	// Screened out (paid what the record reports, often nothing) and timed out (unpaid): Prolific's.
	ScreenedOut uint64 `json:"screened_out"`
	TimedOut    uint64 `json:"timed_out"`

	MedianDecisionSeconds *float64 `json:"median_decision_seconds"` // median time from submit to approval or rejection
	MedianApprovalSeconds *float64 `json:"median_approval_seconds"` // median time from submit to approval
	MedianTaskSeconds     *float64 `json:"median_task_seconds"`     // median reported time of submitted tasks
	MedianAllottedRatio   *float64 `json:"median_allotted_ratio"`   // median of allotted time / reported time over submitted tasks

	Minimum float64 `json:"minimum"` // the floor ShareBelowMinimum was computed with (per hour, Currency)
	// PayScore is the reporter-balanced pay score, 0-100: each reporter's wage scored against the
	// target (at most 100), averaged by time with no reporter's time counting for more than
	// ReporterCap of the total; what a requester's pay component is scored from. nil for trends.
	PayScore   *float64  `json:"pay_score"`
	Target     float64   `json:"target"`      // the target wage the shares and bonus were computed with
	ComputedAt time.Time `json:"computed_at"` // when precomputed figures were computed; the query time for live figures
}

// Group is a HIT group's figures with what identifies it and the bonus owed.
type Group struct {
	HitSetID        string   `json:"hit_set_id"`
	RequesterID     string   `json:"requester_id"`
	RequesterName   string   `json:"requester_name"`
	Title           string   `json:"title"`
	Reward          float64  `json:"reward"`           // latest reported reward, dollars
	AllottedSeconds uint32   `json:"allotted_seconds"` // latest reported time allotted
	BonusOwed       *float64 `json:"bonus_owed"`       // dollars per task to bring the median reported time up to the target wage
	Figures
}

// RequesterFigures is a requester's figures with its id and latest reported name.
type RequesterFigures struct {
	RequesterID   string `json:"requester_id"`
	RequesterName string `json:"requester_name"`
	Figures
}

// scope is a precomputed or live grouping of records: a name (wage_figures.scope) and the SQL key
// expressions, which are constants, never user input.
type scope struct {
	name       string
	k1, k2, k3 string // key expressions: requester, HIT group, bucket
	lean       bool   // trend figures: no per-task distribution, status counts, medians or names (see figures.sql)
}

// alone reports whether the scope keeps every record's values, grouped by a key of many values
// (requester, HIT group): the per-task distribution and medians of each key, held until the key's
// figures are written. Over every record, such a scope holds the most memory of a run.
func (sc scope) alone() bool { return !sc.lean && sc.k1 != "''" }

var (
	scopeMarket    = scope{"market", "''", "''", "''", false}
	scopeRequester = scope{"requester", "requester_id", "''", "''", false}
	scopeGroup     = scope{"group", "requester_id", "hit_set_id", "''", false}
	scopeWeek      = scope{"market_week", "''", "''", "toString(toMonday(at))", true}
	scopeHour      = scope{"market_hour", "''", "''", "toString(toHour(at))", true}
	scopeWeekday   = scope{"market_weekday", "''", "''", "toString(toDayOfWeek(at))", true}
	scopeReqWeek   = scope{"requester_week", "requester_id", "''", "toString(toMonday(at))", true}
)

// Filters are fixed SQL fragments; their values are bound parameters.
const (
	whereNone          = ""
	whereRange         = "AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}"
	wherePlatformRange = "AND platform = {plat:String} " + whereRange
	whereRequester     = "AND requester_id = {rid:String} " + whereRange
	whereRequesters    = "AND requester_id IN {rids:Array(String)}"
	whereReqsRange     = whereRequesters + " " + whereRange
	whereGroup         = "AND hit_set_id = {hid:String} " + whereRange
	whereReporter      = "AND reporter = {rep:String} " + whereRange
	whereReporterVia   = "AND reporter = {rep:String} AND via = {via:String} " + whereRange
)

// figureColumns are wage_figures' columns in the order row.dest reads them.
const figureColumns = `scope, requester_id, hit_set_id, bucket, records, reporters, excluded_reporters,
	paid, offered, effective_secs, nominal_secs, task_secs, effective_hourly, nominal_hourly,
	median_hourly, p25_hourly, p75_hourly, trimmed_mean_hourly, share_below_minimum, share_below_target,
	submitted, pending, approved, rejected, returned, abandoned,
	median_decision_secs, median_approval_secs, median_task_secs, median_allotted_ratio,
	requester_name, title, reward, allotted_seconds, bonus_owed, target, computed_at,
	platform, currency, minimum, screened_out, timed_out, pay_score, untimed, untimed_offered,
	hist_bins, hist_tasks, hist_secs`

//go:embed *.sql
var sqlFiles embed.FS

var sqlTmpl = template.Must(template.ParseFS(sqlFiles, "*.sql"))

// sqlData fills the .sql templates: a scope's key expressions, a fixed filter of the records
// (source.sql), and optionally the tables a run materialized in place of the source.sql,
// overlap.sql and pairs.sql subqueries.
type sqlData struct {
	K1, K2, K3 string
	Where      string // filter of source.sql; unused when Src is set
	Src        string // table holding source.sql's rows; "" reads source.sql
	Overlaps   string // table holding the rows of Src that overlap another of their reporter's (overlapping.sql); "" filters by reporter live
	Pairs      string // table holding pairs.sql's rows for this scope; "" computes them
	PairsA     string // pairs.sql's rows over the overlapping records alone, which pairs_ok.sql completes into Pairs
	Versions   bool   // source.sql: with each record's rk and version, for the records cache
	Fresh      bool   // source.sql: the records of the parts {parts}, flagged ones included, with their versions (recordCache)
	Cache      string // cached.sql: the records cache's table (its flagged records: Cache + "_flagged")
	Names      string // table holding names.sql's rows for the run's records; "" computes them
	Titles     string // table holding titles.sql's rows for the run's records; "" computes them
	Lean       bool   // figures.sql: trend figures only (see figures.sql)
	OverlapSet bool   // a run without tables: overlap.sql's reporters are bound as {ovl:Array(UInt64)}
	Own        bool   // source.sql: one reporter's own figures, which also read the reporter's records no requester could be attributed to
}

// Live reports a live query of few records (neither a run's table nor a run's bound reporters):
// pairs.sql then folds every pair, without overlap.sql's test.
func (d sqlData) Live() bool { return d.Src == "" && !d.OverlapSet }

// Text selects a text column of source.sql: as LowCardinality when all records are read (the run
// table's memory), as it is for a filtered read (the conversion costs more than it saves there).
func (d sqlData) Text(col string) string {
	if d.Where != "" {
		return col
	}
	return "toLowCardinality(" + col + ") AS " + col
}

// PairSource is the data pairs.sql reads its records with: the run's table of the overlapping
// reporters' records when there is one.
func (d sqlData) PairSource() sqlData {
	if d.Overlaps != "" {
		d.Src = d.Overlaps
	}
	return d
}

// render expands one of the .sql templates with a scope's key expressions and a fixed filter,
// reading the records live.
func render(name string, sc scope, where string) string {
	return renderData(name, sqlData{K1: sc.k1, K2: sc.k2, K3: sc.k3, Where: where, Lean: sc.lean})
}

func renderData(name string, d sqlData) string {
	var b bytes.Buffer
	err := sqlTmpl.ExecuteTemplate(&b, name, d)
	if err != nil {
		panic(fmt.Sprintf("wages: %s template: %v", name, err)) // the templates and their data are constants
	}
	return b.String()
}

// trendQuery renders a live query's lean figures per bucket (trend.sql; see the trend point types).
func trendQuery(sc scope, where string) string {
	return "SELECT " + figureColumns + " FROM (" + render("trend.sql", sc, where) + ")"
}

// figuresQuery renders the figures SQL of one scope and filter.
func figuresQuery(sc scope, where string) string {
	return figuresQueryData(sqlData{K1: sc.k1, K2: sc.k2, K3: sc.k3, Where: where, Lean: sc.lean})
}

func figuresQueryData(d sqlData) string {
	return "SELECT " + figureColumns + " FROM (" + renderData("figures.sql", d) + ")"
}

// row is one wage_figures row as scanned.
type row struct {
	histBins                             []uint32 // the per-task wage histogram (figures.sql's hist_*)
	histTasks                            []uint64
	histSecs                             []float64
	scope, requesterID, hitSetID, bucket string
	requesterName, title                 string
	reward                               float64
	allotted                             uint32
	bonusOwed                            *float64
	Figures
}

func (r *row) dest() []any {
	f := &r.Figures
	return []any{&r.scope, &r.requesterID, &r.hitSetID, &r.bucket, &f.Records, &f.Reporters, &f.ExcludedReporters,
		&f.Paid, &f.Offered, &f.EffectiveSeconds, &f.NominalSeconds, &f.TaskSeconds, &f.EffectiveHourly, &f.NominalHourly,
		&f.MedianHourly, &f.P25Hourly, &f.P75Hourly, &f.TrimmedMeanHourly, &f.ShareBelowMinimum, &f.ShareBelowTarget,
		&f.Submitted, &f.Pending, &f.Approved, &f.Rejected, &f.Returned, &f.Abandoned,
		&f.MedianDecisionSeconds, &f.MedianApprovalSeconds, &f.MedianTaskSeconds, &f.MedianAllottedRatio,
		&r.requesterName, &r.title, &r.reward, &r.allotted, &r.bonusOwed, &f.Target, &f.ComputedAt,
		&f.Platform, &f.Currency, &f.Minimum, &f.ScreenedOut, &f.TimedOut, &f.PayScore, &f.Untimed, &f.UntimedOffered,
		&r.histBins, &r.histTasks, &r.histSecs}
}

func (r *row) group() Group {
	return Group{HitSetID: r.hitSetID, RequesterID: r.requesterID, RequesterName: r.requesterName, Title: r.title,
		Reward: r.reward, AllottedSeconds: r.allotted, BonusOwed: r.bonusOwed, Figures: r.Figures}
}

func (r *row) requester() RequesterFigures {
	return RequesterFigures{RequesterID: r.requesterID, RequesterName: r.requesterName, Figures: r.Figures}
}

// args returns the parameters every figures query binds, plus extra.
func (w *Wages) args(sc scope, at time.Time, extra store.Args) store.Args {
	a := store.Args{"scope": sc.name, "target": w.cfg.Target, "minimum": MinimumWage,
		"max_overlap": w.cfg.MaxOverlap, "at": at, "cap": ReporterCap,
		"hist_width": HistogramWidth, "hist_bins": uint32(HistogramBins)}
	w.floorArgs(a)
	for k, v := range extra {
		a[k] = v
	}
	return a
}

// rangeArgs binds a time range; a zero bound is open.
func rangeArgs(r Range, extra store.Args) store.Args {
	from, to := r.From, r.To
	if from.IsZero() {
		from = time.Unix(0, 0)
	}
	if to.IsZero() {
		to = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	a := store.Args{"from": from.UTC(), "to": to.UTC()}
	for k, v := range extra {
		a[k] = v
	}
	return a
}

// Range is a half-open time range [From, To) over a record's finish time (else accept or
// receive time). A zero From or To leaves that side open.
type Range struct {
	From, To time.Time
}

// Week returns the range of the ISO week (Monday 00:00 UTC) that contains t.
func Week(t time.Time) Range {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	d = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	return Range{From: d, To: d.AddDate(0, 0, 7)}
}

// queryRows runs q and scans every row.
func (w *Wages) queryRows(ctx context.Context, q string, args store.Args) ([]row, error) {
	rows, err := w.s.Query(ctx, q, args)
	if err != nil {
		return nil, fmt.Errorf("wages: %w", err)
	}
	defer rows.Close()
	var out []row
	docs := len(rows.Columns()) == 1 // wage_figures.doc (latest, storedDocs), else the figure columns
	for rows.Next() {
		var r row
		if docs {
			var doc string
			if err := rows.Scan(&doc); err != nil {
				return nil, fmt.Errorf("wages: scan: %w", err)
			}
			if err := r.fromDoc(doc); err != nil {
				return nil, err
			}
		} else if err := rows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("wages: scan: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wages: %w", err)
	}
	return out, nil
}

// one returns the single row of q or ErrNotFound.
func (w *Wages) one(ctx context.Context, q string, args store.Args) (row, error) {
	rs, err := w.queryRows(ctx, q, args)
	if err != nil {
		return row{}, err
	}
	if len(rs) == 0 {
		return row{}, ErrNotFound
	}
	return rs[0], nil
}

// latest selects the newest precomputed row of one key; cheaper than FINAL for a single row.
func latest(where string) string {
	return "SELECT doc FROM wage_figures WHERE " + where + " ORDER BY computed_at DESC LIMIT 1"
}

// stored selects precomputed rows of wage_figures by their columns: for many rows, where scanning
// columns beats decoding a JSON document a row.
func stored(where string) string {
	return "SELECT " + strings.ReplaceAll(figureColumns, "\n", " ") + " FROM wage_figures FINAL WHERE " + where
}

// storedDocs selects precomputed rows of wage_figures by their doc column: for a few rows.
func storedDocs(where string) string {
	return "SELECT doc FROM wage_figures FINAL WHERE " + where
}

// fromDoc fills the row from wage_figures.doc: its figure columns as one JSON array, in
// figureColumns order (written by the column's MATERIALIZED expression, migration 0006). One
// String column costs a lookup a third of what 37 columns cost to read and decode.
func (r *row) fromDoc(doc string) error {
	var vals []json.RawMessage
	if err := json.Unmarshal([]byte(doc), &vals); err != nil {
		return fmt.Errorf("wages: figures document: %w", err)
	}
	dest := r.dest()
	if len(vals) != len(dest) {
		return fmt.Errorf("wages: figures document: %d values, want %d", len(vals), len(dest))
	}
	for i, d := range dest {
		if t, ok := d.(*time.Time); ok {
			var text string
			if err := json.Unmarshal(vals[i], &text); err != nil {
				return fmt.Errorf("wages: figures document: value %d: %w", i, err)
			}
			v, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", text, time.UTC)
			if err != nil {
				return fmt.Errorf("wages: figures document: value %d: %w", i, err)
			}
			*t = v
			continue
		}
		if err := json.Unmarshal(vals[i], d); err != nil {
			return fmt.Errorf("wages: figures document: value %d: %w", i, err)
		}
	}
	return nil
}
