package reports

import (
	"fmt"
	"math"
	"strconv"

	"github.com/hitwage/hitwage/internal/wages"
)

// summary is the report's opening sentences about the market in the period.
func summary(cur, prev wages.Figures, k uint64) []string {
	out := []string{fmt.Sprintf("%d tasks reported by %d workers.", cur.Records, cur.Reporters)}
	if cur.Reporters < k {
		return append(out, fmt.Sprintf("Fewer than %d workers reported: wage figures are suppressed.", k))
	}
	if cur.EffectiveHourly != nil {
		s := fmt.Sprintf("Effective hourly wage $%s (nominal $%s), median task $%s/h.", money(cur.EffectiveHourly), money(cur.NominalHourly), money(cur.MedianHourly))
		if prev.EffectiveHourly != nil && prev.Reporters >= k {
			s += fmt.Sprintf(" Change since the period before: %s $/h.", signed(round2(*cur.EffectiveHourly)-round2(*prev.EffectiveHourly)))
		}
		out = append(out, s)
	}
	if cur.ShareBelowMinimum != nil && cur.ShareBelowTarget != nil {
		out = append(out, fmt.Sprintf("%s%% of work time paid under $7.25/h, %s%% under the $%s/h target.",
			pct(cur.ShareBelowMinimum), pct(cur.ShareBelowTarget), num(cur.Target)))
	}
	return out
}

func marketTable(cur, prev wages.Figures) Table {
	t := Table{Name: "market", Title: "The market", Note: "Wage figures over all requesters; the previous period for comparison.",
		Head: []string{"figure", "this period", "previous period"}}
	add := func(name string, f func(wages.Figures) string) {
		p := ""
		if prev.Records > 0 {
			p = f(prev)
		}
		t.Rows = append(t.Rows, []string{name, f(cur), p})
	}
	add("tasks", func(f wages.Figures) string { return count(f.Records) })
	add("reporters", func(f wages.Figures) string { return count(f.Reporters) })
	add("reporters left out (impossible overlap)", func(f wages.Figures) string { return count(f.ExcludedReporters) })
	add("effective $/h (time-weighted)", func(f wages.Figures) string { return money(f.EffectiveHourly) })
	add("nominal $/h (time-weighted)", func(f wages.Figures) string { return money(f.NominalHourly) })
	add("median task $/h", func(f wages.Figures) string { return money(f.MedianHourly) })
	add("25th percentile task $/h", func(f wages.Figures) string { return money(f.P25Hourly) })
	add("75th percentile task $/h", func(f wages.Figures) string { return money(f.P75Hourly) })
	add("trimmed mean task $/h", func(f wages.Figures) string { return money(f.TrimmedMeanHourly) })
	add("% of work time under $7.25/h", func(f wages.Figures) string { return pct(f.ShareBelowMinimum) })
	add("% of work time under the target", func(f wages.Figures) string { return pct(f.ShareBelowTarget) })
	add("target $/h", func(f wages.Figures) string { return num(f.Target) })
	add("paid $", func(f wages.Figures) string { return num(f.Paid) })
	add("approved", func(f wages.Figures) string { return count(f.Approved) })
	add("pending or submitted", func(f wages.Figures) string { return count(f.Pending + f.Submitted) })
	add("rejected", func(f wages.Figures) string { return count(f.Rejected) })
	add("returned", func(f wages.Figures) string { return count(f.Returned) })
	add("abandoned", func(f wages.Figures) string { return count(f.Abandoned) })
	return t
}

func coverageTable(c coverage, cur wages.Figures, k uint64) Table {
	t := Table{Name: "coverage", Title: "Data coverage",
		Head: []string{"item", "value"}}
	t.Rows = [][]string{
		{"task records counted", count(c.records)},
		{"distinct reporters", count(c.reporters)},
		{"requesters", count(c.requesters)},
		{"records left out by the anti-gaming rules", count(c.flagged)},
		{"reporters left out for impossible overlap", count(cur.ExcludedReporters)},
		{"records without a finish time (dated by accept or receipt)", count(c.noFinish)},
		{"first day with records", c.firstDay},
		{"last day with records", c.lastDay},
		{"fewest reporters behind a published figure", count(k)},
	}
	return t
}

func aboutTable(r *Report) Table {
	return Table{Name: "about", Title: "Citation and version", Head: []string{"item", "value"}, Rows: [][]string{
		{"report", r.Title},
		{"period", r.Period.Label()},
		{"url", r.URL},
		{"data range", r.Stamp.DataRange},
		{"records", count(r.Stamp.Records)},
		{"schema version", strconv.Itoa(r.Stamp.SchemaVersion)},
		{"revision", r.Stamp.Revision},
		{fingerprintRow, r.Stamp.Fingerprint},
		{"citation", r.Citation},
	}}
}

// notes are the methodology notes every report carries.
func notes(k uint64, target float64) []string {
	return []string{
		"Task records are reported by workers (browser extension, imports, forum posts); they are a sample of the work done on MTurk, not all of it. A record belongs to the period of its finish time (else accept time, else the time it was received).",
		"Effective hourly wage: pay actually received or still expected (reward + bonus of submitted, pending and approved tasks) over the merged working time of all tasks, returned and abandoned ones included, with overlapping tasks of one worker counted once. Nominal hourly wage: the reward offered by submitted tasks over their merged time. After Hara et al., CHI 2018; see /methodology.",
		fmt.Sprintf("Shares under $7.25/h (US federal minimum wage) and under the $%s/h target are shares of task time in tasks paying less than that per hour.", num(target)),
		"Records with no time, over 24 hours, over twice the time allotted, or negative money are left out (anti-gaming rules), and so are all records of a worker whose tasks overlap impossibly (the wage distribution table keeps those workers' records).",
		fmt.Sprintf("Figures resting on fewer than %d distinct workers are suppressed. Grades are the site's current A-F fairness grades over all data.", k),
		"HIT supply comes from the listing crawls: hours without a crawl are missing, not empty.",
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func num(v float64) string  { return strconv.FormatFloat(round2(v), 'f', 2, 64) }
func num1(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64) }

func count(v uint64) string { return strconv.FormatUint(v, 10) }

func money(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return ""
	}
	return num(*v)
}

func pct(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return ""
	}
	return num1(*v * 100)
}

func pctOf(n, total uint64) string {
	if total == 0 {
		return ""
	}
	return num1(float64(n) / float64(total) * 100)
}

func signed(v float64) string {
	if v > 0 {
		return "+" + num(v)
	}
	if v == 0 {
		return "0.00"
	}
	return num(v)
}
