package wages

import (
	"context"

	"github.com/hitwage/hitwage/internal/store"
)

// PageParts are the figures a requester's page shows beyond its own: its HIT groups, its kept
// histogram and its kept weeks, as Groups, StoredHistogram and RequesterTrend return them.
type PageParts struct {
	Groups []Group     // most records first, as Groups; empty without figures
	Bins   []Bin       // as StoredHistogram; nil without figures
	Weeks  []WeekPoint // oldest first, as RequesterTrend; nil without figures
}

// pageRows selects a requester's rows of its latest computation in the three scopes its page
// shows. The newest requester row is the one StoredHistogram reads (FINAL keeps each key's newest
// row, and the filter keeps the newest key's), and the group and week rows are the ones Groups and
// RequesterTrend read, in their order.
const pageRows = `scope IN ('requester', 'group', 'requester_week') AND requester_id = {rid:String} ` + latestOfRequester +
	` ORDER BY scope, if(scope = 'group', records, 0) DESC, hit_set_id, bucket`

// latestOfRequester keeps the rows of requester {rid}'s latest computation: those written with or
// after its newest requester row. A group whose records all became flagged since, or a week or
// figures under a currency it no longer has, is not shown with stale figures.
const latestOfRequester = "AND computed_at >= (SELECT max(computed_at) FROM wage_figures WHERE scope = 'requester' AND requester_id = {rid:String})"

// PageParts returns what a requester's page shows of its precomputed figures in one read, so that
// a page not shown since the figures changed costs one statement for them rather than three. A
// requester without figures has empty parts, not ErrNotFound: its page shows no groups and no
// charts.
func (w *Wages) PageParts(ctx context.Context, requesterID string) (PageParts, error) {
	rs, err := w.queryRows(ctx, storedDocs(pageRows), store.Args{"rid": requesterID})
	if err != nil {
		return PageParts{}, err
	}
	p := PageParts{Groups: []Group{}}
	var (
		req   *row
		weeks []row
	)
	for i := range rs {
		switch r := &rs[i]; r.scope {
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
		if p.Weeks, err = weekPoints(weeks); err != nil {
			return PageParts{}, err
		}
	}
	return p, nil
}
