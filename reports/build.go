package reports

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

var (
	//go:embed coverage.sql
	coverageSQL string
	//go:embed requesters.sql
	requestersSQL string
	//go:embed histogram.sql
	histogramSQL string
)

// Tunables of a report's contents.
const (
	TopRequesters    = 20  // requesters listed by volume
	ChangeCandidates = 20  // largest requesters (in both periods) whose change is computed
	Changes          = 10  // biggest changes listed
	BinWidth         = 2.0 // per hour, in the report's currency, per histogram bin
	Bins             = 16  // histogram bins; the last is open-ended (30/h and over)
)

// Builder makes reports from one store.
type Builder struct {
	Store    *store.Store
	Wages    *wages.Wages
	Grades   func(requesterID string) string // A-F, or "" without enough data; nil leaves grades out
	Revision string                          // git revision of the running program
	BaseURL  string                          // the site's public URL, for the permanent link and citation
	K        int                             // fewest distinct reporters behind a published figure; default 5
	Platform platform.ID                     // the platform reported on; default MTurk (its figures are in its currency)
}

func (b *Builder) k() uint64 {
	if b.K <= 0 {
		return 5
	}
	return uint64(b.K)
}

// Build computes the report of period p.
func (b *Builder) Build(ctx context.Context, p Period) (*Report, error) {
	fp, err := b.fingerprint(ctx, p)
	if err != nil {
		return nil, err
	}
	return b.build(ctx, p, fp)
}

// build computes the report of p, stamped with fp, the fingerprint of p's records taken before
// they are read (a record arriving meanwhile makes the next Refresh rewrite the report).
func (b *Builder) build(ctx context.Context, p Period, fp string) (*Report, error) {
	pl, u := b.plat(), b.unit()
	r := &Report{Platform: pl, Currency: u.code, Period: p, Previous: p.Previous()}
	r.Title = fmt.Sprintf("hitwage %s wage report %s", p.Kind, p.Name)
	if pl.ID != platform.MTurk { // MTurk's reports keep the titles they had before other platforms
		r.Title = fmt.Sprintf("hitwage %s %s wage report %s", pl.Short, p.Kind, p.Name)
	}
	if r.Demo = b.Store.IsDemo(ctx); r.Demo { // the title is in the citation, the about table and every heading
		r.Title += " " + DemoLabel
	}
	r.Path = Path(pl.ID) + "/" + p.Name
	r.URL = strings.TrimRight(b.BaseURL, "/") + r.Path
	schema, err := b.Store.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("reports: schema version: %w", err)
	}
	cov, err := b.coverage(ctx, p)
	if err != nil {
		return nil, err
	}
	r.Stamp = Stamp{DataRange: "no records", Records: cov.records, SchemaVersion: schema, Revision: b.Revision, Fingerprint: fp}
	if cov.records > 0 {
		r.Stamp.DataRange = cov.firstDay + " to " + cov.lastDay
	}
	r.Citation = fmt.Sprintf("hitwage (%d). %s, %s. %s (%s).", p.To.AddDate(0, 0, -1).Year(), r.Title, p.Label(), r.URL, r.Stamp)
	r.NoData = cov.records == 0

	cur, others, err := b.market(ctx, p)
	if err != nil {
		return nil, err
	}
	prev, _, err := b.market(ctx, r.Previous)
	if err != nil {
		return nil, err
	}
	if !r.NoData {
		r.Summary = append(summary(cur, prev, b.k(), u), otherMarkets(pl, others, b.k())...)
		r.Tables = append(r.Tables, marketTable(pl, cur, prev, u))
		dist, err := b.distribution(ctx, p, u)
		if err != nil {
			return nil, err
		}
		r.Tables = append(r.Tables, dist)
		reqs, err := b.requesterCounts(ctx, p)
		if err != nil {
			return nil, err
		}
		top, cands := b.topAndCandidates(reqs)
		figs, err := b.requesterFigures(ctx, p, top, cands)
		if err != nil {
			return nil, err
		}
		r.Tables = append(r.Tables, b.topTable(top, figs), b.changesTable(p, cands, figs))
	}
	if b.crawled() {
		sup, err := b.supplyTable(ctx, p)
		if err != nil {
			return nil, err
		}
		r.Tables = append(r.Tables, sup)
	}
	r.Tables = append(r.Tables, coverageTable(pl, cov, cur, b.k()))
	r.Tables = append(r.Tables, aboutTable(r, b.Wages.Rates().Version))
	r.Notes = notes(b.k(), pl, u, b.crawled(), b.Wages.Rates().Version)
	if r.Charts, err = charts(r); err != nil {
		return nil, err
	}
	return r, nil
}

type coverage struct {
	records, reporters, requesters, flagged, noFinish uint64
	firstDay, lastDay                                 string
}

// rangeArgs binds a period and the report's platform.
func (b *Builder) rangeArgs(p Period) store.Args {
	return store.Args{"from": p.From, "to": p.To, "plat": string(b.plat().ID)}
}

func (b *Builder) coverage(ctx context.Context, p Period) (coverage, error) {
	var c coverage
	err := b.Store.QueryRow(ctx, coverageSQL, b.rangeArgs(p),
		&c.records, &c.reporters, &c.requesters, &c.flagged, &c.noFinish, &c.firstDay, &c.lastDay)
	if err != nil {
		return c, fmt.Errorf("reports: coverage: %w", err)
	}
	return c, nil
}

// market returns the platform's market figures over p, live, in the report's currency (zero
// figures when it has none), and the markets of the requesters whose figures are in another
// currency (Prolific's researchers paying in dollars), which no figure adds to it.
func (b *Builder) market(ctx context.Context, p Period) (wages.Figures, []wages.Figures, error) {
	fs, err := b.Wages.MarketRange(ctx, b.plat().ID, wages.Range{From: p.From, To: p.To})
	if errors.Is(err, wages.ErrNotFound) {
		return wages.Figures{}, nil, nil
	}
	if err != nil {
		return wages.Figures{}, nil, fmt.Errorf("reports: market figures %s: %w", p.Name, err)
	}
	var cur wages.Figures
	var others []wages.Figures
	for _, f := range fs {
		if f.Currency == b.unit().code {
			cur = f
		} else {
			others = append(others, f)
		}
	}
	return cur, others, nil
}

func (b *Builder) distribution(ctx context.Context, p Period, u unit) (Table, error) {
	args := b.rangeArgs(p)
	args["width"], args["bins"] = BinWidth, uint32(Bins)
	args["cur"] = u.code
	args["fx_cur"], args["fx_usd"] = b.Wages.Rates().Arrays()
	rows, err := b.Store.Query(ctx, histogramSQL, args)
	if err != nil {
		return Table{}, fmt.Errorf("reports: distribution: %w", err)
	}
	defer rows.Close()
	var eff, nom [Bins]uint64
	var effN, nomN uint64
	for rows.Next() {
		var kind string
		var bin uint32
		var n uint64
		if err := rows.Scan(&kind, &bin, &n); err != nil {
			return Table{}, fmt.Errorf("reports: distribution: %w", err)
		}
		if bin >= Bins {
			continue
		}
		if kind == "effective" {
			eff[bin] += n
			effN += n
		} else {
			nom[bin] += n
			nomN += n
		}
	}
	if err := rows.Err(); err != nil {
		return Table{}, fmt.Errorf("reports: distribution: %w", err)
	}
	t := Table{Name: "distribution", Title: "Wage distribution",
		Note: fmt.Sprintf("Per-task hourly wages. Effective: pay received (unpaid tasks count as %s/h) over reported time; nominal: reward offered over the time of submitted tasks.", u.sign+"0"),
		Head: []string{u.perHour() + " from", u.perHour() + " to", "tasks (effective)", "% (effective)", "tasks (nominal)", "% (nominal)"}}
	if len(b.plat().Currencies) > 1 {
		t.Note += fmt.Sprintf(" A task paid in another currency than %s is converted into it through the currency table.", u.code)
	}
	for i := range Bins {
		lo := float64(i) * BinWidth
		hi := num(lo + BinWidth)
		if i == Bins-1 {
			hi = ""
		}
		t.Rows = append(t.Rows, []string{num(lo), hi, count(eff[i]), pctOf(eff[i], effN), count(nom[i]), pctOf(nom[i], nomN)})
	}
	return t, nil
}

type reqCount struct {
	id                         string
	records, reporters         uint64
	prevRecords, prevReporters uint64
}

func (b *Builder) requesterCounts(ctx context.Context, p Period) ([]reqCount, error) {
	args := b.rangeArgs(p)
	args["prev"] = p.Previous().From
	rows, err := b.Store.Query(ctx, requestersSQL, args)
	if err != nil {
		return nil, fmt.Errorf("reports: requesters: %w", err)
	}
	defer rows.Close()
	var out []reqCount
	for rows.Next() {
		var c reqCount
		if err := rows.Scan(&c.id, &c.records, &c.reporters, &c.prevRecords, &c.prevReporters); err != nil {
			return nil, fmt.Errorf("reports: requesters: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reports: requesters: %w", err)
	}
	return out, nil
}

// topAndCandidates picks the largest requesters of the period and the candidates for the biggest
// changes: the largest with at least k reporters in both periods.
func (b *Builder) topAndCandidates(reqs []reqCount) (top, cands []reqCount) {
	for _, c := range reqs {
		if c.records == 0 || len(top) == TopRequesters {
			break
		}
		top = append(top, c)
	}
	for _, c := range reqs {
		if c.reporters >= b.k() && c.prevReporters >= b.k() {
			cands = append(cands, c)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, c := cands[i].records+cands[i].prevRecords, cands[j].records+cands[j].prevRecords
		if a != c {
			return a > c
		}
		return cands[i].id < cands[j].id
	})
	if len(cands) > ChangeCandidates {
		cands = cands[:ChangeCandidates]
	}
	return top, cands
}

type figKey struct {
	id   string
	prev bool
}

// requesterFigures computes the requester figures the tables need: the period's
// for the top requesters and the candidates, the previous period's for the candidates.
// One query per period; a requester without records in a period is zero figures.
func (b *Builder) requesterFigures(ctx context.Context, p Period, top, cands []reqCount) (map[figKey]wages.RequesterFigures, error) {
	var cur, prev []string
	for _, c := range top {
		cur = append(cur, c.id)
	}
	for _, c := range cands {
		cur = append(cur, c.id)
		prev = append(prev, c.id)
	}
	out := make(map[figKey]wages.RequesterFigures, len(cur)+len(prev))
	for _, q := range []struct {
		per  Period
		ids  []string
		prev bool
	}{{p, cur, false}, {p.Previous(), prev, true}} {
		figs, err := b.Wages.RequestersRange(ctx, q.ids, wages.Range{From: q.per.From, To: q.per.To})
		if err != nil {
			return nil, fmt.Errorf("reports: requesters %s: %w", q.per.Name, err)
		}
		for _, id := range q.ids {
			out[figKey{id, q.prev}] = b.converted(figs[id])
		}
	}
	return out, nil
}

// converted is a requester's figures with its hourly wages in the report's currency: a requester
// whose figures are in another (a Prolific researcher paying in dollars) is converted through the
// currency table, as the leaderboards rank it. Its shares stay measured against its own floor.
func (b *Builder) converted(f wages.RequesterFigures) wages.RequesterFigures {
	to := b.unit().code
	if f.Currency == "" || f.Currency == to {
		return f
	}
	rate, ok := b.Wages.Rates().Rate(f.Currency, to)
	if !ok {
		return f
	}
	scale := func(v *float64) *float64 {
		if v == nil {
			return nil
		}
		x := *v * rate
		return &x
	}
	f.EffectiveHourly, f.NominalHourly, f.MedianHourly = scale(f.EffectiveHourly), scale(f.NominalHourly), scale(f.MedianHourly)
	f.Currency = to
	return f
}

// conversionNote is the sentence a requester table carries when the platform pays in several
// currencies.
func (b *Builder) conversionNote() string {
	pl := b.plat()
	if len(pl.Currencies) < 2 {
		return ""
	}
	return fmt.Sprintf(" Figures of %s paying in another currency than %s are converted into it through the currency table; their share under the floor is measured against their own currency's floor.", pl.Requesters, b.unit().code)
}

func (b *Builder) topTable(top []reqCount, figs map[figKey]wages.RequesterFigures) Table {
	pl, u := b.plat(), b.unit()
	t := Table{Name: "requesters", Title: fmt.Sprintf("The %d largest %s by reported tasks", TopRequesters, pl.Requesters),
		Note: fmt.Sprintf("Wage cells of %s with fewer than %d distinct reporters in the period are suppressed (\"<%d\"). Grades are the site's current grades (all data), not this period's. Tasks without a time (from saved histories) count in tasks and reporters, never in a wage.", pl.Requesters, b.k(), b.k()) + b.conversionNote(),
		Head: []string{"rank", pl.Requester, pl.Requester + " id", "tasks", "of them without a time", "reporters", "effective " + u.perHour(), "nominal " + u.perHour(), "median " + u.perHour(),
			"% of time under " + u.amount(u.floor.Minimum) + "/h", "grade"}}
	for i, c := range top {
		f := figs[figKey{c.id, false}]
		grade := ""
		if b.Grades != nil {
			if grade = b.Grades(c.id); grade == "" {
				grade = "not enough data"
			}
		}
		row := []string{count(uint64(i + 1)), f.RequesterName, ownID(c.id), count(c.records), count(f.Untimed), count(c.reporters)}
		if c.reporters < b.k() {
			s := fmt.Sprintf("<%d", b.k())
			row = append(row, s, s, s, s)
		} else {
			row = append(row, money(f.EffectiveHourly), money(f.NominalHourly), money(f.MedianHourly), pct(f.ShareBelowMinimum))
		}
		t.Rows = append(t.Rows, append(row, grade))
	}
	return t
}

type change struct {
	id, name    string
	prev, cur   float64
	prevN, curN uint64
}

// ownID is the platform's own id of a stored requester key (MTurk's are stored as they are).
func ownID(key string) string {
	_, id := platform.Split(key)
	return id
}

func (b *Builder) changesTable(p Period, cands []reqCount, figs map[figKey]wages.RequesterFigures) Table {
	pl, h := b.plat(), b.unit().perHour()
	t := Table{Name: "changes", Title: "Biggest changes since " + p.Previous().Name,
		Note: fmt.Sprintf("Change in effective hourly wage among the %d largest %s with at least %d reporters in both periods.", ChangeCandidates, pl.Requesters, b.k()) + b.conversionNote(),
		Head: []string{pl.Requester, pl.Requester + " id", "effective " + h + " before", "effective " + h + " now", "change " + h, "tasks before", "tasks now"}}
	var chs []change
	for _, c := range cands {
		cur, prev := figs[figKey{c.id, false}], figs[figKey{c.id, true}]
		if cur.EffectiveHourly == nil || prev.EffectiveHourly == nil {
			continue
		}
		chs = append(chs, change{id: c.id, name: cur.RequesterName, prev: *prev.EffectiveHourly, cur: *cur.EffectiveHourly,
			prevN: c.prevRecords, curN: c.records})
	}
	sort.SliceStable(chs, func(i, j int) bool {
		a, c := math.Abs(round2(chs[i].cur)-round2(chs[i].prev)), math.Abs(round2(chs[j].cur)-round2(chs[j].prev))
		if a != c {
			return a > c
		}
		return chs[i].id < chs[j].id
	})
	if len(chs) > Changes {
		chs = chs[:Changes]
	}
	for _, c := range chs {
		t.Rows = append(t.Rows, []string{c.name, ownID(c.id), num(c.prev), num(c.cur), signed(round2(c.cur) - round2(c.prev)),
			count(c.prevN), count(c.curN)})
	}
	return t
}

func (b *Builder) supplyTable(ctx context.Context, p Period) (Table, error) {
	t := Table{Name: "supply", Title: "HIT supply",
		Note: "From the listing crawls: per day, the hours with at least one crawl and the mean over those hours of what the hour's last crawl saw.",
		Head: []string{"day", "hours crawled", "mean HIT groups listed", "mean HITs available", "mean reward available $"}}
	hours, err := market.Hourly(ctx, b.Store, p.From, p.To)
	if err != nil {
		return t, fmt.Errorf("reports: supply: %w", err)
	}
	type day struct {
		hours                uint64
		groups, hits, reward float64
	}
	days := map[string]*day{}
	var order []string
	for _, h := range hours {
		k := h.Hour.UTC().Format("2006-01-02")
		d, ok := days[k]
		if !ok {
			d = &day{}
			days[k] = d
			order = append(order, k)
		}
		rw, _ := h.RewardAvailable.Float64()
		d.hours++
		d.groups += float64(h.Groups)
		d.hits += float64(h.HITs)
		d.reward += rw
	}
	sort.Strings(order)
	for _, k := range order {
		d := days[k]
		n := float64(d.hours)
		t.Rows = append(t.Rows, []string{k, count(d.hours), num1(d.groups / n), num1(d.hits / n), num(d.reward / n)})
	}
	return t, nil
}
