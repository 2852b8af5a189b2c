package export

import (
	"fmt"
	"strings"
)

// Column documents one column of an export.
type Column struct {
	Name        string `json:"name"`
	Type        string `json:"type"` // ClickHouse type as written; Parquet and JSON follow from it
	Description string `json:"description"`
}

// Dataset documents one export: what a row is and its columns, in order.
type Dataset struct {
	Name    string   `json:"name"`
	Row     string   `json:"row"`
	Range   bool     `json:"range"` // whether from/to select rows
	Columns []Column `json:"columns"`
	sql     string
}

// Datasets is the data dictionary: every export and its columns.
var Datasets = []Dataset{
	{Name: "records", Range: true, sql: recordsSQL,
		Row: "One worker-reported task on the platform asked for (deduplicated: the newest report of a task), finished (else accepted, else received) in the range's weeks. A row is published only when what it shows of its requester, group and time is shared by the rows of at least k distinct reporters that ISO week (see Privacy); otherwise it is left out.",
		Columns: []Column{
			{"reporter", "String", "Pseudonym of the reporting worker for this row's requester: 16 hex digits of SHA-256 over the stored pseudonym, the requester and a salt drawn for this export alone. One worker's rows of one requester share it; their rows of another requester carry an unrelated pseudonym, and every other export other ones. Never a worker ID; it can't link a worker across requesters (the workers dataset has their totals)."},
			{"requester_id", "String", "The requester's id on its platform: an MTurk requester ID, a Prolific researcher ID."},
			{"requester_name", "String", "Requester name as this record's reporter gave it (untrusted text; raw data: the site's displayed name is chosen as docs/methodology.md says)."},
			{"hit_set_id", "String", "The group's id on its platform: an MTurk HIT group ID, a Prolific study ID; empty when fewer than k distinct reporters did the group's tasks in the row's ISO week (the row is then one of the requester's other groups)."},
			{"title", "String", "Title of the HIT group or study (untrusted text); empty when hit_set_id is."},
			{"reward", "Decimal(10, 2)", "Reward, in the record's currency (the currency column)."},
			{"bonus", "Decimal(10, 2)", "Bonus paid, in the record's currency."},
			{"status", "String", "submitted, pending, approved, rejected, returned, abandoned, screened_out or timed_out (docs/methodology.md maps each platform's statuses onto these)."},
			{"seconds", "Nullable(Float64)", "Working time in whole seconds: the reported duration, else finish minus accept time; null for an untimed record (a saved history's, with no time on task)."},
			{"allotted_seconds", "UInt32", "Time the requester allotted, in seconds; 0 when unknown."},
			{"accepted_hour", "Nullable(DateTime('UTC'))", "When the task was started (finish minus working time; UTC), cut to the row's time_unit; null when unknown."},
			{"finished_hour", "Nullable(DateTime('UTC'))", "When the task was finished (UTC), cut to the row's time_unit; null when unknown."},
			{"decided_hour", "Nullable(DateTime('UTC'))", "When the task was approved or rejected (UTC), cut to the row's time_unit; null when undecided or unknown."},
			{"week", "Date", "Monday (UTC) of the ISO week the record is placed in (its finish, else accept, else receipt time)."},
			{"time_unit", "String", "What the row's times are cut to: hour (the start of the hour), day (midnight UTC) or week (Monday midnight UTC). hour when at least k distinct reporters did tasks of the row's requester and group (as published) in that hour; else day when the day's rows not cut to the hour have k; else week."},
			{"hourly", "Nullable(Float64)", "This task's hourly wage in the record's currency: reward + bonus of submitted, pending, approved and screened-out tasks (0 for rejected, returned, abandoned and timed-out ones) over seconds; null for an untimed record."},
			{"flag", "String", "Anti-gaming rule that leaves the record out of the wage figures (no_time, over_day, over_allotted, negative_money); empty when counted."},
			{"platform", "String", "The platform: mturk or prolific."},
			{"currency", "String", "The record's currency (ISO 4217: USD, GBP): reward, bonus and hourly are in it."},
			{"source_kind", "String", "Where the record came from: api (a worker's tool or userscript), import:<format> (an operator's import of a saved history or file: import:mturk-suite, import:hitdb, import:status-details, import:prolific-csv, import:csv...), upload:<format> (a worker's upload on /contribute), forum (a forum HIT export), demo, import (imported before formats were recorded)."},
		}},
	{Name: "workers", Range: true, sql: workersSQL,
		Row: "One worker's week on the platform asked for, in one currency: their totals across every requester (after Hara et al. 2018), cut to bands. Unflagged records only; a worker whose tasks overlap impossibly (task time over 30 times merged time) is left out. No pseudonym and no requester: rows can't be joined to the records dataset nor to the worker's other weeks. A row is published only when at least k workers' rows of the same week and currency carry the same bands, so every row is identical to at least k - 1 others. Sorted by week, currency and bands.",
		Columns: []Column{
			{"week", "Date", "Monday (UTC) of the ISO week."},
			{"hours_from", "UInt8", "The worker's merged working time that week (overlapping tasks counted once), as the lower end of its band in hours: 0 (under 2), 2 (2 to 10), 10 (10 to 40) or 40 (40 or more)."},
			{"hourly_from", "UInt8", "The worker's effective hourly wage that week, in the currency column's currency (paid or still expected, over merged working time), cut to a whole unit: 7 is 7.00 to 7.99 an hour; 30 is 30 or more."},
			{"platform", "String", "The platform: mturk or prolific."},
			{"currency", "String", "The currency of the worker's records counted in the row (ISO 4217); a worker paid in two currencies has a row in each."},
		}},
	{Name: "requesters", sql: requestersSQL,
		Row: "One requester's wage figures over all data on the platform asked for, as the site shows them (as of the last recompute), in the requester's currency. Requesters with fewer than k distinct reporters are left out.",
		Columns: []Column{
			{"requester_id", "String", "The requester's id on its platform: an MTurk requester ID, a Prolific researcher ID."},
			{"requester_name", "String", "Requester name as the site shows it: the platform's listing's where hitwage crawled one (MTurk), else the one most distinct reporters gave (untrusted text; see docs/methodology.md)."},
			{"records", "UInt64", "Task records counted (anti-gaming flags and impossible-overlap workers left out)."},
			{"reporters", "UInt64", "Distinct reporting workers (at least k)."},
			{"paid", "Float64", "Paid or still expected, in the currency column's currency (reward + bonus of submitted, pending, approved and screened-out tasks; a record in another currency converted through the currency table)."},
			{"effective_seconds", "Float64", "Merged working time of all tasks, in seconds."},
			{"effective_hourly", "Nullable(Float64)", "Effective hourly wage in the currency column's currency: paid over merged time (Hara et al. 2018)."},
			{"nominal_hourly", "Nullable(Float64)", "Nominal hourly wage in the currency column's currency: reward offered by submitted tasks over their merged time."},
			{"median_hourly", "Nullable(Float64)", "Median per-task hourly wage, in the currency column's currency."},
			{"p25_hourly", "Nullable(Float64)", "25th percentile per-task hourly wage, in the currency column's currency."},
			{"p75_hourly", "Nullable(Float64)", "75th percentile per-task hourly wage, in the currency column's currency."},
			{"share_below_minimum", "Nullable(Float64)", "Share (0-1) of task time in tasks paying under the floor (the minimum column)."},
			{"share_below_target", "Nullable(Float64)", "Share (0-1) of task time in tasks paying under the target."},
			{"target", "Float64", "Target hourly wage the share was computed with, in the currency column's currency."},
			{"approved", "UInt64", "Approved tasks."},
			{"rejected", "UInt64", "Rejected tasks."},
			{"pending", "UInt64", "Submitted or pending tasks, not decided yet."},
			{"returned", "UInt64", "Returned tasks."},
			{"abandoned", "UInt64", "Abandoned tasks."},
			{"median_approval_hours", "Nullable(Float64)", "Median hours from submission to approval."},
			{"platform", "String", "The platform: mturk or prolific."},
			{"currency", "String", "The currency of the requester's figures (ISO 4217): the one most of its records name."},
			{"minimum", "Float64", "The floor per hour, in the currency column's currency, share_below_minimum was computed with: the platform's for that currency (MTurk: the US federal minimum wage, 7.25; Prolific: its minimum pay)."},
		}},
	{Name: "weeks", Range: true, sql: weeksSQL,
		Row: "The market's wage figures on the platform asked for in one ISO week (Monday, UTC) of the range (as of the last recompute), one row per currency: the market of the requesters whose figures are in it. Rows with fewer than k distinct reporters are left out.",
		Columns: []Column{
			{"week", "Date", "Monday (UTC) the week starts."},
			{"records", "UInt64", "Task records counted."},
			{"reporters", "UInt64", "Distinct reporting workers (at least k); workers whose tasks overlap impossibly are left out."},
			{"paid", "Float64", "Paid or still expected, in the currency column's currency."},
			{"effective_hourly", "Nullable(Float64)", "Effective hourly wage, in the currency column's currency."},
			{"nominal_hourly", "Nullable(Float64)", "Nominal hourly wage, in the currency column's currency."},
			{"target", "Float64", "Target hourly wage, in the currency column's currency."},
			{"platform", "String", "The platform: mturk or prolific."},
			{"currency", "String", "The currency of the row's figures (ISO 4217); the platform's own (MTurk: USD, Prolific: GBP) is its headline market."},
		}},
}

func dataset(name string) (Dataset, bool) {
	for _, d := range Datasets {
		if d.Name == name {
			return d, true
		}
	}
	return Dataset{}, false
}

func names() []string {
	out := make([]string, len(Datasets))
	for i, d := range Datasets {
		out[i] = d.Name
	}
	return out
}

// DictionaryMarkdown renders the data dictionary as docs/data-dictionary.md holds it.
func DictionaryMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Data dictionary: research exports

hitwage's research exports are streamed by ClickHouse itself as CSV (with a header row), NDJSON (one JSON
object per line) or Parquet (with its schema):

    GET /api/v1/export                                   this dictionary as JSON, with the citation
    GET /api/v1/export/{dataset}.{csv|ndjson|parquet}?platform=prolific&from=2026-11-01&to=2026-12-01&k=5
    collector export --platform prolific --dataset records --format parquet --from 2026-11-01 --to 2026-12-01 --out records.parquet

Every export is of one platform: ` + "`platform`" + ` is mturk (the default; MTurk closed on 2026-09-30 and its
data is an archive) or prolific, and an export holds that platform's rows only. Ids are the platform's own
(an MTurk requester ID, a Prolific researcher ID). Money is never added across currencies: a record's
amounts are in its own currency, a requester's figures in the requester's, and the market's weeks come
one row per currency; the ` + "`currency`" + ` column (ISO 4217) names it on every row (see docs/methodology.md,
"Platforms, currencies and floors").

Every answer carries its version stamp and citation: the X-Hitwage-Stamp and X-Hitwage-Citation headers
on the site, FILE.about.json beside a file the collector writes. The stamp names the platform, the data
range (the first and last day with the platform's records), the weeks asked for (from and to widened to
whole ISO weeks, see Privacy), k, the schema version and the git revision.

In CSV only, a requester name or HIT title that starts with =, +, @, a tab or a carriage return gets a
leading apostrophe, so that a spreadsheet program shows it as text instead of running it as a formula;
NDJSON and Parquet carry the text as reported. A missing value (a null column below) is ` + "`\\N`" + ` in CSV
(ClickHouse's CSV convention; pandas: ` + "`na_values=[\"\\\\N\"]`" + `, R: ` + "`na = \"\\\\N\"`" + `), ` + "`null`" + ` in NDJSON and a null in
Parquet.

The rows of the ` + "`records`" + ` dataset come in no set order (the export streams them as the engine reads them,
so two downloads of the same range hold the same rows, possibly in another order): sort them before
comparing or hashing two exports. The ` + "`requesters`" + ` and ` + "`weeks`" + ` datasets are sorted by requester, and by week and currency; ` + "`workers`" + ` by week, currency and bands.

## Privacy

docs/methodology.md, "Research exports: what they protect against", says whom these rules protect
workers from and why each is there.

- No worker identifier is exported. In ` + "`records`" + `, ` + "`reporter`" + ` is a pseudonym of a worker for one
  requester: SHA-256 of the stored pseudonym (itself a keyed hash of the worker ID), the requester and a
  random salt drawn for the export and never published. A worker's rows of one requester can be linked
  within one export; rows of two requesters, or of two exports, cannot. A requester that recognises its
  own tasks in an export learns nothing of the same workers' tasks for anyone else.
- ` + "`workers`" + ` gives each worker's weekly totals across requesters (merged time, effective hourly wage)
  without any pseudonym or requester, in bands, each row identical to at least k - 1 others.
- Ranges are whole ISO weeks: from is moved back to its Monday and to on to the next Monday
  (00:00 UTC), and the stamp names the weeks exported. Every suppression is decided within one week
  from that week's records alone, so an export is the union of its weeks, and two exports of
  overlapping ranges differ by whole weeks, each already k-anonymous: differencing them isolates
  nothing that an export of those weeks would not show.
- k-anonymity (k = 5 by default, never less), per ISO week: a group's id and title are published when
  at least k distinct reporters did its tasks that week; a record's times are cut to the hour when at
  least k reporters did tasks of its requester and group (as published) in that hour, else to the day,
  else to the week, as ` + "`time_unit`" + ` says, and it is left out when even its week's remaining rows have
  fewer than k reporters (so a requester with fewer than k reporters in a week has no rows that week);
  aggregate rows resting on fewer than k reporters are left out.
- No exact timestamp, assignment ID, HIT ID, source URL or time of receipt is exported (the hour a
  report arrived would tie together every row of one upload); working time is in whole seconds.

## Cite

> hitwage. Research export "DATASET" of PLATFORM (FORMAT). BASE_URL/api/v1/export (platform: P; data: FIRST to LAST; k=5; schema version N; revision R).
`)
	for _, d := range Datasets {
		fmt.Fprintf(&b, "\n## %s\n\n%s", d.Name, d.Row)
		if d.Range {
			b.WriteString(" Takes from and to (dates or RFC 3339 times, UTC), widened to whole ISO weeks.")
		}
		b.WriteString("\n\n| column | type | description |\n| --- | --- | --- |\n")
		for _, c := range d.Columns {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Name, c.Type, strings.ReplaceAll(c.Description, "|", `\|`))
		}
	}
	return b.String()
}
