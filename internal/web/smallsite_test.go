package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// A requester whose name is long enough to overflow the embed card, reported with and without
// HIT group ids (the ingest docs allow reports without one).
const (
	longID    = "ALONGNAME00000001"
	longName  = "Research Group for the Extremely Thorough Study of Very Long Requester Names at a University"
	longGroup = "3LONGGROUP00000000000000000001"
)

// smallSite serves the site on a store holding only longID's reports: 8 in HIT group longGroup
// and 6 without a HIT group id, title or allotted time, with wages computed and the directory loaded.
func smallSite(t *testing.T) site {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("small-site-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var recs []records.Record
	for i := 0; i < 14; i++ {
		acc := now.Add(-time.Duration(i+2) * time.Hour)
		fin := acc.Add(12 * time.Minute)
		r := records.Record{
			RequesterID: longID, RequesterName: longName,
			AssignmentID: fmt.Sprintf("3LONGASSIGN%019d", i), Reporter: h.Reporter("worker", fmt.Sprintf("AWORKER%08d", i%7)),
			Reward: decimal.RequireFromString("2.00"), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 720,
			Status: records.Approved, Source: "test", ReceivedAt: fin,
		}
		if i < 8 {
			r.HitSetID, r.Title, r.AllottedSeconds = longGroup, "Label photos of cats", 1800
		}
		recs = append(recs, r)
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	return serveComputed(t, s)
}
