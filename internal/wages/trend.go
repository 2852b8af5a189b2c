package wages

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// Trend points (WeekPoint, HourPoint, WeekdayPoint) carry lean figures: Records, Reporters,
// ExcludedReporters, Paid, Offered, the three time sums, EffectiveHourly and NominalHourly, Target and
// ComputedAt. The per-task distribution, status counts and medians are left empty (nil or 0).

// WeekPoint is one ISO week (starting Monday 00:00 UTC) of a trend, with that week's figures.
type WeekPoint struct {
	Week time.Time `json:"week"`
	Figures
}

// HourPoint is one hour of the day (UTC, 0-23), over every day, with its figures.
type HourPoint struct {
	Hour int `json:"hour"`
	Figures
}

// WeekdayPoint is one day of the week (UTC), over every week, with its figures.
type WeekdayPoint struct {
	Weekday time.Weekday `json:"weekday"`
	Figures
}

// RequesterTrend returns a requester's figures per week, oldest first, as of its last computation.
func (w *Wages) RequesterTrend(ctx context.Context, requesterID string) ([]WeekPoint, error) {
	// The weeks kept with the requester's latest figures (every recompute and update writes them).
	rs, err := w.queryRows(ctx, stored("scope = 'requester_week' AND requester_id = {rid:String} "+latestOfRequester+" ORDER BY bucket"), store.Args{"rid": requesterID})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 { // no figures yet: the weeks come with them
		return nil, wrapNotFound(ErrNotFound, "requester %q", requesterID)
	}
	return weekPoints(rs)
}

// LiveRequesterTrend is RequesterTrend computed from the records now: the reference the kept
// weeks are tested against.
func (w *Wages) LiveRequesterTrend(ctx context.Context, requesterID string) ([]WeekPoint, error) {
	q := trendQuery(scopeReqWeek, whereRequester) + " ORDER BY bucket"
	rs, err := w.queryRows(ctx, q, w.args(scopeReqWeek, time.Now(), rangeArgs(Range{}, store.Args{"rid": requesterID})))
	if err != nil {
		return nil, err
	}
	return weekPoints(rs)
}

// MarketTrend returns the market's figures per week, oldest first, as of the last Recompute.
func (w *Wages) MarketTrend(ctx context.Context, p platform.ID) ([]WeekPoint, error) {
	rs, err := w.queryRows(ctx, stored("scope = 'market_week' AND "+marketOf+" ORDER BY bucket"), marketArgs(p))
	if err != nil {
		return nil, err
	}
	return weekPoints(rs)
}

func weekPoints(rs []row) ([]WeekPoint, error) {
	out := make([]WeekPoint, len(rs))
	for i, r := range rs {
		d, err := time.Parse(time.DateOnly, r.bucket)
		if err != nil {
			return nil, fmt.Errorf("wages: week %q: %w", r.bucket, err)
		}
		out[i] = WeekPoint{Week: d, Figures: r.Figures}
	}
	return out, nil
}

// MarketByHour returns the market's figures per hour of the day (UTC, by finish time), as of the last Recompute.
// Hours without records are absent.
func (w *Wages) MarketByHour(ctx context.Context, p platform.ID) ([]HourPoint, error) {
	rs, err := w.queryRows(ctx, stored("scope = 'market_hour' AND "+marketOf+" ORDER BY toUInt8OrZero(bucket)"), marketArgs(p))
	if err != nil {
		return nil, err
	}
	out := make([]HourPoint, len(rs))
	for i, r := range rs {
		h, err := strconv.Atoi(r.bucket)
		if err != nil {
			return nil, fmt.Errorf("wages: hour %q: %w", r.bucket, err)
		}
		out[i] = HourPoint{Hour: h, Figures: r.Figures}
	}
	return out, nil
}

// MarketByWeekday returns the market's figures per day of the week (UTC, by finish time), Monday
// first, as of the last Recompute. Days without records are absent.
func (w *Wages) MarketByWeekday(ctx context.Context, p platform.ID) ([]WeekdayPoint, error) {
	rs, err := w.queryRows(ctx, stored("scope = 'market_weekday' AND "+marketOf+" ORDER BY bucket"), marketArgs(p))
	if err != nil {
		return nil, err
	}
	out := make([]WeekdayPoint, len(rs))
	for i, r := range rs {
		d, err := strconv.Atoi(r.bucket) // ClickHouse: Monday 1 .. Sunday 7
		if err != nil || d < 1 || d > 7 {
			return nil, fmt.Errorf("wages: weekday %q: bad value", r.bucket)
		}
		out[i] = WeekdayPoint{Weekday: time.Weekday(d % 7), Figures: r.Figures}
	}
	return out, nil
}

// marketOf selects the trend rows of one platform's market in its own currency (marketArgs).
const marketOf = "platform = {plat:String} AND currency = {cur:String}"

func marketArgs(p platform.ID) store.Args {
	pl := platform.Get(p)
	if pl == nil {
		pl = platform.Get(platform.Default)
	}
	return store.Args{"plat": string(pl.ID), "cur": pl.Currency}
}
