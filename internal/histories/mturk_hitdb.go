package histories

// HIT Database Mk II (a userscript for the older worker site): its JSON backup
// (hitdb_YYYYMMDD.bak: {"STATS", "NOTES", "HIT"}, a key present only when it has records) and
// its tab-separated "CSV" export (hitdb_queryResults.csv).

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/ingest"
)

// mturkHitDBHit is one HIT of the backup. `feedback` (the requester's words) has no field in
// hitwage; `autoAppTime` is the seconds until the HIT would be approved automatically, not a time
// on task nor a decision time: neither is read.
type mturkHitDBHit struct {
	HitID         ingest.Text     `json:"hitId"`
	Date          ingest.Text     `json:"date"` // YYYY-MM-DD, US Pacific
	RequesterID   ingest.Text     `json:"requesterId"`
	RequesterName ingest.Text     `json:"requesterName"`
	Title         ingest.Text     `json:"title"`
	Reward        json.RawMessage `json:"reward"` // a number; older files {"pay", "bonus"}
	Bonus         ingest.Text     `json:"bonus"`
	Status        ingest.Text     `json:"status"`
}

// mturkHitDBStat is one day of the backup's STATS.
type mturkHitDBStat struct {
	Date      ingest.Text `json:"date"`
	Submitted ingest.Text `json:"submitted"`
	Approved  ingest.Text `json:"approved"`
	Rejected  ingest.Text `json:"rejected"`
	Pending   ingest.Text `json:"pending"`
	Earnings  ingest.Text `json:"earnings"`
}

// mturkHitDB streams the HITs of a backup; STATS are kept as they come, NOTES skipped.
type mturkHitDB struct {
	mturkSide
	w *mturkWalker
}

func newMTurkHitDB(r io.Reader, opts Options) *mturkHitDB {
	s := &mturkHitDB{mturkSide: newMTurkSide(HitDB, opts)}
	s.w = newMTurkWalker(r, HitDB, "HIT", map[string]func(int, string) error{"STATS": s.readStat})
	return s
}

// Next returns the next HIT; Item.Line is its number in "HIT".
func (s *mturkHitDB) Next() (*ingest.Item, error) {
	for {
		n, id, err := s.w.next()
		if err != nil {
			return nil, err
		}
		h, bad, err := mturkDecode[mturkHitDBHit](s.w)
		if err != nil {
			return nil, err
		}
		if bad != nil {
			return &ingest.Item{Line: n, Err: bad}, nil
		}
		if mturkInProgress(h.Status) {
			s.skip(mturkSkipInProgress)
			continue
		}
		day, ok := mturkDate(string(h.Date))
		if !ok {
			return &ingest.Item{Line: n, Err: s.w.recordErr("date %q is not a day (YYYY-MM-DD)", h.Date)}, nil
		}
		if h.HitID == "" {
			h.HitID = ingest.Text(id)
		}
		t := mturkTask{hitID: h.HitID, requesterID: h.RequesterID, requesterName: h.RequesterName,
			title: h.Title, status: h.Status, day: day}
		t.reward, t.currency, t.bonus = mturkReward(h.Reward)
		if h.Bonus != "" {
			t.bonus = h.Bonus
		}
		return &ingest.Item{Line: n, Input: s.input(&t)}, nil
	}
}

// readStat keeps one day of STATS; one that is not an object or has no readable date is dropped.
func (s *mturkHitDB) readStat(_ int, id string) error {
	d, bad, err := mturkDecode[mturkHitDBStat](s.w)
	if err != nil || bad != nil {
		return err
	}
	if d.Date == "" {
		d.Date = ingest.Text(id)
	}
	if date := mturkDay(string(d.Date)); date != "" {
		s.days = append(s.days, Day{
			Date: date, Submitted: mturkCount(d.Submitted), Approved: mturkCount(d.Approved),
			Rejected: mturkCount(d.Rejected), Pending: mturkCount(d.Pending), Earnings: mturkAmount(d.Earnings),
		})
	}
	return nil
}

// mturkHitDBCSV reads the tab-separated export, whose header is
// hitId date requesterName requesterId title pay bonus status autoAppTime feedback.
// Columns are found by name; feedback and autoAppTime are not read (see mturkHitDBHit).
type mturkHitDBCSV struct {
	mturkSide
	cr  *csv.Reader
	col map[string]int // lower-case header name → column
}

func newMTurkHitDBCSV(r io.Reader, opts Options) *mturkHitDBCSV {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.LazyQuotes = true // titles hold bare quotes: `Tag images, with "quotes"`
	cr.FieldsPerRecord = -1
	return &mturkHitDBCSV{mturkSide: newMTurkSide(HitDBCSV, opts), cr: cr}
}

// Next returns the next row; Item.Line is its line in the file.
func (s *mturkHitDBCSV) Next() (*ingest.Item, error) {
	if s.col == nil {
		header, err := s.cr.Read()
		if err != nil {
			if err == io.EOF {
				err = errors.New("no header line")
			}
			return nil, fmt.Errorf("%s: %w", HitDBCSV, err)
		}
		s.col = map[string]int{}
		for i, h := range header {
			s.col[strings.ToLower(strings.TrimSpace(h))] = i
		}
	}
	for {
		row, err := s.cr.Read()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return nil, io.EOF
		case errors.As(err, &pe):
			return &ingest.Item{Line: pe.StartLine, Err: fmt.Errorf("%s: line %d: %w", HitDBCSV, pe.StartLine, pe.Err)}, nil
		case err != nil:
			return nil, fmt.Errorf("%s: %w", HitDBCSV, err)
		}
		line, _ := s.cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := s.col[name]; ok && i < len(row) {
				return strings.TrimSpace(strings.ToValidUTF8(row[i], string(utf8.RuneError)))
			}
			return ""
		}
		status := ingest.Text(get("status"))
		if mturkInProgress(status) {
			s.skip(mturkSkipInProgress)
			continue
		}
		day, ok := mturkDate(get("date"))
		if !ok {
			return &ingest.Item{Line: line, Err: fmt.Errorf("%s: line %d: date %q is not a day (YYYY-MM-DD)", HitDBCSV, line, get("date"))}, nil
		}
		t := mturkTask{hitID: ingest.Text(get("hitid")), requesterID: ingest.Text(get("requesterid")),
			requesterName: ingest.Text(get("requestername")), title: ingest.Text(get("title")),
			reward: mturkDollars(get("pay")), bonus: mturkDollars(get("bonus")), currency: "USD",
			status: status, day: day}
		return &ingest.Item{Line: line, Input: s.input(&t)}, nil
	}
}

// mturkDollars drops the "$" the export may write before an amount.
func mturkDollars(s string) ingest.Text {
	return ingest.Text(strings.TrimSpace(strings.TrimPrefix(s, "$")))
}
