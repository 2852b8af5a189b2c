package market_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// A study's latest listing is one snapshot's values, with its first and last sighting; a
// researcher's studies come newest seen first; the advertised hourly rate is Prolific's own when
// given, else the reward over the estimated time.
func TestStudyListings(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	const res, a, b = "5f0a1b2c3d4e5f60718293a4", "65aa00bb11cc22dd33ee4401", "65aa00bb11cc22dd33ee4402"
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	old := histories.Study{ID: a, Name: "Old title", ResearcherID: res, ResearcherName: "Lab", Currency: "GBP", Reward: "1.00",
		HourlyRate: "6.00", EstimatedMinutes: 10, MaxMinutes: 40, AverageSeconds: 500, Places: 100, PlacesTaken: 10}
	cur := old
	cur.Name, cur.Reward, cur.HourlyRate, cur.AverageSeconds, cur.Places = "New title", "1.50", "", 620, 120
	other := histories.Study{ID: b, Name: "Other", ResearcherID: res, ResearcherName: "Lab", Currency: "GBP", Reward: "2.00", MaxMinutes: 30}
	for _, x := range []struct {
		at time.Time
		st []histories.Study
	}{{t0, []histories.Study{old, other}}, {t0.Add(2 * time.Hour), []histories.Study{cur}}} {
		if _, bad, err := histories.StoreStudies(ctx, s, "c", x.at, x.st); err != nil || bad != 0 {
			t.Fatal(bad, err)
		}
	}
	got, err := market.ResearcherStudies(ctx, s, platform.Key(platform.Prolific, res))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].StudyID != a || got[1].StudyID != b {
		t.Fatalf("studies %+v", got)
	}
	st := got[0]
	if st.Title != "New title" || st.Reward.String() != "1.5" || !st.AdvertisedHourly.IsZero() || st.EstimatedSeconds != 600 ||
		st.AverageSeconds != 620 || st.Places != 120 || st.MaxSeconds != 2400 || st.Currency != "GBP" || st.Snapshots != 2 ||
		!st.FirstSeen.Equal(t0) || !st.LastSeen.Equal(t0.Add(2*time.Hour)) || st.RequesterName != "Lab" {
		t.Fatalf("latest listing %+v", st)
	}
	if v, stated, ok := st.Hourly(); !ok || stated || v != 9 {
		t.Errorf("hourly from reward over estimate = %v %v %v, want 9", v, stated, ok)
	}
	if _, _, ok := got[1].Hourly(); ok {
		t.Error("a study with neither a rate nor an estimated time has an hourly rate")
	}
	one, err := market.StudyListing(ctx, s, a)
	if err != nil || one.Title != "New title" {
		t.Fatalf("one study: %+v %v", one, err)
	}
	if _, err := market.StudyListing(ctx, s, "65aa00bb11cc22dd33ee4499"); !errors.Is(err, market.ErrNotFound) {
		t.Fatalf("unlisted study: %v", err)
	}
	if v, stated, ok := (market.Study{AdvertisedHourly: st.Reward.Mul(st.Reward), Reward: st.Reward, EstimatedSeconds: 60}).Hourly(); !ok || !stated || v != 2.25 {
		t.Errorf("stated hourly = %v %v %v", v, stated, ok)
	}
}
