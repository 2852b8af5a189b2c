package market

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed top_requesters.sql
var topRequestersSQL string

// RequesterVolume is what one requester posted, over all snapshots.
type RequesterVolume struct {
	RequesterID   string
	RequesterName string // untrusted text: escape it wherever it is shown
	GroupsPosted  uint64
	HITsPosted    uint64
	RewardPosted  decimal.Decimal // sum over groups of reward x HITs posted, dollars
	HITsConsumed  uint64
	FirstSeen     time.Time
	LastSeen      time.Time
}

// TopRequesters returns the limit requesters (1 to 1,000) with the most reward posted.
func TopRequesters(ctx context.Context, s *store.Store, limit int) ([]RequesterVolume, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.Query(ctx, topRequestersSQL, store.Args{"n": limit})
	if err != nil {
		return nil, fmt.Errorf("market: top requesters: %w", err)
	}
	defer rows.Close()
	var out []RequesterVolume
	for rows.Next() {
		var r RequesterVolume
		if err := rows.Scan(&r.RequesterID, &r.RequesterName, &r.GroupsPosted, &r.HITsPosted, &r.RewardPosted,
			&r.HITsConsumed, &r.FirstSeen, &r.LastSeen); err != nil {
			return nil, fmt.Errorf("market: top requesters: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("market: top requesters: %w", err)
	}
	return out, nil
}
