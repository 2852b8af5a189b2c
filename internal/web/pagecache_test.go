package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/records"
)

// TestRequesterPageFollowsSnapshot: a requester page's HIT groups and charts are kept with the
// directory snapshot, so the page shows one consistent state, and a new snapshot (after the
// figures update) shows the new groups.
func TestRequesterPageFollowsSnapshot(t *testing.T) {
	st := loadedSite(t)
	ctx := context.Background()
	page := func() string {
		body, _ := getPage(t, st.base+"/requesters/"+hostileID, 200)
		return body
	}
	if strings.Contains(page(), "Fresh group title") {
		t.Fatal("the new group shows before it exists")
	}
	h, err := records.NewHasher([]byte("web-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	for i := range 6 {
		acc := fixtureNow.Add(-time.Duration(i+1) * 30 * time.Minute)
		fin := acc.Add(5 * time.Minute)
		recs = append(recs, records.Record{RequesterID: hostileID, RequesterName: "Fresh", Title: "Fresh group title",
			HitSetID: "3HWFRESHGROUP0000000000000001", AssignmentID: fmt.Sprintf("3FRESHASSIGN%016d", i),
			Reporter: h.Reporter("worker", fmt.Sprintf("AFRESH%08d", i)), Reward: decimal.RequireFromString("0.50"),
			AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 300, Status: records.Approved, AllottedSeconds: 900,
			Source: "test", ReceivedAt: fin})
	}
	if err := records.Insert(ctx, st.store, recs); err != nil {
		t.Fatal(err)
	}
	if err := st.deps.Wages.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page(), "Fresh group title") {
		t.Error("the page mixes a new group into the old snapshot's figures")
	}
	if err := st.dir.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page(), "Fresh group title") {
		t.Error("the new snapshot's page lacks the new group")
	}
}
