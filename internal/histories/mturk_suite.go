package histories

// MTurk Suite's HIT Tracker backup (HIT_Tracker_Backup_YYYYMMDD.json): {"hits": ..., "days": ...}.

import (
	"io"
	"strings"
	"sync"

	"github.com/valyala/fastjson"

	"github.com/hitwage/hitwage/internal/ingest"
)

// mturkSuiteHit is what hitwage reads of one hit of the backup (decodeHit). What the worker
// submitted (`answer`) and the page it was on (`source`) are deliberately absent: hitwage must
// never store them, so they are never read into anything. `requester_feedback` has no field in
// hitwage either.
type mturkSuiteHit struct {
	HitID, HitSetID, AssignmentID     ingest.Text // hit_set_id: not written by the tool; kept if a file has it
	RequesterID, RequesterName, Title ingest.Text
	State                             ingest.Text
	Date                              ingest.Text // YYYYMMDD, US Pacific
}

// mturkSuiteDay is one day of the backup: the tool's own counts. Its `day` (a copy of the
// site's daily statistics) is not read: the tool's counts are what it kept for every day.
type mturkSuiteDay struct {
	Date      ingest.Text `json:"date"` // YYYYMMDD
	Submitted ingest.Text `json:"submitted"`
	Approved  ingest.Text `json:"approved"`
	Rejected  ingest.Text `json:"rejected"`
	Pending   ingest.Text `json:"pending"`
	Returned  ingest.Text `json:"returned"`
	Abandoned ingest.Text `json:"abandoned"`
	Paid      ingest.Text `json:"paid"`
	Earnings  ingest.Text `json:"earnings"` // a number or a string ("12.34")
}

// mturkSuite streams the hits of a backup; its days are kept as they come (there are few).
type mturkSuite struct {
	mturkSide
	w  *mturkWalker
	fj fastjson.Parser

	out  chan suiteBatch // hits read ahead (Next)
	stop chan struct{}   // closed by Close
	once sync.Once
	cur  []*ingest.Item // the batch being handed out
	err  error          // why the reading ended, once its batch is handed out
}

// decodeHit reads the hit the walker stands on and its reward (amount, currency, bonus as
// mturkReward gives them). A backup holds up to millions of hits: each is cut out as raw JSON and
// read with fastjson, several times faster than encoding/json's reflection into mturkSuiteHit
// (which names the same fields). bad is set when the element is not an object.
func (s *mturkSuite) decodeHit() (h *mturkSuiteHit, reward [3]ingest.Text, bad, err error) {
	v, err := s.fj.ParseBytes(s.w.raw) // cut by the walker's fast mode
	if err != nil {                    // not JSON: the document is broken, not one record
		return nil, reward, nil, s.w.fail(err)
	}
	switch v.Type() {
	case fastjson.TypeObject:
	case fastjson.TypeNull:
		return nil, reward, s.w.recordErr("is null, not an object"), nil
	default:
		return nil, reward, s.w.recordErr("is a JSON %s, not an object", v.Type()), nil
	}
	h = &mturkSuiteHit{HitID: fjText(v.Get("hit_id")), HitSetID: fjText(v.Get("hit_set_id")),
		AssignmentID: fjText(v.Get("assignment_id")), RequesterID: fjText(v.Get("requester_id")),
		RequesterName: fjText(v.Get("requester_name")), Title: fjText(v.Get("title")),
		State: fjText(v.Get("state")), Date: fjText(v.Get("date"))}
	reward[0], reward[1], reward[2] = fjReward(v.Get("reward"))
	return h, reward, nil, nil
}

// fjText is a fastjson value as ingest.Text reads a JSON value: a string's text (made valid
// UTF-8), a number's literal text, "" for null or absent, and the not-a-scalar mark otherwise.
func fjText(v *fastjson.Value) ingest.Text {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeString:
		return ingest.Text(strings.ToValidUTF8(string(v.GetStringBytes()), "\uFFFD"))
	case fastjson.TypeNumber:
		return ingest.Text(v.MarshalTo(nil))
	case fastjson.TypeNull:
		return ""
	}
	var t ingest.Text
	_ = t.UnmarshalJSON([]byte("{}")) // the mark Check reports as a bad field
	return t
}

// fjReward is mturkReward for a fastjson value.
func fjReward(v *fastjson.Value) (amount, currency, bonus ingest.Text) {
	if v != nil && v.Type() == fastjson.TypeObject {
		return rewardParts(fjText(v.Get("amount_in_dollars")), fjText(v.Get("currency_code")), fjText(v.Get("bonus")), fjText(v.Get("pay")))
	}
	return rewardParts(fjText(v), "", "", "")
}

func newMTurkSuite(r io.Reader, opts Options) *mturkSuite {
	s := &mturkSuite{mturkSide: newMTurkSide(HitTracker, opts)}
	s.w = newMTurkWalker(r, HitTracker, "hits", map[string]func(int, string) error{"days": s.readDay})
	s.w.fast = true
	return s
}

// suiteBatch is hits read ahead, or why reading stopped (io.EOF at the end).
type suiteBatch struct {
	items []*ingest.Item
	err   error
}

// suiteReadAhead is how many hits a batch read ahead holds.
const suiteReadAhead = 256

// Next returns the next hit; Item.Line is its number in "hits". The hits are cut and parsed on a
// goroutine of their own, a batch ahead of the caller, which checks and stores them meanwhile: an
// import of a backup otherwise waits on one core for reading that the other could do. Close stops
// it when the caller stops early.
func (s *mturkSuite) Next() (*ingest.Item, error) {
	if s.out == nil {
		s.out, s.stop = make(chan suiteBatch, 2), make(chan struct{})
		go s.readAhead()
	}
	for len(s.cur) == 0 {
		if s.err != nil {
			return nil, s.err
		}
		b, ok := <-s.out
		if !ok {
			return nil, io.EOF
		}
		s.cur, s.err = b.items, b.err
	}
	it := s.cur[0]
	s.cur = s.cur[1:]
	return it, nil
}

// Close stops the reading ahead (the import stopped before the end).
func (s *mturkSuite) Close() error {
	s.once.Do(func() {
		if s.stop != nil {
			close(s.stop)
		}
	})
	return nil
}

// readAhead reads every hit with read and hands them over in batches; the last batch carries
// the error that ended the reading (io.EOF at the end). Everything it keeps besides the hits
// (days, skips) is complete when that batch is received.
func (s *mturkSuite) readAhead() {
	defer close(s.out)
	b := suiteBatch{items: make([]*ingest.Item, 0, suiteReadAhead)}
	for {
		it, err := s.read()
		if err == nil {
			b.items = append(b.items, it)
			if len(b.items) < suiteReadAhead {
				continue
			}
		}
		b.err = err
		select {
		case s.out <- b:
		case <-s.stop:
			return
		}
		if err != nil {
			return
		}
		b = suiteBatch{items: make([]*ingest.Item, 0, suiteReadAhead)}
	}
}

// read reads the next hit.
func (s *mturkSuite) read() (*ingest.Item, error) {
	for {
		n, id, err := s.w.next()
		if err != nil {
			return nil, err
		}
		h, reward, bad, err := s.decodeHit()
		if err != nil {
			return nil, err
		}
		if bad != nil {
			return &ingest.Item{Line: n, Err: bad}, nil
		}
		if mturkInProgress(h.State) {
			s.skip(mturkSkipInProgress)
			continue
		}
		day, ok := mturkDate(string(h.Date))
		if !ok {
			return &ingest.Item{Line: n, Err: s.w.recordErr("date %q is not a day (YYYYMMDD)", h.Date)}, nil
		}
		if h.HitID == "" {
			h.HitID = ingest.Text(id) // hits keyed by id
		}
		t := mturkTask{hitID: h.HitID, hitSetID: h.HitSetID, assignmentID: h.AssignmentID,
			requesterID: h.RequesterID, requesterName: h.RequesterName, title: h.Title,
			status: h.State, day: day}
		t.reward, t.currency, t.bonus = reward[0], reward[1], reward[2]
		return &ingest.Item{Line: n, Input: s.input(&t)}, nil
	}
}

// readDay keeps one day; a day that is not an object or has no readable date is dropped (days
// only cross-check the tasks).
func (s *mturkSuite) readDay(_ int, id string) error {
	d, bad, err := mturkDecode[mturkSuiteDay](s.w)
	if err != nil || bad != nil {
		return err
	}
	if d.Date == "" {
		d.Date = ingest.Text(id) // days keyed by date
	}
	date := mturkDay(string(d.Date))
	if date == "" {
		return nil
	}
	s.days = append(s.days, Day{
		Date: date, Submitted: mturkCount(d.Submitted), Approved: mturkCount(d.Approved),
		Rejected: mturkCount(d.Rejected), Pending: mturkCount(d.Pending), Returned: mturkCount(d.Returned),
		Abandoned: mturkCount(d.Abandoned), Paid: mturkCount(d.Paid), Earnings: mturkAmount(d.Earnings),
	})
	return nil
}
