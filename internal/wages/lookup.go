package wages

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// Requester returns a requester's precomputed figures (as of the last Recompute or Update), or ErrNotFound.
func (w *Wages) Requester(ctx context.Context, requesterID string) (RequesterFigures, error) {
	r, err := w.one(ctx, latest("scope = 'requester' AND requester_id = {rid:String} AND bucket = ''"),
		store.Args{"rid": requesterID})
	if err != nil {
		return RequesterFigures{}, wrapNotFound(err, "requester %q", requesterID)
	}
	return r.requester(), nil
}

// Requesters returns every requester's precomputed figures, ordered by requester id.
func (w *Wages) Requesters(ctx context.Context) ([]RequesterFigures, error) {
	// The newest row of each: an update that moved a requester into another currency writes a row
	// under a new key, and the old one stays until the next full recompute drops it.
	rs, err := w.queryRows(ctx, stored("scope = 'requester' ORDER BY requester_id, computed_at DESC LIMIT 1 BY requester_id"), nil)
	if err != nil {
		return nil, err
	}
	out := make([]RequesterFigures, len(rs))
	for i := range rs {
		out[i] = rs[i].requester()
	}
	return out, nil
}

// RequesterRange computes a requester's figures over records in r, live from the records.
func (w *Wages) RequesterRange(ctx context.Context, requesterID string, r Range) (RequesterFigures, error) {
	q := figuresQuery(scopeRequester, whereRequester)
	row, err := w.one(ctx, q, w.args(scopeRequester, time.Now(), rangeArgs(r, store.Args{"rid": requesterID})))
	if err != nil {
		return RequesterFigures{}, wrapNotFound(err, "requester %q", requesterID)
	}
	return row.requester(), nil
}

// RequestersRange computes the figures of several requesters over records in r in one query, live
// from the records; requesters without records in r are absent from the map.
func (w *Wages) RequestersRange(ctx context.Context, requesterIDs []string, r Range) (map[string]RequesterFigures, error) {
	out := make(map[string]RequesterFigures, len(requesterIDs))
	if len(requesterIDs) == 0 {
		return out, nil
	}
	q := figuresQuery(scopeRequester, whereReqsRange)
	rs, err := w.queryRows(ctx, q, w.args(scopeRequester, time.Now(), rangeArgs(r, store.Args{"rids": requesterIDs})))
	if err != nil {
		return nil, err
	}
	for i := range rs {
		out[rs[i].requesterID] = rs[i].requester()
	}
	return out, nil
}

// Groups returns the precomputed figures of a requester's HIT groups, most records first.
func (w *Wages) Groups(ctx context.Context, requesterID string) ([]Group, error) {
	// Only groups of the requester's latest computation: a group whose records all became
	// flagged since is not shown with stale figures.
	rs, err := w.queryRows(ctx, storedDocs("scope = 'group' AND requester_id = {rid:String} "+latestOfRequester+" ORDER BY records DESC, hit_set_id"), store.Args{"rid": requesterID})
	if err != nil {
		return nil, err
	}
	out := make([]Group, len(rs))
	for i := range rs {
		out[i] = rs[i].group()
	}
	return out, nil
}

// Group returns one group's precomputed figures (an MTurk HIT group, a Prolific study), or ErrNotFound.
func (w *Wages) Group(ctx context.Context, p platform.ID, hitSetID string) (Group, error) {
	r, err := w.one(ctx, storedDocs("scope = 'group' AND hit_set_id = {hid:String} AND platform = {plat:String} ORDER BY computed_at DESC LIMIT 1"),
		store.Args{"hid": hitSetID, "plat": string(p)})
	if err != nil {
		return Group{}, wrapNotFound(err, "HIT group %q", hitSetID)
	}
	return r.group(), nil
}

// GroupRange computes one HIT group's figures over records in r, live from the records.
func (w *Wages) GroupRange(ctx context.Context, hitSetID string, r Range) (Group, error) {
	q := figuresQuery(scopeGroup, whereGroup)
	row, err := w.one(ctx, q, w.args(scopeGroup, time.Now(), rangeArgs(r, store.Args{"hid": hitSetID})))
	if err != nil {
		return Group{}, wrapNotFound(err, "HIT group %q", hitSetID)
	}
	return row.group(), nil
}

// Market returns a platform's precomputed market-wide figures in its currency (as of the last
// Recompute), or ErrNotFound. Other currencies' markets of the platform are in Markets.
func (w *Wages) Market(ctx context.Context, p platform.ID) (Figures, error) {
	fs, err := w.Markets(ctx, p)
	if err != nil {
		return Figures{}, err
	}
	return fs[0], nil
}

// Markets returns a platform's precomputed market-wide figures, one per currency its requesters pay
// in, the platform's own currency first; ErrNotFound when it has none.
func (w *Wages) Markets(ctx context.Context, p platform.ID) ([]Figures, error) {
	rs, err := w.queryRows(ctx, stored("scope = 'market' AND platform = {plat:String}"), store.Args{"plat": string(p)})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, wrapNotFound(ErrNotFound, "%s market figures", p)
	}
	return platformFirst(p, rs), nil
}

// platformFirst returns the rows' figures, the platform's own currency first, then by currency.
func platformFirst(p platform.ID, rs []row) []Figures {
	cur := platform.CurrencyOf(p)
	sort.SliceStable(rs, func(i, j int) bool {
		if (rs[i].Currency == cur) != (rs[j].Currency == cur) {
			return rs[i].Currency == cur
		}
		return rs[i].Currency < rs[j].Currency
	})
	out := make([]Figures, len(rs))
	for i := range rs {
		out[i] = rs[i].Figures
	}
	return out
}

// MarketRange computes a platform's market-wide figures over records in r (e.g. Week(t)), live
// from the records, one per currency, the platform's own first; ErrNotFound without records.
func (w *Wages) MarketRange(ctx context.Context, p platform.ID, r Range) ([]Figures, error) {
	q := figuresQuery(scopeMarket, wherePlatformRange)
	rs, err := w.queryRows(ctx, q, w.args(scopeMarket, time.Now(), rangeArgs(r, store.Args{"plat": string(p)})))
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, wrapNotFound(ErrNotFound, "%s market figures", p)
	}
	return platformFirst(p, rs), nil
}

// ReporterVia computes one reporter's own figures over records in r, live: all of them when via is
// "", else only the records that ingest token via sent through the API (what a relaying script may
// show a worker it names). The reporter is the pseudonym (records.Hasher); these figures are
// private to that worker. There is one Figures per platform and currency the worker was paid in
// (MTurk first), since no figure adds two currencies; ErrNotFound without records.
func (w *Wages) ReporterVia(ctx context.Context, reporter, via string, r Range) ([]Figures, error) {
	where, args := whereReporter, store.Args{"rep": reporter}
	if via != "" {
		where, args["via"] = whereReporterVia, via
	}
	q := figuresQueryData(sqlData{K1: scopeMarket.k1, K2: scopeMarket.k2, K3: scopeMarket.k3, Where: where, Own: true})
	rs, err := w.queryRows(ctx, q, w.args(scopeMarket, time.Now(), rangeArgs(r, args)))
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, wrapNotFound(ErrNotFound, "reporter")
	}
	var out []Figures
	for _, p := range platform.All() {
		var mine []row
		for _, x := range rs {
			if x.Platform == string(p.ID) {
				mine = append(mine, x)
			}
		}
		if len(mine) > 0 {
			out = append(out, platformFirst(p.ID, mine)...)
		}
	}
	return out, nil
}

func wrapNotFound(err error, format string, a ...any) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %s", ErrNotFound, fmt.Sprintf(format, a...))
	}
	return err
}
