package market

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed hourly.sql
var hourlySQL string

// Hour is the market in one hour, as that hour's last crawl saw it.
type Hour struct {
	Hour            time.Time       // start of the hour, UTC
	Crawls          uint64          // crawls in the hour
	Groups          uint64          // HIT groups listed
	HITs            uint64          // assignable HITs over all groups
	RewardAvailable decimal.Decimal // sum of reward x assignable HITs, dollars
}

// Hourly returns the market's hours in [from, to) that have at least one crawl, in order.
// Hours without a crawl are absent, not zero: no crawl is not an empty market.
func Hourly(ctx context.Context, s *store.Store, from, to time.Time) ([]Hour, error) {
	return hours(ctx, s, hourlySQL, store.Args{"from": from.UTC(), "to": to.UTC()})
}

//go:embed last_hours.sql
var lastHoursSQL string

// LastHours returns the crawled hours of the span that ends with the latest crawled hour before to,
// in order (last_hours.sql): the recent market, or the last one seen when the crawls stopped.
func LastHours(ctx context.Context, s *store.Store, to time.Time, span time.Duration) ([]Hour, error) {
	return hours(ctx, s, lastHoursSQL, store.Args{"to": to.UTC(), "span": uint32(span / time.Hour)})
}

func hours(ctx context.Context, s *store.Store, query string, args store.Args) ([]Hour, error) {
	rows, err := s.Query(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("market: hourly: %w", err)
	}
	defer rows.Close()
	var out []Hour
	for rows.Next() {
		var h Hour
		if err := rows.Scan(&h.Hour, &h.Crawls, &h.Groups, &h.HITs, &h.RewardAvailable); err != nil {
			return nil, fmt.Errorf("market: hourly: %w", err)
		}
		h.Hour = h.Hour.UTC()
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("market: hourly: %w", err)
	}
	return out, nil
}
