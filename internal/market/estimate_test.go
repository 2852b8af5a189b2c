package market_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// reports inserts one approved record per duration for a group.
func reports(t *testing.T, s *store.Store, req, group, title string, allotted uint32, secs ...uint32) {
	t.Helper()
	var recs []records.Record
	for i, d := range secs {
		fin := t0.Add(time.Duration(i) * time.Hour)
		recs = append(recs, records.Record{
			RequesterID: req, HitSetID: group, AssignmentID: fmt.Sprintf("%s-%s-%d", req, group, i), Reporter: fmt.Sprintf("rep%d", i),
			RequesterName: "Name of " + req, Title: title, Reward: dec("0.10"), DurationSeconds: d, AllottedSeconds: allotted,
			Status: records.Approved, FinishedAt: &fin, Source: "test", ReceivedAt: fin,
		})
	}
	if err := records.Insert(context.Background(), s, recs); err != nil {
		t.Fatal(err)
	}
}

func TestEstimateWage(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	// Worker reports: R1's decision study (time/allotted 0.1..0.5, median 0.3); R2's photo
	// rating (median 100 s); R3's audio transcription (500 of 600 s); two reports of T itself
	// that must not feed its own estimate.
	reports(t, s, "R1", "G1", "Decision study", 1000, 100, 200, 300, 400, 500)
	reports(t, s, "R2", "G2", "Rate restaurant photos", 900, 60, 80, 100, 120, 140)
	reports(t, s, "R3", "G3", "Transcribe audio", 600, 500, 500, 500, 500, 500)
	reports(t, s, "R1", "T", "Rate product photos", 600, 590, 590)
	insertSnaps(t, s, []snap{
		{at(0), "c1", "T", "R1", "Rate product photos", "0.30", 600, 50},
		{at(0), "c1", "U", "R1", "Quiz zzz", "0.30", 600, 50},
		{at(0), "c1", "V", "R9", "Transcribe this voicemail", "1.00", 1200, 50},
		{at(0), "c1", "W", "R9", "Unique thing", "0.50", 1000, 50},
	})
	cases := []struct {
		group, basis string
		secs         float64
		hourly       string
		own          uint64
	}{
		// sqrt(0.3 x 600 x 100) = 134.16 s; 0.30 x 3600 / 134.16 = 8.05
		{"T", market.BasisRequesterAndSimilar, math.Sqrt(180 * 100), "8.05", 2},
		// R1's other groups for U are G1 and T: shares .1 .2 .3 .4 .5 .98 .98, median .4 x 600 s
		{"U", market.BasisRequester, 240, "4.5", 0},
		{"V", market.BasisSimilar, 500, "7.2", 0}, // R3's audio: 1.00 x 3600 / 500
		// all 17 reports: median share .4 (9th of .067 .089 .1 .11 .13 .16 .2 .3 .4 .5 .83x5 .98x2) x 1000 s
		{"W", market.BasisMarket, 400, "4.5", 0},
	}
	for _, c := range cases {
		e, err := market.EstimateWage(ctx, s, c.group)
		if err != nil {
			t.Fatalf("%s: %v", c.group, err)
		}
		if e.Label != market.EstimateLabel || e.Basis != c.basis || math.Abs(e.Seconds-c.secs) > 1e-6 ||
			!e.Hourly.Equal(dec(c.hourly)) || e.OwnReports != c.own {
			t.Errorf("%s: %+v; want basis %s, %.2f s, $%s/h, %d own reports", c.group, e, c.basis, c.secs, c.hourly, c.own)
		}
	}
	if _, err := market.EstimateWage(ctx, s, "NOPE"); !errors.Is(err, market.ErrNotFound) {
		t.Errorf("unknown group: %v", err)
	}
}

func TestEstimateWageWithoutAnyReports(t *testing.T) {
	s := storetest.New(t)
	insertSnaps(t, s, []snap{{at(0), "c1", "X", "R1", "Anything", "0.25", 600, 5}})
	e, err := market.EstimateWage(context.Background(), s, "X")
	if err != nil {
		t.Fatal(err)
	}
	// A quarter of the allotted 600 s: 150 s; 0.25 x 3600 / 150 = 6.00.
	if e.Basis != market.BasisAllotted || e.Seconds != 150 || !e.Hourly.Equal(decimal.NewFromInt(6)) || e.Label != "estimate" {
		t.Errorf("estimate = %+v", e)
	}
}
