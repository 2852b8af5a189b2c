package histories

// The files MTurk workers saved before the site closed on 2026-09-30: MTurk Suite's HIT Tracker
// backup, HIT Database Mk II's backup and tab-separated export, and the worker site's own JSON
// and HTML pages. None of them holds a time on task, so every record they give is untimed: its
// day goes into FinishedAt (midnight US Pacific, MTurk's day) and nothing into AcceptedAt or
// DurationSeconds, unless a saved queue page (Options.Queue) gives the task's real accept time.
//
// Bad data is handled in two ways, the same in every MTurk reader:
//   - a file whose JSON is truncated or malformed makes Next return an error (not an Item) that
//     names the record number and byte offset: nothing of such a file should be stored;
//   - inside a readable file, a record that is not a JSON object, or whose day is not a date,
//     is an Item with Err (the stream goes on); a field of the wrong type or a bad value (a
//     reward "abc", a status no platform knows) is passed on as text for ingest.Check to report
//     with the field's name.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // MTurk's days are US Pacific: the zone must load without system zoneinfo

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
)

// detectMTurk names the MTurk format of a file from its first bytes (head, up to 64 KiB), or
// returns "" when the file is not one of MTurk's. The content decides; name is not needed.
func detectMTurk(name string, head []byte) Format {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) == 0:
		return ""
	case head[0] == '{':
		return mturkDetectJSON(head)
	case head[0] == '<':
		if bytes.Contains(head, []byte("data-react-props")) {
			return WorkerHTML
		}
		return ""
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	cols := strings.Split(strings.TrimRight(string(line), "\r"), "\t")
	if len(cols) >= 2 && strings.Trim(cols[0], `" `) == "hitId" && strings.Trim(cols[1], `" `) == "date" {
		return HitDBCSV
	}
	return ""
}

// mturkDetectJSON tells the JSON formats apart by their top-level keys and the keys of the first
// element under them. The head may end anywhere (a backup's "hits" run for megabytes): what was
// seen before the end decides.
func mturkDetectJSON(head []byte) Format {
	keys := mturkShape(head)
	has := func(k string) bool { _, ok := keys[k]; return ok }
	first := func(k string, names ...string) bool {
		for _, n := range names {
			if keys[k][n] {
				return true
			}
		}
		return false
	}
	switch {
	case has("hits") && (len(keys["hits"]) == 0 || first("hits", "hit_id", "requester_id", "state")), has("days"):
		return HitTracker
	case has("HIT"), has("STATS"), has("NOTES"):
		return HitDB
	case has("daily_hit_statistics_overview"):
		return Dashboard
	case first("results", "hit_id", "assignment_id"), has("results") && len(keys["results"]) == 0 && has("total_num_results"):
		// Prolific's participant/submissions also has "results": its elements have no hit_id.
		return StatusDetails
	case first("tasks", "task_id", "accepted_at"), has("tasks") && len(keys["tasks"]) == 0:
		return Queue
	}
	return ""
}

// mturkShape returns the top-level keys of the JSON object at the start of head, each with the
// keys of the first object found under it (the first element of an array, or the first value of
// an object keyed by id); empty when its value holds no object.
func mturkShape(head []byte) map[string]map[string]bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.UseNumber()
	shape := map[string]map[string]bool{}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return shape
	}
	for {
		t, err := dec.Token()
		key, ok := t.(string)
		if err != nil || !ok {
			return shape
		}
		inner := map[string]bool{}
		shape[key] = inner
		if mturkPeek(dec, inner) != nil {
			return shape
		}
	}
}

// mturkPeek reads one value, noting in inner the keys of its first element when that is an object.
func mturkPeek(dec *json.Decoder, inner map[string]bool) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	d, ok := t.(json.Delim)
	if !ok {
		return nil
	}
	first := true
	for dec.More() {
		if d == '{' {
			if _, err := dec.Token(); err != nil { // the id
				return err
			}
		}
		if !first {
			if err := mturkSkipValue(dec); err != nil {
				return err
			}
			continue
		}
		first = false
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'):
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				if s, ok := k.(string); ok {
					inner[s] = true
				}
				if err := mturkSkipValue(dec); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return err
			}
		case json.Delim('['):
			if err := mturkSkipRest(dec, 1); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token()
	return err
}

// mturkSkipValue reads one value without keeping it.
func mturkSkipValue(dec *json.Decoder) error { return mturkSkipRest(dec, 0) }

// mturkSkipRest reads tokens until depth open arrays or objects are closed (0: one whole value).
func mturkSkipRest(dec *json.Decoder, depth int) error {
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
		if depth <= 0 {
			return nil
		}
	}
}

// openMTurk returns the streaming reader of an MTurk format; an error for any other format.
func openMTurk(f Format, r io.Reader, opts Options) (Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	switch f {
	case HitTracker:
		return newMTurkSuite(br, opts), nil
	case HitDB:
		return newMTurkHitDB(br, opts), nil
	case HitDBCSV:
		return newMTurkHitDBCSV(br, opts), nil
	case StatusDetails:
		return newMTurkStatusDetails(br, opts), nil
	case Dashboard:
		return newMTurkDashboard(br, opts), nil
	case Queue:
		return newMTurkQueue(br, opts), nil
	case WorkerHTML:
		return newMTurkHTML(br, opts), nil
	}
	return nil, fmt.Errorf("histories: %q is not an MTurk format", f)
}

// mturkPacific is MTurk's day: the site, its daily statistics and the tools' dates are US Pacific.
var mturkPacific = func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil { // cannot happen: time/tzdata is linked in
		panic(err)
	}
	return loc
}()

// mturkDate parses a day as the files write it (MTurk Suite "20260903", the others
// "2026-09-03") into its first instant in US Pacific time.
func mturkDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"20060102", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, mturkPacific); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// mturkDay converts a day to the YYYY-MM-DD of Day.Date; "" when it is not a date.
func mturkDay(s string) string {
	if t, ok := mturkDate(s); ok {
		return t.Format("2006-01-02")
	}
	return ""
}

// mturkDateInName finds a YYYY-MM-DD in a status-details page's name
// ("status_details-2026-09-03-page1.json", "2026-09-03.json").
var mturkDateInName = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// mturkPageDate is the day of a worker-site page, which the page itself does not hold: from the
// file's base name, else from Options.Date.
func mturkPageDate(f Format, opts Options) (time.Time, error) {
	base := opts.Name
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	for _, s := range mturkDateInName.FindAllString(base, -1) {
		if t, ok := mturkDate(s); ok {
			return t, nil
		}
	}
	if opts.Date != "" {
		if t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(opts.Date), mturkPacific); err == nil {
			return t, nil
		}
		return time.Time{}, fmt.Errorf("%s: --date %q is not a date (YYYY-MM-DD)", f, opts.Date)
	}
	return time.Time{}, fmt.Errorf("%s: the page's date is unknown (the file name %q holds no YYYY-MM-DD): pass --date YYYY-MM-DD", f, base)
}

// mturkCount reads a day's count; nil when unknown (null, NaN, not a whole number).
func mturkCount(t ingest.Text) *int {
	s := strings.TrimSpace(string(t))
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
			return nil
		}
		n = int(f)
	}
	if n < 0 {
		return nil
	}
	return &n
}

// mturkAmountText matches a plain decimal amount.
var mturkAmountText = regexp.MustCompile(`^-?(\d+\.?\d*|\.\d+)$`)

// mturkAmount keeps a day's amount as the file writes it ("12.34", 1.5); "" when it is not an
// amount (null, "NaN").
func mturkAmount(t ingest.Text) string {
	s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(t)), "$"))
	if mturkAmountText.MatchString(s) {
		return s
	}
	return ""
}

// mturkReward reads a reward as the formats write it: a number, the site's object
// {"amount_in_dollars", "currency_code"}, or HIT Database's older {"pay", "bonus"}. The amount is
// the JSON number's own text (never a float: 1.5 stays "1.5"). A null currency is the site's USD;
// any other code passes through for Check to judge.
func mturkReward(raw json.RawMessage) (amount, currency, bonus ingest.Text) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var o struct {
			Amount   ingest.Text `json:"amount_in_dollars"`
			Currency ingest.Text `json:"currency_code"`
			Pay      ingest.Text `json:"pay"`
			Bonus    ingest.Text `json:"bonus"`
		}
		_ = json.Unmarshal(raw, &o) // raw is one valid JSON object and Text takes any value
		return rewardParts(o.Amount, o.Currency, o.Bonus, o.Pay)
	}
	if len(raw) > 0 {
		_ = amount.UnmarshalJSON(raw)
	}
	return rewardParts(amount, "", "", "")
}

// rewardParts are a reward's amount, currency and bonus by the formats' rules: the older
// HIT Database's pay when no amount is given; a null currency is the site's USD.
func rewardParts(amount, currency, bonus, pay ingest.Text) (ingest.Text, ingest.Text, ingest.Text) {
	if amount == "" {
		amount = pay
	}
	if strings.TrimSpace(string(currency)) == "" {
		currency = "USD"
	}
	return amount, currency, bonus
}

// mturkInProgress reports whether a state is MTurk Suite's local mark of a task still being
// worked on: it has no outcome yet and is not a task record.
func mturkInProgress(state ingest.Text) bool {
	switch strings.ToLower(strings.TrimSpace(string(state))) {
	case "assigned", "accepted":
		return true
	}
	return false
}

// mturkTask is one task as any MTurk format states it, ready to become an ingest.Input.
type mturkTask struct {
	hitID, hitSetID, assignmentID ingest.Text
	requesterID, requesterName    ingest.Text
	title, status                 ingest.Text
	reward, currency, bonus       ingest.Text
	day                           time.Time // the record's day, midnight US Pacific
}

// mturkSkipKind is one reason a reader leaves something out, counted in Skipped.
type mturkSkipKind struct{ one, many, why string }

var (
	mturkSkipInProgress = mturkSkipKind{"task", "tasks", "still in progress (Assigned/Accepted) skipped"}
	mturkSkipPagePart   = mturkSkipKind{"page part", "page parts", "not understood"}
	mturkSkipBadAccept  = mturkSkipKind{"queue task", "queue tasks", "without a readable accepted_at skipped"}
)

// mturkSide holds what an MTurk reader gives beside its task records, and the accept times of
// Options.Queue.
type mturkSide struct {
	format  Format
	days    []Day
	accepts []Accept
	skips   []mturkSkipKind
	counts  []int
	queue   map[string]string // "a:"+assignment id or "h:"+HIT id → accepted at
}

func newMTurkSide(f Format, opts Options) mturkSide {
	s := mturkSide{format: f}
	for _, a := range opts.Queue {
		if a.AcceptedAt == "" {
			continue
		}
		if s.queue == nil {
			s.queue = map[string]string{}
		}
		if a.AssignmentID != "" {
			s.queue["a:"+a.AssignmentID] = a.AcceptedAt
		}
		if a.HitID != "" {
			s.queue["h:"+a.HitID] = a.AcceptedAt
		}
	}
	return s
}

func (s *mturkSide) Format() Format    { return s.format }
func (s *mturkSide) Days() []Day       { return s.days }
func (s *mturkSide) Studies() []Study  { return nil }
func (s *mturkSide) Accepts() []Accept { return s.accepts }

// Skipped counts the tasks still in progress, the page parts not understood and the queue tasks
// without an accept time, one line per reason.
func (s *mturkSide) Skipped() (int, []string) {
	total := 0
	var lines []string
	for i, k := range s.skips {
		n := s.counts[i]
		total += n
		noun := k.many
		if n == 1 {
			noun = k.one
		}
		lines = append(lines, fmt.Sprintf("%d %s %s", n, noun, k.why))
	}
	return total, lines
}

func (s *mturkSide) skip(k mturkSkipKind) {
	for i := range s.skips {
		if s.skips[i] == k {
			s.counts[i]++
			return
		}
	}
	s.skips = append(s.skips, k)
	s.counts = append(s.counts, 1)
}

// input makes the record of a task. A task whose accept time a saved queue page gave keeps that
// time and no day: with both, Check would take midnight-to-accept as a time on task.
func (s *mturkSide) input(t *mturkTask) ingest.Input {
	in := ingest.Input{
		Platform:      ingest.Text(platform.MTurk),
		HitID:         t.hitID,
		HitSetID:      t.hitSetID,
		AssignmentID:  t.assignmentID,
		RequesterID:   t.requesterID,
		RequesterName: t.requesterName,
		Title:         t.title,
		Reward:        t.reward,
		Bonus:         t.bonus,
		Currency:      t.currency,
		Status:        t.status,
	}
	if at := s.acceptedAt(t); at != "" {
		in.AcceptedAt = ingest.Text(at)
	} else {
		in.FinishedAt = ingest.Text(t.day.Format(time.RFC3339))
	}
	return in
}

func (s *mturkSide) acceptedAt(t *mturkTask) string {
	if s.queue == nil {
		return ""
	}
	if a := strings.TrimSpace(string(t.assignmentID)); a != "" {
		if at, ok := s.queue["a:"+a]; ok {
			return at
		}
	}
	if h := strings.TrimSpace(string(t.hitID)); h != "" {
		return s.queue["h:"+h] // a worker takes one assignment of a HIT
	}
	return ""
}

// mturkSiteDay is one day of the worker dashboard's daily_hit_statistics_overview.
type mturkSiteDay struct {
	Date         ingest.Text `json:"date"`
	Submitted    ingest.Text `json:"submitted"`
	Approved     ingest.Text `json:"approved"`
	Rejected     ingest.Text `json:"rejected"`
	Pending      ingest.Text `json:"pending"`
	Earnings     ingest.Text `json:"earnings"`
	BonusRewards ingest.Text `json:"bonus_rewards"`
}

// addSiteDay keeps a dashboard day; one without a readable date is dropped.
func (s *mturkSide) addSiteDay(d *mturkSiteDay) {
	date := mturkDay(string(d.Date))
	if len(d.Date) >= 10 && date == "" { // "2026-09-03T00:00:00" and the like
		date = mturkDay(string(d.Date[:10]))
	}
	if date == "" {
		return
	}
	s.days = append(s.days, Day{
		Date: date, Submitted: mturkCount(d.Submitted), Approved: mturkCount(d.Approved),
		Rejected: mturkCount(d.Rejected), Pending: mturkCount(d.Pending),
		Earnings: mturkAmount(d.Earnings), Bonus: mturkAmount(d.BonusRewards),
	})
}

// mturkQueueTask is one task of the worker site's queue (/tasks). Its task_id is the HIT's id
// (the site's task URLs are /projects/<hit set id>/tasks/<HIT id>).
type mturkQueueTask struct {
	TaskID       ingest.Text     `json:"task_id"`
	AssignmentID ingest.Text     `json:"assignment_id"`
	AcceptedAt   ingest.Text     `json:"accepted_at"`
	Project      json.RawMessage `json:"project"`
}

// addAccept keeps a queue task's accept time; one without a readable accepted_at is counted.
func (s *mturkSide) addAccept(t *mturkQueueTask) {
	at := strings.TrimSpace(string(t.AcceptedAt))
	if _, err := time.Parse(time.RFC3339, at); err != nil {
		s.skip(mturkSkipBadAccept)
		return
	}
	var p struct {
		HitSetID ingest.Text `json:"hit_set_id"`
	}
	_ = json.Unmarshal(t.Project, &p) // a project that is not an object gives no HIT group
	s.accepts = append(s.accepts, Accept{
		AssignmentID: strings.TrimSpace(string(t.AssignmentID)),
		HitID:        strings.TrimSpace(string(t.TaskID)),
		HitSetID:     strings.TrimSpace(string(p.HitSetID)),
		AcceptedAt:   at,
	})
}

// mturkWalker walks one top-level JSON object as a stream: the elements of one key (stream)
// are handed out one at a time, those of other keys (collect) are read where they stand, the
// rest is skipped. Each key's value may be an array or an object keyed by id (MTurk Suite walks
// both with Object.keys); keys may come in any order.
type mturkWalker struct {
	dec     *json.Decoder
	format  Format
	stream  string
	collect map[string]func(n int, id string) error // reads one element with dec
	state   int
	key     string // the top-level key being read
	byID    bool   // its value is an object keyed by id
	n       int    // its elements read so far
	err     error  // sticky: the rest of the file cannot be read

	// Fast mode (mturk_fast.go): the stream's elements cut from the bytes.
	fast     bool          // cut the stream key's elements; read them from raw
	fastDone bool          // the stream was read fast; the Decoder reads the rest
	src      io.Reader     // the file
	br       *bufio.Reader // the bytes after the Decoder's last token, in fast mode
	base     int64         // the offset in the file br starts at
	read     int64         // bytes of br consumed
	first    bool          // no element of the stream cut yet
	raw      []byte        // the element cut last
}

const (
	mturkWalkStart = iota
	mturkWalkKeys
	mturkWalkStream
	mturkWalkDone
)

func newMTurkWalker(r io.Reader, f Format, stream string, collect map[string]func(int, string) error) *mturkWalker {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &mturkWalker{dec: dec, format: f, stream: stream, collect: collect, src: r}
}

// next moves to the next element of the stream key and returns its 1-based number and, for an
// object keyed by id, its id; the caller then reads the element (mturkDecode). io.EOF at the
// end of the document; any other error means the rest of the file cannot be read.
func (w *mturkWalker) next() (int, string, error) {
	if w.err != nil {
		return 0, "", w.err
	}
	for {
		switch w.state {
		case mturkWalkStart:
			t, err := w.token()
			if err != nil {
				return 0, "", err
			}
			if t != json.Delim('{') {
				return 0, "", w.fail(errors.New("the file is not a JSON object"))
			}
			w.state = mturkWalkKeys
		case mturkWalkKeys:
			t, err := w.token()
			if err != nil {
				return 0, "", err
			}
			if t == json.Delim('}') {
				if _, err := w.dec.Token(); err != io.EOF {
					return 0, "", w.fail(errors.New("data after the end of the JSON object"))
				}
				w.state = mturkWalkDone
				continue
			}
			w.key, _ = t.(string)
			w.n = 0
			fn := w.collect[w.key]
			streamed := w.stream != "" && w.key == w.stream
			if !streamed && fn == nil {
				if err := mturkSkipValue(w.dec); err != nil {
					return 0, "", w.fail(err)
				}
				continue
			}
			if open, err := w.open(); err != nil || !open {
				if err != nil {
					return 0, "", err
				}
				continue
			}
			if streamed {
				if w.fast && w.fastDone {
					// Its reader reads the stream's elements only as the fast mode cuts them.
					return 0, "", w.fail(fmt.Errorf("%q appears twice", w.key))
				}
				w.state = mturkWalkStream
				if w.fast {
					w.enterFast()
				}
				continue
			}
			for w.dec.More() {
				n, id, err := w.element()
				if err != nil {
					return 0, "", err
				}
				if err := fn(n, id); err != nil {
					return 0, "", err
				}
			}
			if _, err := w.token(); err != nil { // the closing ] or }
				return 0, "", err
			}
		case mturkWalkStream:
			if w.dec.More() {
				return w.element()
			}
			if _, err := w.token(); err != nil {
				return 0, "", err
			}
			w.state = mturkWalkKeys
		case mturkWalkFast:
			n, id, ok, err := w.fastNext()
			if err != nil {
				return 0, "", err
			}
			if ok {
				return n, id, nil
			}
		case mturkWalkDone:
			return 0, "", io.EOF
		}
	}
}

// open enters the value of the current key: true for an array or object of elements, false for
// null (no elements). Anything else cannot be a list of records.
func (w *mturkWalker) open() (bool, error) {
	t, err := w.token()
	if err != nil {
		return false, err
	}
	switch t {
	case json.Delim('['), json.Delim('{'):
		w.byID = t == json.Delim('{')
		return true, nil
	case nil:
		return false, nil
	}
	return false, w.fail(fmt.Errorf("%q is neither an array nor an object", w.key))
}

// element counts the next element and reads its id when the value is keyed by id.
func (w *mturkWalker) element() (int, string, error) {
	w.n++
	if !w.byID {
		return w.n, "", nil
	}
	t, err := w.token()
	if err != nil {
		return 0, "", err
	}
	id, _ := t.(string)
	return w.n, id, nil
}

// token reads a token inside the document, where the stream must not end.
func (w *mturkWalker) token() (json.Token, error) {
	t, err := w.dec.Token()
	if err != nil {
		return nil, w.fail(err)
	}
	return t, nil
}

// fail makes err the walker's last word, naming where the file broke.
func (w *mturkWalker) fail(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF // the document had not ended
	}
	where := "at the top level"
	if w.key != "" {
		where = fmt.Sprintf("in %q", w.key)
		if w.n > 0 {
			where = fmt.Sprintf("at record %d of %q", w.n, w.key)
		}
	}
	w.err = fmt.Errorf("%s: the file cannot be read %s (byte %d): %w", w.format, where, w.offset(), err)
	return w.err
}

// offset is how far into the file the walker has read: the Decoder's offset, or in fast mode
// (and after it, when a new Decoder reads on from where the stream ended) counted from there.
func (w *mturkWalker) offset() int64 {
	switch {
	case w.state == mturkWalkFast:
		return w.base + w.read
	case w.fastDone:
		return w.base + w.dec.InputOffset() // base is where the "{" put in front of the rest stands
	}
	return w.dec.InputOffset()
}

// recordErr is the error of one unreadable element: the stream goes on.
func (w *mturkWalker) recordErr(format string, a ...any) error {
	return fmt.Errorf("%s: record %d of %q: %s", w.format, w.n, w.key, fmt.Sprintf(format, a...))
}

// mturkDecode reads the element the walker stands on. bad is set when the element is not a
// JSON object (the stream goes on); err when the file cannot be read further.
func mturkDecode[T any](w *mturkWalker) (v *T, bad, err error) {
	err = w.dec.Decode(&v)
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return nil, w.recordErr("is a JSON %s, not an object", te.Value), nil
	case err != nil:
		return nil, nil, w.fail(err)
	case v == nil:
		return nil, w.recordErr("is null, not an object"), nil
	}
	return v, nil, nil
}
