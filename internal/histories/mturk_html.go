package histories

// A saved worker-site HTML page. The site rendered its tables with React: each component's data
// is JSON in a data-react-props attribute, HTML-escaped. What is known of those props is that a
// status-details page has a HitStatusDetailsTable whose rows carry the status-details fields
// with the reward as a plain number; the exact shape (here: the rows in "bodyData", or in
// "results" as in the JSON page) is UNCONFIRMED. So the reader is tolerant: a prop it does not
// understand is counted in Skipped, never a reason to fail the page.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"

	"github.com/hitwage/hitwage/internal/ingest"
)

// mturkHTMLMax bounds the page read: a saved page is its own record container and is read whole.
const mturkHTMLMax = 64 << 20

// mturkHTML reads the task rows, daily statistics and queue tasks found in a page's props.
type mturkHTML struct {
	mturkSide
	page mturkPage
	r    io.Reader
	html []byte // the page, once read
	read bool
	pos  int               // where the search for the next prop starts
	rows []json.RawMessage // the rows of the prop being read
	n    int               // rows handed out over the whole page
}

func newMTurkHTML(r io.Reader, opts Options) *mturkHTML {
	return &mturkHTML{mturkSide: newMTurkSide(WorkerHTML, opts), page: mturkPage{opts: opts, format: WorkerHTML}, r: r}
}

// Next returns the next task row; Item.Line is the row's number counted over the whole page.
func (s *mturkHTML) Next() (*ingest.Item, error) {
	if !s.read {
		b, err := io.ReadAll(io.LimitReader(s.r, mturkHTMLMax+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", WorkerHTML, err)
		}
		if len(b) > mturkHTMLMax {
			return nil, fmt.Errorf("%s: the page is over %d MiB", WorkerHTML, mturkHTMLMax>>20)
		}
		s.html, s.read = b, true
	}
	for {
		if len(s.rows) > 0 {
			raw := s.rows[0]
			s.rows = s.rows[1:]
			s.n++
			var row *mturkSiteRow
			if err := json.Unmarshal(raw, &row); err != nil || row == nil {
				return &ingest.Item{Line: s.n, Err: fmt.Errorf("%s: row %d is not an object", WorkerHTML, s.n)}, nil
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
			return &ingest.Item{Line: s.n, Input: s.input(&t)}, nil
		}
		props, ok := s.nextProps()
		if !ok {
			return nil, io.EOF
		}
		s.understand(props)
	}
}

// nextProps returns the unescaped value of the next data-react-props attribute.
func (s *mturkHTML) nextProps() (string, bool) {
	const attr = "data-react-props"
	for {
		i := bytes.Index(s.html[s.pos:], []byte(attr))
		if i < 0 {
			s.pos = len(s.html)
			return "", false
		}
		s.pos += i + len(attr)
		rest := bytes.TrimLeft(s.html[s.pos:], " \t\r\n")
		if len(rest) == 0 || rest[0] != '=' {
			continue // the name in text or a script, not an attribute
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			s.skip(mturkSkipPagePart)
			continue
		}
		value := rest[1:]
		if end := bytes.IndexByte(value, rest[0]); end >= 0 {
			value = value[:end]
		}
		s.pos = len(s.html) - len(rest) + 1 + len(value)
		return html.UnescapeString(string(value)), true
	}
}

// understand takes what it knows from one prop: status-details rows, dashboard days, queue tasks.
func (s *mturkHTML) understand(props string) {
	var p struct {
		BodyData json.RawMessage `json:"bodyData"`
		Results  json.RawMessage `json:"results"`
		Daily    json.RawMessage `json:"daily_hit_statistics_overview"`
		Tasks    json.RawMessage `json:"tasks"`
	}
	if json.Unmarshal([]byte(props), &p) != nil {
		s.skip(mturkSkipPagePart)
		return
	}
	understood := false
	for _, raw := range []json.RawMessage{p.BodyData, p.Results} {
		var rows []json.RawMessage
		if json.Unmarshal(raw, &rows) == nil && len(rows) > 0 && mturkStatusRow(rows[0]) {
			s.rows = append(s.rows, rows...)
			understood = true
		}
	}
	var days []*mturkSiteDay
	if json.Unmarshal(p.Daily, &days) == nil && len(days) > 0 {
		for _, d := range days {
			if d != nil {
				s.addSiteDay(d)
			}
		}
		understood = true
	}
	var tasks []json.RawMessage
	if json.Unmarshal(p.Tasks, &tasks) == nil && len(tasks) > 0 && mturkQueueRow(tasks[0]) {
		for _, raw := range tasks {
			var t *mturkQueueTask
			if json.Unmarshal(raw, &t) != nil || t == nil {
				s.skip(mturkSkipBadAccept)
				continue
			}
			s.addAccept(t)
		}
		understood = true
	}
	if !understood {
		s.skip(mturkSkipPagePart)
	}
}

// mturkStatusRow reports whether a table row looks like a status-details task: a state and
// the task's ids (the HIT list's rows have neither).
func mturkStatusRow(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	_, state := m["state"]
	_, hit := m["hit_id"]
	_, asg := m["assignment_id"]
	return state && (hit || asg)
}

func mturkQueueRow(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	_, at := m["accepted_at"]
	return at
}
