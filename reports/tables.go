package reports

import (
	"fmt"
	"math"
	"strconv"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// summary is the report's opening sentences about the market in the period, in the currency u.
func summary(cur, prev wages.Figures, k uint64, u unit) []string {
	out := []string{fmt.Sprintf("%d tasks reported by %d workers.", cur.Records, cur.Reporters)}
	if cur.Reporters < k {
		return append(out, fmt.Sprintf("Fewer than %d workers reported: wage figures are suppressed.", k))
	}
	if cur.EffectiveHourly != nil {
		s := fmt.Sprintf("Effective hourly wage %s%s (nominal %s%s), median task %s%s/h.", u.sign, money(cur.EffectiveHourly),
			u.sign, money(cur.NominalHourly), u.sign, money(cur.MedianHourly))
		if prev.EffectiveHourly != nil && prev.Reporters >= k {
			s += fmt.Sprintf(" Change since the period before: %s %s.", signed(round2(*cur.EffectiveHourly)-round2(*prev.EffectiveHourly)), u.perHour())
		}
		out = append(out, s)
	}
	if cur.ShareBelowMinimum != nil && cur.ShareBelowTarget != nil {
		out = append(out, fmt.Sprintf("%s%% of work time paid under %s/h, %s%% under the %s/h target.",
			pct(cur.ShareBelowMinimum), u.amount(u.floor.Minimum), pct(cur.ShareBelowTarget), u.amount(cur.Target)))
	}
	return out
}

// otherMarkets are the summary's sentences on the markets of the platform's requesters whose
// figures are in another currency than the report's: a market of their own, never added to it.
func otherMarkets(pl *platform.Platform, others []wages.Figures, k uint64) []string {
	var out []string
	for _, f := range others {
		s := fmt.Sprintf("%s paying in %s are a market of their own: %d tasks reported by %d workers", capitalized(pl.Requesters), f.Currency, f.Records, f.Reporters)
		if f.Reporters >= k && f.EffectiveHourly != nil {
			s += fmt.Sprintf(", effective hourly wage %s%s", platform.Symbol(f.Currency), money(f.EffectiveHourly))
		}
		out = append(out, s+".")
	}
	return out
}

func capitalized(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func marketTable(pl *platform.Platform, cur, prev wages.Figures, u unit) Table {
	t := Table{Name: "market", Title: "The market", Note: "Wage figures over all requesters; the previous period for comparison.",
		Head: []string{"figure", "this period", "previous period"}}
	if len(pl.Currencies) > 1 {
		t.Note = fmt.Sprintf("Wage figures over all %s whose figures are in %s (the market's currency); the previous period for comparison.", pl.Requesters, u.code)
	}
	h := u.perHour()
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
	add("effective "+h+" (time-weighted)", func(f wages.Figures) string { return money(f.EffectiveHourly) })
	add("nominal "+h+" (time-weighted)", func(f wages.Figures) string { return money(f.NominalHourly) })
	add("median task "+h, func(f wages.Figures) string { return money(f.MedianHourly) })
	add("25th percentile task "+h, func(f wages.Figures) string { return money(f.P25Hourly) })
	add("75th percentile task "+h, func(f wages.Figures) string { return money(f.P75Hourly) })
	add("trimmed mean task "+h, func(f wages.Figures) string { return money(f.TrimmedMeanHourly) })
	add("% of work time under "+u.amount(u.floor.Minimum)+"/h", func(f wages.Figures) string { return pct(f.ShareBelowMinimum) })
	add("% of work time under the target", func(f wages.Figures) string { return pct(f.ShareBelowTarget) })
	add("target "+h, func(f wages.Figures) string { return num(f.Target) })
	add("paid "+u.sign, func(f wages.Figures) string { return num(f.Paid) })
	add("approved", func(f wages.Figures) string { return count(f.Approved) })
	add("pending or submitted", func(f wages.Figures) string { return count(f.Pending + f.Submitted) })
	add("rejected", func(f wages.Figures) string { return count(f.Rejected) })
	add("returned", func(f wages.Figures) string { return count(f.Returned) })
	add("abandoned", func(f wages.Figures) string { return count(f.Abandoned) })
	// The statuses only some platforms have (Prolific's screen-outs and time-outs).
	if pl.Status("timed out") == "timed_out" {
		add("timed out", func(f wages.Figures) string { return count(f.TimedOut) })
	}
	if pl.Status("screened out") == "screened_out" {
		add("screened out", func(f wages.Figures) string { return count(f.ScreenedOut) })
	}
	return t
}

func coverageTable(pl *platform.Platform, c coverage, cur wages.Figures, k uint64) Table {
	t := Table{Name: "coverage", Title: "Data coverage",
		Head: []string{"item", "value"}}
	t.Rows = [][]string{
		{"task records counted", count(c.records)},
		{"distinct reporters", count(c.reporters)},
		{pl.Requesters, count(c.requesters)},
		{"records left out by the anti-gaming rules", count(c.flagged)},
		{"reporters left out for impossible overlap", count(cur.ExcludedReporters)},
		{"records without a finish time (dated by accept or receipt)", count(c.noFinish)},
		{"first day with records", c.firstDay},
		{"last day with records", c.lastDay},
		{"fewest reporters behind a published figure", count(k)},
	}
	return t
}

// aboutTable says what the report was made from; a report beyond MTurk (whose reports keep the
// rows they had before other platforms) names its platform, currency and currency table too.
func aboutTable(r *Report, ratesVersion string) Table {
	var plat [][]string
	if r.Platform != nil && r.Platform.ID != platform.MTurk {
		plat = [][]string{{"platform", r.Platform.Name}, {"currency", r.Currency}, {"currency table", ratesVersion}}
	}
	return Table{Name: "about", Title: "Citation and version", Head: []string{"item", "value"}, Rows: append(plat, [][]string{
		{"report", r.Title},
		{"period", r.Period.Label()},
		{"url", r.URL},
		{"data range", r.Stamp.DataRange},
		{"records", count(r.Stamp.Records)},
		{"schema version", strconv.Itoa(r.Stamp.SchemaVersion)},
		{"revision", r.Stamp.Revision},
		{fingerprintRow, r.Stamp.Fingerprint},
		{"citation", r.Citation},
	}...)}
}

// notes are the methodology notes every report carries, for platform pl in currency u; crawled
// says whether the report shows the listing crawls' supply. MTurk's read as they did before there
// were other platforms.
func notes(k uint64, pl *platform.Platform, u unit, crawled bool, ratesVersion string) []string {
	effective := "Effective hourly wage: pay actually received or still expected (reward + bonus of submitted, pending and approved tasks) over the merged working time of all tasks, returned and abandoned ones included, with overlapping tasks of one worker counted once."
	shares := fmt.Sprintf("Shares under %s/h (US federal minimum wage) and under the %s/h target are shares of task time in tasks paying less than that per hour.", u.amount(u.floor.Minimum), u.amount(u.floor.Target))
	if pl.ID != platform.MTurk {
		effective = "Effective hourly wage: pay actually received or still expected (reward + bonus of submitted, pending and approved tasks, and what a screen-out paid) over the merged working time of all tasks, returned, timed-out and screened-out ones included, with overlapping tasks of one worker counted once."
		shares = fmt.Sprintf("Shares under %s/h and under the %s/h target are shares of task time in tasks paying less than that per hour; the floor and target are %s.", u.amount(u.floor.Minimum), u.amount(u.floor.Target), u.floor.Source)
	}
	out := []string{
		fmt.Sprintf("Task records are reported by workers (browser extension, imports, forum posts); they are a sample of the work done on %s, not all of it. A record belongs to the period of its finish time (else accept time, else the time it was received).", pl.Short),
		effective + " Nominal hourly wage: the reward offered by submitted tasks over their merged time. After Hara et al., CHI 2018; see /methodology.",
		shares,
	}
	if len(pl.Currencies) > 1 {
		out = append(out, fmt.Sprintf("Amounts are in %s, %s's market currency: the market's figures are those of the %s whose figures are in %s; a task paid in another currency is converted into its %s's currency through the currency table (%s), and the %s whose figures are in another currency are a market of their own, summarized apart. No figure adds amounts in two currencies.",
			u.code, pl.Short, pl.Requesters, u.code, pl.Requester, ratesVersion, pl.Requesters))
	}
	out = append(out,
		"Records with no time, over 24 hours, over twice the time allotted, or negative money are left out (anti-gaming rules), and so are all records of a worker whose tasks overlap impossibly (the wage distribution table keeps those workers' records).",
		fmt.Sprintf("Figures resting on fewer than %d distinct workers are suppressed. Grades are the site's current A-F fairness grades over all data.", k),
	)
	if crawled {
		out = append(out, "HIT supply comes from the listing crawls: hours without a crawl are missing, not empty.")
	}
	return out
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
