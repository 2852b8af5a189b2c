package histories

// Prolific's participant-side files: the submission-history CSV that Prolific lets a participant
// download, and the participant/submissions and participant/studies JSON that participants' tools
// save. A Prolific study is a HIT group, a researcher a requester, a submission an assignment.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
)

// prolificColumns is the header of Prolific's submission-history download.
var prolificColumns = []string{"Study", "Reward", "Bonus", "Started At", "Completed At", "Completion Code", "Status"}

// The Skipped lines for records no researcher could be found for: Check would refuse them (a
// record without its requester rates nobody), so they are counted instead.
const (
	unattributedRows        = "%d rows could not be attributed to a researcher (give --researcher or a studies file): kept for your own figures only"
	unattributedSubmissions = "%d submissions could not be attributed to a researcher (give a studies file that lists their studies): kept for your own figures only"
)

// inProgressReason is the Skipped line for submissions that have no outcome yet.
const inProgressReason = "%d submissions still in progress (RESERVED or ACTIVE): no outcome yet"

// detectProlific names the Prolific format of a file from its name and its first bytes (up to
// 64 KiB), or returns "" when the file is not one of Prolific's.
func detectProlific(name string, head []byte) Format {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return detectProlificJSON(name, trimmed)
	}
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	cols, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return ""
	}
	if len(missingColumns(headerIndex(cols))) == 0 {
		return ProlificCSV
	}
	return ""
}

// detectProlificJSON tells a studies listing from a submissions history by the keys of the
// first element of `results`. The head may end inside that element: the keys seen so far decide.
func detectProlificJSON(name string, head []byte) Format {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	var links []byte
	sawResults := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return ""
		}
		if t != "results" {
			var v json.RawMessage
			if dec.Decode(&v) != nil {
				break
			}
			if t == "_links" {
				links = v
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return ""
		}
		if !dec.More() {
			// No element to judge by: an empty list. The links are after it.
			if _, err := dec.Token(); err != nil {
				return ""
			}
			sawResults = true
			continue
		}
		return prolificItemFormat(dec)
	}
	// An empty `results`: what the file was saved from, if its name or links say so.
	hint := strings.ToLower(name) + string(links)
	switch {
	case !sawResults:
		return ""
	case strings.Contains(hint, "submission"):
		return ProlificSubs
	case strings.Contains(hint, "participant/stud"):
		return ProlificStudy
	}
	return ""
}

// prolificItemFormat reads the keys of the object dec is at and says which listing holds it.
func prolificItemFormat(dec *json.Decoder) Format {
	keys := map[string]bool{}
	if t, err := dec.Token(); err == nil && t == json.Delim('{') {
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				break
			}
			k, _ := t.(string)
			keys[k] = true
			var v json.RawMessage
			if dec.Decode(&v) != nil {
				break
			}
		}
	}
	switch {
	case keys["submission_reward"] || keys["study_id"] || (keys["study"] && keys["started_at"]):
		return ProlificSubs
	case (keys["study_reward"] || keys["reward"]) && keys["researcher"]:
		return ProlificStudy
	}
	return ""
}

// openProlific returns a streaming reader of a file in one of Prolific's formats. Its errors do
// not name the format: the caller (Opener) does. Next's do, as nothing wraps them.
func openProlific(f Format, r io.Reader, opts Options) (Reader, error) {
	switch f {
	case ProlificCSV:
		return newProlificCSV(r, opts)
	case ProlificSubs, ProlificStudy:
		return newProlificJSON(f, r, opts)
	}
	return nil, fmt.Errorf("%q is not a Prolific format", f)
}

// ReadStudies reads a whole participant/studies file (either schema) into its study listings:
// for a studies file given alongside a submission history, and for importing listings. Listings
// that cannot be read are left out; a file of which none can be (a submissions file given by
// mistake) is an error.
func ReadStudies(r io.Reader) ([]Study, error) {
	pr, err := newProlificJSON(ProlificStudy, r, Options{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ProlificStudy, err)
	}
	if _, err := pr.Next(); err != io.EOF {
		return nil, err
	}
	p := pr.(*prolificJSON)
	if len(p.studies) == 0 && p.unreadable > 0 {
		return nil, fmt.Errorf("%s: no study listing could be read (the first: %s)", ProlificStudy, p.firstUnreadable)
	}
	return p.studies, nil
}

// prolificBase is what every Prolific reader shares: its format, the studies it can attribute
// records by, and the records it deliberately did not turn into task records.
type prolificBase struct {
	format       Format
	attr         attribution
	inProgress   int
	unattributed int
	studies      []Study

	unreadable      int    // study listings that could not be read
	firstUnreadable string // and why the first could not
}

func (b *prolificBase) Format() Format    { return b.format }
func (b *prolificBase) Days() []Day       { return nil }
func (b *prolificBase) Studies() []Study  { return b.studies }
func (b *prolificBase) Accepts() []Accept { return nil }

// Unattributed is how many records were not returned because no researcher could be found for
// them (a CSV row without --researcher or a studies file naming its study, a submission whose
// study is unknown). The importer type-asserts for it to tell the user what to give.
func (b *prolificBase) Unattributed() int { return b.unattributed }

// Skipped counts the submissions still in progress and the study listings that could not be
// read, and says why; it also says how many no researcher could be found for (kept for the
// participant's own figures only, so not counted as skipped).
func (b *prolificBase) Skipped() (int, []string) {
	var why []string
	if b.inProgress > 0 {
		why = append(why, fmt.Sprintf(inProgressReason, b.inProgress))
	}
	if b.unattributed > 0 {
		reason := unattributedSubmissions
		if b.format == ProlificCSV {
			reason = unattributedRows
		}
		why = append(why, fmt.Sprintf(reason, b.unattributed))
	}
	if b.unreadable > 0 {
		why = append(why, fmt.Sprintf("%d study listings could not be read (the first: %s)", b.unreadable, b.firstUnreadable))
	}
	return b.inProgress + b.unreadable, why // the unattributed are kept (Input.Unattributed), not skipped
}

// skipStatus reports whether a submission's status says it has no outcome yet: a place held or
// a study being taken. Such a submission is neither paid nor unpaid time yet.
func (b *prolificBase) skipStatus(status string) bool {
	switch strings.ToUpper(strings.TrimSpace(status)) {
	case "RESERVED", "ACTIVE":
		b.inProgress++
		return true
	}
	return false
}

// newInput is an input on Prolific with its worker left to the importer (the reporter).
func newInput() ingest.Input { return ingest.Input{Platform: ingest.Text(platform.Prolific)} }

// attribution finds the researcher (and study id) of a record from what the user gave beside
// the file.
type attribution struct {
	researcher string           // --researcher: every record's
	byID       map[string]Study // studies by id
	byName     map[string][]Study
}

func newAttribution(opts Options) attribution {
	a := attribution{researcher: strings.TrimSpace(opts.Researcher), byID: map[string]Study{}, byName: map[string][]Study{}}
	for _, s := range opts.Studies {
		if s.ID != "" {
			a.byID[s.ID] = s
		}
		a.byName[s.Name] = append(a.byName[s.Name], s)
	}
	return a
}

// byStudyName attributes a row by its study's name. Names are not unique: when studies of the
// same name belong to different researchers nobody is guessed, and when one researcher has
// several studies of that name the study id stays unknown.
func (a attribution) byStudyName(name string) (researcher, researcherName, studyID string) {
	same := a.byName[name]
	for _, s := range same {
		if s.ResearcherID != same[0].ResearcherID {
			same = nil
			break
		}
	}
	if len(same) > 0 {
		researcher, researcherName, studyID = same[0].ResearcherID, same[0].ResearcherName, same[0].ID
		for _, s := range same[1:] {
			if s.ID != studyID {
				studyID = ""
			}
		}
	}
	if a.researcher != "" && researcher != a.researcher {
		return a.researcher, "", "" // no study of that name is the given researcher's
	}
	return researcher, researcherName, studyID
}

// maxMinor bounds amounts in minor units far above any pay (Check refuses over 10,000), so that
// sums of them cannot overflow.
const maxMinor = 1e15

// minorUnits reads an integer amount of pence or cents, as a JSON number or a string of digits.
func minorUnits(t ingest.Text) (int64, error) {
	s := strings.TrimSpace(string(t))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxMinor || n < -maxMinor {
		return 0, fmt.Errorf("%q is not a whole number of minor units (pence or cents)", clip(s))
	}
	return n, nil
}

// major writes an amount in minor units as exact decimal text in major units: 225 is "2.25".
// Prolific pays in currencies with two decimals (GBP, USD).
func major(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// money is an amount as Prolific's JSON gives it: {"amount": minor units, "currency": "GBP"},
// or, in the 2020 schema, a bare integer of pence.
type money struct {
	Amount   ingest.Text `json:"amount"`
	Currency ingest.Text `json:"currency"`
}

// readMoney reads raw as money; ok is false when raw is absent or null. A bare number is in
// the currency bare.
func readMoney(raw json.RawMessage, bare string) (minor int64, currency string, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, "", false, nil
	}
	var m money
	if raw[0] == '{' {
		if err := json.Unmarshal(raw, &m); err != nil {
			return 0, "", false, err
		}
	} else {
		if err := json.Unmarshal(raw, &m.Amount); err != nil {
			return 0, "", false, err
		}
		m.Currency = ingest.Text(bare)
	}
	if m.Amount == "" {
		return 0, "", false, nil
	}
	minor, err = minorUnits(m.Amount)
	return minor, strings.ToUpper(strings.TrimSpace(string(m.Currency))), err == nil, err
}

// clip shortens text quoted in an error message.
func clip(s string) string {
	if len(s) > 40 {
		i := 40
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// headerIndex maps the lower-cased, trimmed column names of a header to their places; the first
// of a repeated name wins.
func headerIndex(cols []string) map[string]int {
	idx := map[string]int{}
	for i, c := range cols {
		if i == 0 {
			c = strings.TrimPrefix(c, "\uFEFF")
		}
		c = strings.ToLower(strings.TrimSpace(c))
		if _, ok := idx[c]; !ok {
			idx[c] = i
		}
	}
	return idx
}

// missingColumns lists, as Prolific writes them, the columns of its download a header lacks.
func missingColumns(idx map[string]int) []string {
	var miss []string
	for _, c := range prolificColumns {
		if _, ok := idx[strings.ToLower(c)]; !ok {
			miss = append(miss, c)
		}
	}
	return miss
}
