package market

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed top_requesters.sql
var topRequestersSQL string

//go:embed requester_stats.sql
var requesterStatsSQL string

//go:embed requester_groups.sql
var requesterGroupsSQL string

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
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("market: top requesters: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("market: top requesters: %w", err)
	}
	return out, nil
}

func (r *RequesterVolume) dest() []any {
	return []any{&r.RequesterID, &r.RequesterName, &r.GroupsPosted, &r.HITsPosted, &r.RewardPosted, &r.HITsConsumed,
		&r.FirstSeen, &r.LastSeen}
}

// ErrRequesterNotFound reports a requester that no snapshot mentions.
var ErrRequesterNotFound = errors.New("market: requester not found in listings")

// RequesterStats returns what one requester posted, or ErrRequesterNotFound.
func RequesterStats(ctx context.Context, s *store.Store, requesterID string) (RequesterVolume, error) {
	var r RequesterVolume
	err := s.QueryRow(ctx, requesterStatsSQL, store.Args{"rid": requesterID}, r.dest()...)
	if errors.Is(err, store.ErrNoRows) {
		return RequesterVolume{}, ErrRequesterNotFound
	}
	if err != nil {
		return RequesterVolume{}, fmt.Errorf("market: requester %s: %w", requesterID, err)
	}
	return r, nil
}

// RequesterGroups returns a requester's HIT groups (at most limit, 1 to 1,000), most
// recently seen first; empty when the requester is unknown.
func RequesterGroups(ctx context.Context, s *store.Store, requesterID string, limit int) ([]Group, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.Query(ctx, requesterGroupsSQL, store.Args{"rid": requesterID, "n": limit})
	if err != nil {
		return nil, fmt.Errorf("market: groups of %s: %w", requesterID, err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		if err := rows.Scan(g.dest()...); err != nil {
			return nil, fmt.Errorf("market: groups of %s: %w", requesterID, err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("market: groups of %s: %w", requesterID, err)
	}
	return out, nil
}
