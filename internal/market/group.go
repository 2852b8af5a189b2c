package market

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed group.sql
var groupSQL string

//go:embed history.sql
var historySQL string

// Group is one HIT group's life as the listing snapshots saw it.
type Group struct {
	HitSetID        string
	RequesterID     string
	RequesterName   string // untrusted text: escape it wherever it is shown
	Title           string // untrusted text
	Reward          decimal.Decimal
	AllottedSeconds uint32
	FirstSeen       time.Time
	LastSeen        time.Time
	Snapshots       uint64
	PeakHITs        uint64 // most assignable HITs in one snapshot
	FirstHITs       uint64 // assignable HITs at first sight
	LastHITs        uint64 // assignable HITs at last sight
	HITsConsumed    uint64 // falls between snapshots: an estimate of completions
	HITsAdded       uint64 // rises between snapshots: HITs the requester added
	HITsPosted      uint64 // FirstHITs + HITsAdded
	RewardPosted    decimal.Decimal
	LifetimeSeconds uint64 // LastSeen - FirstSeen
}

// GroupStats returns one HIT group's life, or ErrNotFound.
func GroupStats(ctx context.Context, s *store.Store, hitSetID string) (Group, error) {
	var g Group
	err := s.QueryRow(ctx, groupSQL, store.Args{"id": hitSetID}, g.dest()...)
	if errors.Is(err, store.ErrNoRows) {
		return Group{}, ErrNotFound
	}
	if err != nil {
		return Group{}, fmt.Errorf("market: group %s: %w", hitSetID, err)
	}
	return g, nil
}

// dest lists the fields in the column order of group.sql and requester_groups.sql.
func (g *Group) dest() []any {
	return []any{&g.HitSetID, &g.RequesterID, &g.RequesterName, &g.Title, &g.Reward, &g.AllottedSeconds, &g.FirstSeen,
		&g.LastSeen, &g.Snapshots, &g.PeakHITs, &g.FirstHITs, &g.LastHITs, &g.HITsConsumed, &g.HITsAdded, &g.HITsPosted,
		&g.RewardPosted, &g.LifetimeSeconds}
}

// Snapshot is one sighting of a HIT group.
type Snapshot struct {
	At             time.Time
	AssignableHITs uint64
	Reward         decimal.Decimal
}

// GroupHistory returns a HIT group's last limit snapshots (at most 10,000) in time order,
// for its listing chart; empty when the group is unknown.
func GroupHistory(ctx context.Context, s *store.Store, hitSetID string, limit int) ([]Snapshot, error) {
	if limit <= 0 || limit > 10_000 {
		limit = 10_000
	}
	rows, err := s.Query(ctx, historySQL, store.Args{"id": hitSetID, "n": limit})
	if err != nil {
		return nil, fmt.Errorf("market: history of %s: %w", hitSetID, err)
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		var p Snapshot
		if err := rows.Scan(&p.At, &p.AssignableHITs, &p.Reward); err != nil {
			return nil, fmt.Errorf("market: history of %s: %w", hitSetID, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("market: history of %s: %w", hitSetID, err)
	}
	slices.Reverse(out)
	return out, nil
}
