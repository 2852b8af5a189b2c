package wages

import (
	"context"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// PageParts are the figures a requester's page shows beyond its own: its HIT groups, its kept
// histogram and its kept weeks, as Groups, StoredHistogram and RequesterTrend return them.
type PageParts struct {
	Groups []Group     // most records first, as Groups; empty without figures
	Bins   []Bin       // as StoredHistogram; nil without figures
	Weeks  []WeekPoint // oldest first, as RequesterTrend; nil without figures
	// FiguresAt is when the requester's figures were computed (its requester row's computed_at,
	// as the directory holds it); zero without figures. A page kept elsewhere (internal/pagerows)
	// is of the current figures while this still matches.
	FiguresAt time.Time
}

// pageRows selects the rows of requesters {rids} in the three scopes a page shows, each
// requester's in the order Groups and RequesterTrend read them. pagePartsOf keeps those of each
// requester's latest computation (latestOfRequester, per requester).
const pageRows = `scope IN ('requester', 'group', 'requester_week') AND requester_id IN {rids:Array(String)}` +
	` ORDER BY requester_id, scope, if(scope = 'group', records, 0) DESC, hit_set_id, bucket`

// latestOfRequester keeps the rows of requester {rid}'s latest computation: those written with or
// after its newest requester row. A group whose records all became flagged since, or a week or
// figures under a currency it no longer has, is not shown with stale figures.
const latestOfRequester = "AND computed_at >= (SELECT max(computed_at) FROM wage_figures WHERE scope = 'requester' AND requester_id = {rid:String})"

// PagePartsOf returns what the pages of the requesters named show of their precomputed figures,
// in one read for all of them (internal/pagerows keeps them by the thousand); requesters without
// figures are absent from the map: their pages show no groups and no charts.
func (w *Wages) PagePartsOf(ctx context.Context, requesterIDs []string) (map[string]PageParts, error) {
	rs, err := w.queryRows(ctx, storedDocs(pageRows), store.Args{"rids": requesterIDs})
	if err != nil {
		return nil, err
	}
	out := make(map[string]PageParts)
	for len(rs) > 0 {
		n := 1
		for n < len(rs) && rs[n].requesterID == rs[0].requesterID {
			n++
		}
		p, err := pagePartsOf(rs[:n])
		if err != nil {
			return nil, err
		}
		out[rs[0].requesterID] = p
		rs = rs[n:]
	}
	return out, nil
}

// pagePartsOf makes one requester's page parts of its rows in pageRows' order, keeping those
// of its latest computation: written with or after its newest requester row. A group whose
// records all became flagged since, or a week or figures under a currency it no longer has, is
// not shown with stale figures.
func pagePartsOf(rs []row) (PageParts, error) {
	var latest time.Time
	for i := range rs {
		if rs[i].scope == scopeRequester.name && rs[i].ComputedAt.After(latest) {
			latest = rs[i].ComputedAt
		}
	}
	p := PageParts{Groups: []Group{}, FiguresAt: latest}
	var (
		req   *row
		weeks []row
	)
	for i := range rs {
		r := &rs[i]
		if r.ComputedAt.Before(latest) {
			continue
		}
		switch r.scope {
		case scopeRequester.name:
			// One: a computation writes a requester's figures in one currency, and the row an
			// update left under the old currency's key is older than the filter.
			if req == nil {
				req = r
			}
		case scopeGroup.name:
			p.Groups = append(p.Groups, r.group())
		case scopeReqWeek.name:
			weeks = append(weeks, *r)
		}
	}
	if req != nil {
		p.Bins = req.histogram()
	}
	if len(weeks) > 0 {
		var err error
		if p.Weeks, err = weekPoints(weeks); err != nil {
			return PageParts{}, err
		}
	}
	return p, nil
}
