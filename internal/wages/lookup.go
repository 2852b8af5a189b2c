package wages

import (
	"context"
	"errors"
	"fmt"
	"time"

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
	rs, err := w.queryRows(ctx, stored("scope = 'requester' ORDER BY requester_id"), nil)
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
	rs, err := w.queryRows(ctx, storedDocs(`scope = 'group' AND requester_id = {rid:String}
		AND computed_at >= (SELECT max(computed_at) FROM wage_figures WHERE scope = 'requester' AND requester_id = {rid:String})
		ORDER BY records DESC, hit_set_id`), store.Args{"rid": requesterID})
	if err != nil {
		return nil, err
	}
	out := make([]Group, len(rs))
	for i := range rs {
		out[i] = rs[i].group()
	}
	return out, nil
}

// Group returns one HIT group's precomputed figures, or ErrNotFound.
func (w *Wages) Group(ctx context.Context, hitSetID string) (Group, error) {
	r, err := w.one(ctx, storedDocs("scope = 'group' AND hit_set_id = {hid:String} ORDER BY computed_at DESC LIMIT 1"),
		store.Args{"hid": hitSetID})
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

// Market returns the precomputed market-wide figures (as of the last Recompute), or ErrNotFound.
func (w *Wages) Market(ctx context.Context) (Figures, error) {
	r, err := w.one(ctx, stored("scope = 'market'"), nil)
	if err != nil {
		return Figures{}, wrapNotFound(err, "market figures")
	}
	return r.Figures, nil
}

// MarketRange computes the market-wide figures over records in r (e.g. Week(t)), live from the records.
func (w *Wages) MarketRange(ctx context.Context, r Range) (Figures, error) {
	q := figuresQuery(scopeMarket, whereRange)
	row, err := w.one(ctx, q, w.args(scopeMarket, time.Now(), rangeArgs(r, nil)))
	if err != nil {
		return Figures{}, wrapNotFound(err, "market figures")
	}
	return row.Figures, nil
}

// ReporterVia computes one reporter's own figures over records in r, live: all of them when via is
// "", else only the records that ingest token via sent through the API (what a relaying script may
// show a worker it names). The reporter is the pseudonym (records.Hasher); these figures are
// private to that worker.
func (w *Wages) ReporterVia(ctx context.Context, reporter, via string, r Range) (Figures, error) {
	where, args := whereReporter, store.Args{"rep": reporter}
	if via != "" {
		where, args["via"] = whereReporterVia, via
	}
	q := figuresQuery(scopeMarket, where)
	row, err := w.one(ctx, q, w.args(scopeMarket, time.Now(), rangeArgs(r, args)))
	if err != nil {
		return Figures{}, wrapNotFound(err, "reporter")
	}
	return row.Figures, nil
}

func wrapNotFound(err error, format string, a ...any) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %s", ErrNotFound, fmt.Sprintf(format, a...))
	}
	return err
}
