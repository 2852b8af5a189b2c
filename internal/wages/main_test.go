package wages_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// base is the scenario clock: Monday 2026-11-16 10:00 UTC.
var base = time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)

// task builds a record accepted at base+startMin minutes that took secs seconds.
type task struct {
	req, reporter, group, assignment string
	reward, bonus                    string
	startMin                         float64
	secs                             uint32
	status                           records.Status
	decidedAfter                     time.Duration // after finish; 0 = undecided
	allotted                         uint32
	received                         time.Duration // after finish; default 1 minute
	name, title                      string        // requester name and title reported; default "Name of "+req, "Title of "+group
	currency                         string        // of reward and bonus; default the platform's
	untimed                          bool          // no time on task: only the day it finished (a saved history's record)
}

func (tk task) record() records.Record {
	acc := base.Add(time.Duration(tk.startMin * float64(time.Minute)))
	fin := acc.Add(time.Duration(tk.secs) * time.Second)
	r := records.Record{
		RequesterID: tk.req, Reporter: tk.reporter, HitSetID: tk.group, AssignmentID: tk.assignment,
		RequesterName: "Name of " + tk.req, Title: "Title of " + tk.group,
		Reward: decimal.RequireFromString(tk.reward), Bonus: decimal.Zero,
		AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: tk.secs, Status: tk.status,
		AllottedSeconds: tk.allotted, Source: "test", ReceivedAt: fin.Add(time.Minute),
	}
	if tk.untimed {
		day := time.Date(fin.Year(), fin.Month(), fin.Day(), 0, 0, 0, 0, time.UTC)
		r.AcceptedAt, r.FinishedAt, r.DurationSeconds = nil, &day, 0
	}
	if tk.name != "" {
		r.RequesterName = tk.name
	}
	r.Currency = tk.currency
	if tk.title != "" {
		r.Title = tk.title
	}
	if tk.allotted == 0 {
		r.AllottedSeconds = 3600
	}
	if tk.bonus != "" {
		r.Bonus = decimal.RequireFromString(tk.bonus)
	}
	if tk.decidedAfter > 0 {
		d := fin.Add(tk.decidedAfter)
		r.DecidedAt = &d
	}
	if tk.received > 0 {
		r.ReceivedAt = fin.Add(tk.received)
	}
	return r
}

func insert(t *testing.T, s *store.Store, tasks ...task) {
	t.Helper()
	recs := make([]records.Record, len(tasks))
	for i, tk := range tasks {
		recs[i] = tk.record()
	}
	if err := records.Insert(context.Background(), s, recs); err != nil {
		t.Fatal(err)
	}
}

// near checks a figure to a thousandth of its unit (cents and better for dollars).
func near(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %.4f", name, want)
		return
	}
	if math.Abs(*got-want) > 0.0005 {
		t.Errorf("%s = %.6f, want %.4f", name, *got, want)
	}
}

func ptr(f float64) *float64 { return &f }

func isNil(t *testing.T, name string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want nil", name, *got)
	}
}

func eq[T comparable](t *testing.T, name string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func newWages(t *testing.T) (*store.Store, *wages.Wages) {
	t.Helper()
	s := storetest.New(t)
	return s, wages.New(s, wages.Config{})
}

// first is the first figures of a platform's or reporter's (one per currency), and its error.
func first(fs []wages.Figures, err error) (wages.Figures, error) {
	if err != nil || len(fs) == 0 {
		return wages.Figures{}, err
	}
	return fs[0], nil
}
