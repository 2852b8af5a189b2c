package reports_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/reports"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// fixedNow ends the demo data: Monday 2026-11-23 00:00 UTC, so weeks 2026-W46 and 2026-W47 are full.
var fixedNow = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Hand-made requesters on top of the demo data.
const (
	fairID  = "AFAIRPAYLAB01"
	fairBad = "Fair <b>Pay</b> | Lab *1* [x](javascript:alert(1))" // untrusted name with markup
	threeID = "ATHREEREPORT1"                                      // only 3 reporters: figures suppressed
)

// batch makes n approved tasks per reporter for one requester, starting at start, one every 10 minutes.
func batch(h *records.Hasher, rid, name, group string, reporters []string, n int, reward string, secs uint32, start time.Time) []records.Record {
	var out []records.Record
	for ri, w := range reporters {
		for i := range n {
			acc := start.Add(time.Duration(ri)*time.Minute + time.Duration(i)*10*time.Minute)
			fin := acc.Add(time.Duration(secs) * time.Second)
			dec := fin.Add(2 * time.Hour)
			out = append(out, records.Record{
				RequesterID: rid, Reporter: h.Reporter("worker", w), HitSetID: group, HitID: fmt.Sprintf("%s-%s-%d", group, w, i),
				AssignmentID: fmt.Sprintf("A-%s-%s-%s-%d", rid, start.Format("0102"), w, i), RequesterName: name, Title: "Survey " + group,
				Reward: decimal.RequireFromString(reward), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: secs,
				Status: records.Approved, DecidedAt: &dec, AllottedSeconds: 1800, Source: "test", ReceivedAt: fin.Add(time.Minute),
			})
		}
	}
	return out
}

// fixture loads the fixed data set: the demo data ending at fixedNow plus the hand-made requesters, and
// returns a report builder with the site's grades.
func fixture(t testing.TB) (*store.Store, *reports.Builder) {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("report-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 2000, Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	six := []string{"W1", "W2", "W3", "W4", "W5", "W6"}
	var recs []records.Record
	recs = append(recs, batch(h, fairID, fairBad, "GFAIR", six, 10, "1.00", 180, time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC))...)
	recs = append(recs, batch(h, fairID, fairBad, "GFAIR", six, 5, "0.50", 180, time.Date(2026, 11, 11, 9, 0, 0, 0, time.UTC))...)
	recs = append(recs, batch(h, threeID, "Three Reporters Co", "GTHREE", []string{"W7", "W8", "W9"}, 20, "0.10", 120, time.Date(2026, 11, 19, 14, 0, 0, 0, time.UTC))...)
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	w := wages.New(s, wages.Config{})
	rt := ratings.New(s, w, ratings.Config{Target: w.Target()})
	if err := rt.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	// The fixture stands for a real store: the goldens are of real reports (demo_test.go tests how a
	// demo store's reports are labelled and kept out of the reports folder). Cleared well after
	// demo.Load marked the store, so the newer mark wins.
	if err := s.SetMeta(ctx, "demo", ""); err != nil {
		t.Fatal(err)
	}
	return s, &reports.Builder{Store: s, Wages: w, Revision: "test-revision", BaseURL: "https://hitwage.example/",
		Grades: reports.GradesOf(rt)}
}
