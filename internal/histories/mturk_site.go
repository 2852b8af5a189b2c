package histories

// The worker site's JSON as workers saved it: a /status_details/YYYY-MM-DD page (the tasks of
// one day, 20 a page), the /dashboard (daily statistics only) and the /tasks queue (accept times).

import (
	"encoding/json"
	"io"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
)

// mturkSiteRow is one task of a status-details page (and of its HTML table, whose reward is a
// plain number). `requester_feedback` has no field in hitwage and is not read.
type mturkSiteRow struct {
	AssignmentID  ingest.Text     `json:"assignment_id"`
	HitID         ingest.Text     `json:"hit_id"`
	HitSetID      ingest.Text     `json:"hit_set_id"` // not in the page as known; kept if a file has it
	State         ingest.Text     `json:"state"`
	Title         ingest.Text     `json:"title"`
	RequesterID   ingest.Text     `json:"requester_id"`
	RequesterName ingest.Text     `json:"requester_name"`
	Reward        json.RawMessage `json:"reward"` // {"currency_code", "amount_in_dollars"} or a number
}

func (r *mturkSiteRow) task(day time.Time) mturkTask {
	t := mturkTask{hitID: r.HitID, hitSetID: r.HitSetID, assignmentID: r.AssignmentID,
		requesterID: r.RequesterID, requesterName: r.RequesterName, title: r.Title,
		status: r.State, day: day}
	t.reward, t.currency, t.bonus = mturkReward(r.Reward)
	return t
}

// mturkPage holds the day of a worker-site page, found once, when a record first needs it.
type mturkPage struct {
	opts    Options
	format  Format
	day     time.Time
	dayErr  error
	dayDone bool
}

func (p *mturkPage) date() (time.Time, error) {
	if !p.dayDone {
		p.day, p.dayErr = mturkPageDate(p.format, p.opts)
		p.dayDone = true
	}
	return p.day, p.dayErr
}

// mturkStatusDetails streams the results of a saved status-details page. The page's date is in
// its URL only, so it comes from the file's name or Options.Date; without one, Next fails on the
// first task rather than guess.
type mturkStatusDetails struct {
	mturkSide
	page mturkPage
	w    *mturkWalker
}

func newMTurkStatusDetails(r io.Reader, opts Options) *mturkStatusDetails {
	return &mturkStatusDetails{
		mturkSide: newMTurkSide(StatusDetails, opts),
		page:      mturkPage{opts: opts, format: StatusDetails},
		w:         newMTurkWalker(r, StatusDetails, "results", nil),
	}
}

// Next returns the next task; Item.Line is its number in "results".
func (s *mturkStatusDetails) Next() (*ingest.Item, error) {
	for {
		n, _, err := s.w.next()
		if err != nil {
			return nil, err
		}
		row, bad, err := mturkDecode[mturkSiteRow](s.w)
		if err != nil {
			return nil, err
		}
		if bad != nil {
			return &ingest.Item{Line: n, Err: bad}, nil
		}
		if mturkInProgress(row.State) {
			s.skip(mturkSkipInProgress)
			continue
		}
		day, err := s.page.date()
		if err != nil {
			return nil, err
		}
		t := row.task(day)
		return &ingest.Item{Line: n, Input: s.input(&t)}, nil
	}
}

// mturkDashboard reads a saved dashboard: daily statistics, no task records (Next returns io.EOF
// once the file is read, and Days are then known). hits_overview and earnings_to_date are totals
// over the worker's whole history and are not kept.
type mturkDashboard struct {
	mturkSide
	w *mturkWalker
}

func newMTurkDashboard(r io.Reader, opts Options) *mturkDashboard {
	s := &mturkDashboard{mturkSide: newMTurkSide(Dashboard, opts)}
	s.w = newMTurkWalker(r, Dashboard, "", map[string]func(int, string) error{
		"daily_hit_statistics_overview": s.readDay})
	return s
}

func (s *mturkDashboard) Next() (*ingest.Item, error) {
	_, _, err := s.w.next()
	return nil, err
}

func (s *mturkDashboard) readDay(int, string) error {
	d, bad, err := mturkDecode[mturkSiteDay](s.w)
	if err == nil && bad == nil {
		s.addSiteDay(d)
	}
	return err
}

// mturkQueue reads a saved queue page: accept times (Accepts), no task records. Its tasks are
// still being worked on; their outcomes are in later status-details pages, which take these
// accept times through Options.Queue.
type mturkQueue struct {
	mturkSide
	w *mturkWalker
}

func newMTurkQueue(r io.Reader, opts Options) *mturkQueue {
	s := &mturkQueue{mturkSide: newMTurkSide(Queue, opts)}
	s.w = newMTurkWalker(r, Queue, "", map[string]func(int, string) error{"tasks": s.readTask})
	return s
}

func (s *mturkQueue) Next() (*ingest.Item, error) {
	_, _, err := s.w.next()
	return nil, err
}

func (s *mturkQueue) readTask(int, string) error {
	t, bad, err := mturkDecode[mturkQueueTask](s.w)
	switch {
	case err != nil:
		return err
	case bad != nil:
		s.skip(mturkSkipBadAccept)
	default:
		s.addAccept(t)
	}
	return nil
}
