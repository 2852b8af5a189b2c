package market_test

import (
	"context"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestDemoDataAgreesWithHistory checks the views against the snapshots themselves on the
// demo data set: each group's consumed and added HITs equal the falls and rises of its
// history, the hours are the crawls, and requesters' groups add up to all groups.
func TestDemoDataAgreesWithHistory(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h, err := records.NewHasher([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 2000, Now: now}); err != nil {
		t.Fatal(err)
	}
	var groups, crawls, rows uint64
	if err := s.QueryRow(ctx, "SELECT uniqExact(hit_set_id), uniqExact(crawl_id), count() FROM listing_snapshots", nil, &groups, &crawls, &rows); err != nil {
		t.Fatal(err)
	}
	top, err := market.TopRequesters(ctx, s, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var posted uint64
	for _, r := range top {
		posted += r.GroupsPosted
	}
	if posted != groups {
		t.Errorf("requesters posted %d groups; the snapshots hold %d", posted, groups)
	}
	hours, err := market.Hourly(ctx, s, now.Add(-15*24*time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var listed uint64
	for _, hr := range hours {
		listed += hr.Groups
	}
	// Demo crawls are three hours apart, so each hour holds one crawl and the hours' groups are all rows.
	if uint64(len(hours)) != crawls || listed != rows {
		t.Errorf("%d hours listing %d groups; want %d crawls, %d rows", len(hours), listed, crawls, rows)
	}

	ids, err := s.Query(ctx, "SELECT DISTINCT hit_set_id FROM listing_snapshots ORDER BY hit_set_id LIMIT 40", nil)
	if err != nil {
		t.Fatal(err)
	}
	var sample []string
	for ids.Next() {
		var id string
		if err := ids.Scan(&id); err != nil {
			t.Fatal(err)
		}
		sample = append(sample, id)
	}
	_ = ids.Close()
	for _, id := range sample {
		g, err := market.GroupStats(ctx, s, id)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := market.GroupHistory(ctx, s, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		var consumed, added, peak uint64
		for i, p := range hist {
			peak = max(peak, p.AssignableHITs)
			if i == 0 {
				continue
			}
			prev := hist[i-1].AssignableHITs
			if p.AssignableHITs < prev {
				consumed += prev - p.AssignableHITs
			} else {
				added += p.AssignableHITs - prev
			}
		}
		if uint64(len(hist)) != g.Snapshots || consumed != g.HITsConsumed || added != g.HITsAdded || peak != g.PeakHITs ||
			!hist[0].At.Equal(g.FirstSeen) || !hist[len(hist)-1].At.Equal(g.LastSeen) {
			t.Errorf("%s: view %+v; history gives %d snapshots, consumed %d, added %d, peak %d", id, g, len(hist), consumed, added, peak)
		}
		e, err := market.EstimateWage(ctx, s, id)
		if err != nil || !e.Hourly.IsPositive() || e.Label != market.EstimateLabel {
			t.Errorf("%s: estimate %+v, %v", id, e, err)
		}
	}
}
