package wages_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestRunWithoutTables: on a ClickHouse server a recompute keeps no run tables and each scope
// reads the records itself; every precomputed figure must come out as with the tables.
func TestRunWithoutTables(t *testing.T) {
	s, w := newWages(t)
	ctx := context.Background()
	insert(t, s,
		task{req: "R1", reporter: "a", group: "G1", assignment: "A1", reward: "0.50", startMin: 0, secs: 600, status: records.Approved, decidedAfter: time.Hour},
		task{req: "R1", reporter: "a", group: "G1", assignment: "A2", reward: "0.50", startMin: 5, secs: 600, status: records.Approved, decidedAfter: time.Hour},
		task{req: "R1", reporter: "a", group: "G2", assignment: "A3", reward: "1.00", startMin: 8, secs: 300, status: records.Rejected, decidedAfter: 2 * time.Hour},
		task{req: "R1", reporter: "b", group: "G1", assignment: "A4", reward: "0.50", startMin: 0, secs: 420, status: records.Pending},
		task{req: "R2", reporter: "b", group: "G3", assignment: "A5", reward: "0.20", bonus: "0.10", startMin: 3, secs: 90, status: records.Approved},
		task{req: "R2", reporter: "c", group: "G3", assignment: "A6", reward: "0.20", startMin: 60 * 24 * 8, secs: 95, status: records.Abandoned},
	)
	type snapshot struct {
		figuresSnapshot
		Market   wages.Figures
		Weeks    []wages.WeekPoint
		Hours    []wages.HourPoint
		Weekdays []wages.WeekdayPoint
	}
	take := func(w *wages.Wages) snapshot {
		t.Helper()
		if err := w.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
		sn := snapshot{figuresSnapshot: snapshotFigures(t, w)}
		var err error
		if sn.Market, err = w.Market(ctx, platform.MTurk); err != nil {
			t.Fatal(err)
		}
		sn.Market.ComputedAt = time.Time{}
		if sn.Weeks, err = w.MarketTrend(ctx, platform.MTurk); err != nil {
			t.Fatal(err)
		}
		if sn.Hours, err = w.MarketByHour(ctx, platform.MTurk); err != nil {
			t.Fatal(err)
		}
		if sn.Weekdays, err = w.MarketByWeekday(ctx, platform.MTurk); err != nil {
			t.Fatal(err)
		}
		for i := range sn.Weeks {
			sn.Weeks[i].ComputedAt = time.Time{}
		}
		for i := range sn.Hours {
			sn.Hours[i].ComputedAt = time.Time{}
		}
		for i := range sn.Weekdays {
			sn.Weekdays[i].ComputedAt = time.Time{}
		}
		return sn
	}
	with := take(w)
	if len(with.Requesters) != 2 || len(with.Groups) != 3 || len(with.Weeks) != 2 {
		t.Fatalf("with run tables: %d requesters, %d groups, %d weeks; want 2, 3, 2", len(with.Requesters), len(with.Groups), len(with.Weeks))
	}
	inline := wages.New(s, wages.Config{})
	wages.WithoutRunTables(inline)
	without := take(inline)
	if !reflect.DeepEqual(with, without) {
		t.Errorf("figures differ without run tables:\nwith    %+v\nwithout %+v", with, without)
	}
	// What stays is the records cache of the run with tables: its table and its flagged records.
	var left []string
	if err := s.QueryRow(ctx, "SELECT arraySort(groupArray(name)) FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'wage_run_')", nil, &left); err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 || left[1] != left[0]+"_flagged" {
		t.Errorf("run tables left after the runs: %q, want the records cache's two", left)
	}
}
