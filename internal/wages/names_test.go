package wages_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
)

// shown is what every way of reading a requester's figures gives as its name, and as its one HIT
// group's requester name and title: precomputed (Recompute), recomputed for the requester alone
// (the path of Update), live over all time, and precomputed without run tables (a ClickHouse server).
type shown struct{ name, groupName, title string }

func namesShown(t *testing.T, s *store.Store, w *wages.Wages, req, group string) map[string]shown {
	t.Helper()
	ctx := context.Background()
	out := map[string]shown{}
	pre := func(how string) {
		t.Helper()
		f, err := w.Requester(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		g, err := w.Group(ctx, platform.MTurk, group)
		if err != nil {
			t.Fatal(err)
		}
		out[how] = shown{f.RequesterName, g.RequesterName, g.Title}
	}
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	pre("recompute")
	if err := w.RecomputeRequesters(ctx, []string{req}); err != nil {
		t.Fatal(err)
	}
	pre("recompute requester")
	f, err := w.RequesterRange(ctx, req, wages.Range{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := w.GroupRange(ctx, group, wages.Range{})
	if err != nil {
		t.Fatal(err)
	}
	out["live"] = shown{f.RequesterName, g.RequesterName, g.Title}
	server := wages.New(s, wages.Config{})
	wages.WithoutRunTables(server)
	if err := server.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	pre("without run tables")
	return out
}

func wantShown(t *testing.T, got map[string]shown, want shown) {
	t.Helper()
	for how, g := range got {
		if g != want {
			t.Errorf("%s: name %q, group's requester name %q, title %q; want %q, %q, %q",
				how, g.name, g.groupName, g.title, want.name, want.name, want.title)
		}
	}
}

// TestNameOfMostReporters: five workers report a requester as "Real Name"; one worker then sends
// ten reports naming it "SCAM", the last received. The requester keeps the name most workers gave,
// and its HIT group the title most workers gave.
func TestNameOfMostReporters(t *testing.T) {
	s, w := newWages(t)
	var ts []task
	for i := 0; i < 5; i++ {
		ts = append(ts, task{req: "RN", reporter: fmt.Sprintf("w%d", i), group: "GN", assignment: fmt.Sprintf("n%d", i),
			reward: "1.00", startMin: float64(i * 20), secs: 600, status: records.Approved, name: "Real Name", title: "Real title"})
	}
	for i := 0; i < 10; i++ {
		ts = append(ts, task{req: "RN", reporter: "scammer", group: "GN", assignment: fmt.Sprintf("s%d", i),
			reward: "1.00", startMin: float64(i * 20), secs: 600, status: records.Approved, name: "SCAM DO NOT WORK",
			title: "SCAM title", received: 30 * 24 * time.Hour})
	}
	insert(t, s, ts...)
	wantShown(t, namesShown(t, s, w, "RN", "GN"), shown{"Real Name", "Real Name", "Real title"})

	// A second requester with only the scammer's reports is named as reported: there is nothing else.
	insert(t, s, task{req: "RS", reporter: "scammer", group: "GS", assignment: "x", reward: "1.00", startMin: 600,
		secs: 60, status: records.Approved, name: "Only Name"})
	f, err := w.RequesterRange(context.Background(), "RS", wages.Range{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "lone requester's name", f.RequesterName, "Only Name")
}

// TestNameOfListing: a requester and HIT group seen on MTurk's listings show the listing's name and
// title (the latest crawl's), whatever the reports say; an empty listing name is no name.
func TestNameOfListing(t *testing.T) {
	s, w := newWages(t)
	for i := 0; i < 4; i++ {
		insert(t, s, task{req: "RL", reporter: fmt.Sprintf("w%d", i), group: "GL", assignment: fmt.Sprintf("l%d", i),
			reward: "0.50", startMin: float64(i * 20), secs: 300, status: records.Approved})
	}
	snap := func(at time.Time, name, title string) {
		t.Helper()
		err := s.Exec(context.Background(), `INSERT INTO listing_snapshots (crawled_at, crawl_id, hit_set_id, requester_id,
			requester_name, title, reward, currency, assignment_duration_seconds, assignable_hits, source)
			VALUES ({at:DateTime64(3, 'UTC')}, 'c', 'GL', 'RL', {n:String}, {t:String}, 0.50, 'USD', 3600, 10, 'test')`,
			store.Args{"at": at, "n": name, "t": title})
		if err != nil {
			t.Fatal(err)
		}
	}
	snap(base.Add(-48*time.Hour), "Old Listed Name", "Old listed title")
	snap(base.Add(-24*time.Hour), "Listed Name", "Listed title")
	snap(base.Add(-time.Hour), "", "")
	wantShown(t, namesShown(t, s, w, "RL", "GL"), shown{"Listed Name", "Listed Name", "Listed title"})

	// The requesters table names a requester too; the newer of it and the listings wins.
	err := s.Exec(context.Background(), `INSERT INTO requesters (requester_id, name, first_seen, updated_at)
		VALUES ('RL', 'Directory Name', {at:DateTime64(3, 'UTC')}, {at:DateTime64(3, 'UTC')})`, store.Args{"at": base})
	if err != nil {
		t.Fatal(err)
	}
	wantShown(t, namesShown(t, s, w, "RL", "GL"), shown{"Directory Name", "Directory Name", "Listed title"})
}

// TestNameTie: two names given by as many workers each (two; record counts differ): the one
// received last wins, in whichever order the records were stored.
func TestNameTie(t *testing.T) {
	for _, order := range []string{"early first", "late first"} {
		t.Run(order, func(t *testing.T) {
			s, w := newWages(t)
			early := []task{
				{req: "RT", reporter: "a", group: "GT", assignment: "t1", reward: "1.00", startMin: 0, secs: 600, status: records.Approved, name: "Early Name", title: "Early title"},
				{req: "RT", reporter: "b", group: "GT", assignment: "t2", reward: "1.00", startMin: 0, secs: 600, status: records.Approved, name: "Early Name", title: "Early title"},
				// More records, not more reporters: the early name has four records to the late name's three.
				{req: "RT", reporter: "a", group: "GT", assignment: "t6", reward: "1.00", startMin: 30, secs: 600, status: records.Approved, name: "Early Name", title: "Early title"},
				{req: "RT", reporter: "a", group: "GT", assignment: "t7", reward: "1.00", startMin: 60, secs: 600, status: records.Approved, name: "Early Name", title: "Early title"},
			}
			late := []task{
				{req: "RT", reporter: "c", group: "GT", assignment: "t3", reward: "1.00", startMin: 0, secs: 600, status: records.Approved, name: "Late Name", title: "Late title", received: 2 * time.Hour},
				{req: "RT", reporter: "d", group: "GT", assignment: "t4", reward: "1.00", startMin: 0, secs: 600, status: records.Approved, name: "Late Name", title: "Late title"},
				{req: "RT", reporter: "d", group: "GT", assignment: "t5", reward: "1.00", startMin: 30, secs: 600, status: records.Approved, name: "Late Name", title: "Late title"},
			}
			if order == "early first" {
				insert(t, s, early...)
				insert(t, s, late...)
			} else {
				insert(t, s, late...)
				insert(t, s, early...)
			}
			wantShown(t, namesShown(t, s, w, "RT", "GT"), shown{"Late Name", "Late Name", "Late title"})
		})
	}
}

// TestRewardOfGroup: a HIT group's reward and time allotted (and so its bonus owed) are the ones
// most reporters gave, or the listing's: one later report of a $10.00 reward changes nothing.
func TestRewardOfGroup(t *testing.T) {
	ctx := context.Background()
	s, w := newWages(t)
	for i := 0; i < 4; i++ {
		insert(t, s, task{req: "RW", reporter: fmt.Sprintf("w%d", i), group: "GW", assignment: fmt.Sprintf("w%d", i),
			reward: "0.50", startMin: float64(i * 20), secs: 300, status: records.Approved})
	}
	insert(t, s, task{req: "RW", reporter: "liar", group: "GW", assignment: "liar", reward: "10.00", allotted: 60,
		startMin: 200, secs: 30, status: records.Approved, received: 48 * time.Hour})
	group := func() wages.Group {
		t.Helper()
		if err := w.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
		gs, err := w.Groups(ctx, "RW")
		if err != nil || len(gs) != 1 {
			t.Fatalf("groups %+v %v", gs, err)
		}
		return gs[0]
	}
	g := group()
	eq(t, "reward", g.Reward, 0.50)
	eq(t, "allotted", g.AllottedSeconds, 3600)
	// Median task time 300 s: $15/h for 5 minutes is $1.25 a task, so $0.75 is owed on a $0.50 reward.
	near(t, "bonus owed", g.BonusOwed, 0.75)

	// The listing's reward and time allotted win over the reports.
	err := s.Exec(ctx, `INSERT INTO listing_snapshots (crawled_at, crawl_id, hit_set_id, requester_id,
		requester_name, title, reward, currency, assignment_duration_seconds, assignable_hits, source)
		VALUES ({at:DateTime64(3, 'UTC')}, 'c', 'GW', 'RW', 'Name of RW', 'Title of GW', 0.80, 'USD', 1800, 10, 'test')`,
		store.Args{"at": base})
	if err != nil {
		t.Fatal(err)
	}
	g = group()
	eq(t, "listed reward", g.Reward, 0.80)
	eq(t, "listed allotted", g.AllottedSeconds, 1800)
	near(t, "bonus owed on the listed reward", g.BonusOwed, 0.45)
}
