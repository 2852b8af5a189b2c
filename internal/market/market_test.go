package market_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// series: five crawls (10:00, 10:30, 11:00, 12:00, 13:00) of three groups.
//
//	G1 (R1, $0.50): 100, 95, 80, 90, 40  -> consumed 5+15+50 = 70, added 10, posted 110, $55.00
//	G2 (R1, $1.25):  -,  -, 10,  4,  -   -> consumed 6, posted 10, $12.50, lifetime 1h
//	G3 (R2, $0.05): 1000, 1000, -, -, -  -> consumed 0, posted 1000, $50.00, lifetime 30m
func series(t *testing.T) *store.Store {
	s := storetest.New(t)
	g1 := func(m int, crawl string, hits uint32) snap {
		return snap{at(m), crawl, "G1", "R1", "Survey one", "0.50", 1800, hits}
	}
	g2 := func(m int, crawl string, hits uint32) snap {
		return snap{at(m), crawl, "G2", "R1", "Survey two", "1.25", 3600, hits}
	}
	g3 := func(m int, crawl string, hits uint32) snap {
		return snap{at(m), crawl, "G3", "R2", "Tag images", "0.05", 300, hits}
	}
	insertSnaps(t, s, []snap{
		g1(0, "c1", 100), g3(0, "c1", 1000),
		g1(30, "c2", 95), g3(30, "c2", 1000),
		g1(60, "c3", 80), g2(60, "c3", 10),
		g1(120, "c4", 90), g2(120, "c4", 4),
		g1(180, "c5", 40),
	})
	return s
}

func TestGroupStats(t *testing.T) {
	s := series(t)
	ctx := context.Background()
	cases := []market.Group{
		{HitSetID: "G1", RequesterID: "R1", RequesterName: "Name of R1", Title: "Survey one", Reward: dec("0.5"), AllottedSeconds: 1800,
			FirstSeen: at(0), LastSeen: at(180), Snapshots: 5, PeakHITs: 100, FirstHITs: 100, LastHITs: 40, HITsConsumed: 70,
			HITsAdded: 10, HITsPosted: 110, RewardPosted: dec("55"), LifetimeSeconds: 3 * 3600},
		{HitSetID: "G2", RequesterID: "R1", RequesterName: "Name of R1", Title: "Survey two", Reward: dec("1.25"), AllottedSeconds: 3600,
			FirstSeen: at(60), LastSeen: at(120), Snapshots: 2, PeakHITs: 10, FirstHITs: 10, LastHITs: 4, HITsConsumed: 6,
			HITsPosted: 10, RewardPosted: dec("12.5"), LifetimeSeconds: 3600},
		{HitSetID: "G3", RequesterID: "R2", RequesterName: "Name of R2", Title: "Tag images", Reward: dec("0.05"), AllottedSeconds: 300,
			FirstSeen: at(0), LastSeen: at(30), Snapshots: 2, PeakHITs: 1000, FirstHITs: 1000, LastHITs: 1000,
			HITsPosted: 1000, RewardPosted: dec("50"), LifetimeSeconds: 1800},
	}
	for _, want := range cases {
		got, err := market.GroupStats(ctx, s, want.HitSetID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Reward.Equal(want.Reward) || !got.RewardPosted.Equal(want.RewardPosted) {
			t.Errorf("%s: reward %s posted %s; want %s, %s", want.HitSetID, got.Reward, got.RewardPosted, want.Reward, want.RewardPosted)
		}
		got.Reward, got.RewardPosted, want.Reward, want.RewardPosted = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
		if !got.FirstSeen.Equal(want.FirstSeen) || !got.LastSeen.Equal(want.LastSeen) {
			t.Errorf("%s: seen %v..%v; want %v..%v", want.HitSetID, got.FirstSeen, got.LastSeen, want.FirstSeen, want.LastSeen)
		}
		got.FirstSeen, got.LastSeen, want.FirstSeen, want.LastSeen = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", want.HitSetID, got, want)
		}
	}
	if _, err := market.GroupStats(ctx, s, "NOPE"); !errors.Is(err, market.ErrNotFound) {
		t.Errorf("unknown group: err = %v; want ErrNotFound", err)
	}
}

func TestGroupHistory(t *testing.T) {
	s := series(t)
	h, err := market.GroupHistory(context.Background(), s, "G1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || !h[0].At.Equal(at(60)) || h[0].AssignableHITs != 80 || h[2].AssignableHITs != 40 || !h[2].Reward.Equal(dec("0.5")) {
		t.Errorf("history = %+v; want the last three snapshots (80, 90, 40) in time order", h)
	}
	none, err := market.GroupHistory(context.Background(), s, "NOPE", 10)
	if err != nil || len(none) != 0 {
		t.Errorf("unknown group: %v, %v", none, err)
	}
}

func TestTopRequesters(t *testing.T) {
	s := series(t)
	got, err := market.TopRequesters(context.Background(), s, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d requesters; want 2", len(got))
	}
	r1, r2 := got[0], got[1]
	if r1.RequesterID != "R1" || r1.GroupsPosted != 2 || r1.HITsPosted != 120 || !r1.RewardPosted.Equal(dec("67.5")) ||
		r1.HITsConsumed != 76 || !r1.FirstSeen.Equal(at(0)) || !r1.LastSeen.Equal(at(180)) {
		t.Errorf("R1 = %+v", r1)
	}
	if r2.RequesterID != "R2" || r2.GroupsPosted != 1 || r2.HITsPosted != 1000 || !r2.RewardPosted.Equal(dec("50")) || r2.HITsConsumed != 0 {
		t.Errorf("R2 = %+v", r2)
	}
	one, err := market.TopRequesters(context.Background(), s, 1)
	if err != nil || len(one) != 1 || one[0].RequesterID != "R1" {
		t.Errorf("limit 1: %+v, %v", one, err)
	}
}

func TestHourly(t *testing.T) {
	s := series(t)
	got, err := market.Hourly(context.Background(), s, at(0), at(240))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		hour                 time.Time
		crawls, groups, hits uint64
		reward               string
	}{
		{at(0), 2, 2, 1095, "97.5"}, // the 10:30 crawl: 95 x 0.50 + 1000 x 0.05
		{at(60), 1, 2, 90, "52.5"},  // 80 x 0.50 + 10 x 1.25
		{at(120), 1, 2, 94, "50"},   // 90 x 0.50 + 4 x 1.25
		{at(180), 1, 1, 40, "20"},
	}
	if len(got) != len(want) {
		t.Fatalf("hours = %+v; want %d", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if !g.Hour.Equal(w.hour) || g.Crawls != w.crawls || g.Groups != w.groups || g.HITs != w.hits || !g.RewardAvailable.Equal(dec(w.reward)) {
			t.Errorf("hour %d = %+v; want %+v", i, g, w)
		}
	}
	part, err := market.Hourly(context.Background(), s, at(61), at(180))
	if err != nil || len(part) != 2 || !part[0].Hour.Equal(at(60)) {
		t.Errorf("[11:01, 13:00) = %+v, %v; want the 11:00 and 12:00 hours", part, err)
	}
}

// TestLastHours: the span ends with the latest crawled hour, however long ago it was.
func TestLastHours(t *testing.T) {
	s := series(t)
	got, err := market.LastHours(context.Background(), s, at(60*24*30), 2*time.Hour)
	if err != nil || len(got) != 2 || !got[0].Hour.Equal(at(120)) || !got[1].Hour.Equal(at(180)) {
		t.Fatalf("the 2 hours up to the last crawl, a month later: %+v, %v; want the 12:00 and 13:00 hours", got, err)
	}
	if got, err := market.LastHours(context.Background(), s, at(121), 24*time.Hour); err != nil || len(got) != 3 {
		t.Errorf("the day up to 12:01: %+v, %v; want the 10:00, 11:00 and 12:00 hours", got, err)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestRequesterStatsAndGroups(t *testing.T) {
	s := series(t)
	ctx := context.Background()
	r, err := market.RequesterStats(ctx, s, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if r.GroupsPosted != 2 || r.HITsPosted != 120 || !r.RewardPosted.Equal(dec("67.5")) || r.RequesterName != "Name of R1" {
		t.Errorf("R1 = %+v", r)
	}
	if _, err := market.RequesterStats(ctx, s, "NOPE"); !errors.Is(err, market.ErrRequesterNotFound) {
		t.Errorf("unknown requester: %v", err)
	}
	gs, err := market.RequesterGroups(ctx, s, "R1", 10)
	if err != nil {
		t.Fatal(err)
	}
	// G1 was last seen at 13:00, G2 at 12:00.
	if len(gs) != 2 || gs[0].HitSetID != "G1" || gs[0].HITsConsumed != 70 || gs[1].HitSetID != "G2" || gs[1].HITsConsumed != 6 {
		t.Errorf("groups of R1 = %+v", gs)
	}
	none, err := market.RequesterGroups(ctx, s, "NOPE", 10)
	if err != nil || len(none) != 0 {
		t.Errorf("unknown requester: %+v, %v", none, err)
	}
}
