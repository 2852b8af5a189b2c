package mturk

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed new_groups.sql
var newGroupsSQL string

// Store writes one listing_snapshots row per group (one INSERT), upserts the requesters'
// names keeping their first_seen, and returns how many of the groups had never been stored
// before this crawl. Groups must be distinct by hit_set_id.
func Store(ctx context.Context, s *store.Store, crawlID string, crawledAt time.Time, groups []*Group) (int, error) {
	if len(groups) == 0 {
		return 0, nil
	}
	crawledAt = crawledAt.UTC()
	names := map[string]string{}
	var ids []string
	for _, g := range groups {
		if _, ok := names[g.RequesterID]; !ok {
			ids = append(ids, g.RequesterID)
		}
		names[g.RequesterID] = g.RequesterName
	}
	err := s.Insert(ctx, "listing_snapshots", snapshotColumns, len(groups), func(i int) []any { return groups[i].row(crawledAt, crawlID) })
	if err != nil {
		return 0, fmt.Errorf("mturk: store snapshots: %w", err)
	}
	if err := upsertRequesters(ctx, s, ids, names, crawledAt); err != nil {
		return 0, err
	}
	var n uint64
	if err := s.QueryRow(ctx, newGroupsSQL, store.Args{"crawl": crawlID}, &n); err != nil {
		return 0, fmt.Errorf("mturk: count new groups: %w", err)
	}
	return int(n), nil
}

// upsertRequesters writes the requesters' latest names; first_seen stays the earliest known.
func upsertRequesters(ctx context.Context, s *store.Store, ids []string, names map[string]string, at time.Time) error {
	first := map[string]time.Time{}
	rows, err := s.Query(ctx, "SELECT requester_id, min(first_seen) FROM requesters WHERE requester_id IN {ids:Array(String)} GROUP BY requester_id",
		store.Args{"ids": ids})
	if err != nil {
		return fmt.Errorf("mturk: read requesters: %w", err)
	}
	for rows.Next() {
		var id string
		var t time.Time
		if err := rows.Scan(&id, &t); err != nil {
			_ = rows.Close()
			return fmt.Errorf("mturk: read requesters: %w", err)
		}
		first[id] = t
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return fmt.Errorf("mturk: read requesters: %w", err)
	}
	_ = rows.Close()
	err = s.Insert(ctx, "requesters", []string{"requester_id", "name", "first_seen", "updated_at"}, len(ids), func(i int) []any {
		f, ok := first[ids[i]]
		if !ok || f.After(at) {
			f = at
		}
		return []any{ids[i], names[ids[i]], f, at}
	})
	if err != nil {
		return fmt.Errorf("mturk: store requesters: %w", err)
	}
	return nil
}
