package export_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// k counts reporting identities, as every figure does: six workers named by one undeclared token are
// one reporter, so their requester's rows are suppressed; named by a declared relay they are six.
func TestKCountsTokens(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		relay bool
		rows  bool
	}{{"one token", false, false}, {"declared relay", true, true}} {
		t.Run(c.name, func(t *testing.T) {
			s := storetest.New(t)
			h, err := records.NewHasher([]byte("export-test-key-0123456789"))
			if err != nil {
				t.Fatal(err)
			}
			var recs []records.Record
			start := time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
			for i, w := range workers[:6] {
				for j := range 3 {
					acc := start.Add(time.Duration(j) * 20 * time.Minute)
					fin := acc.Add(5 * time.Minute)
					recs = append(recs, records.Record{RequesterID: "RTOKENLAB", Reporter: h.Reporter("worker", w), HitSetID: "GTOK",
						AssignmentID: fmt.Sprintf("ASSIGNTOK%d-%d", i, j), RequesterName: "Token Lab", Title: "Survey",
						Reward: decimal.RequireFromString("1.00"), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 300,
						Status: records.Approved, Source: "api", ReceivedAt: fin, Via: "tok1", Relay: c.relay})
				}
			}
			if err := records.Insert(ctx, s, recs); err != nil {
				t.Fatal(err)
			}
			e := &export.Exporter{Store: s, Revision: "test"}
			body := string(run(t, e, export.Options{Dataset: "records", Format: "csv"}))
			if got := strings.Contains(body, "RTOKENLAB"); got != c.rows {
				t.Errorf("rows of the requester exported: %v, want %v:\n%s", got, c.rows, body)
			}
			// The per-worker weeks count identities too: the six workers' identical rows are one token's.
			wk := strings.TrimSpace(string(run(t, e, export.Options{Dataset: "workers", Format: "csv"})))
			if got := strings.Count(wk, "\n") > 0; got != c.rows {
				t.Errorf("worker rows exported: %v, want %v:\n%s", got, c.rows, wk)
			}
		})
	}
}
