package histories

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
)

// prolificJSON reads a saved participant/submissions or participant/studies page one element of
// its `results` at a time, so that a long history is never held whole.
type prolificJSON struct {
	prolificBase
	dec *json.Decoder
	n   int   // the number of the element last read from `results`, from 1
	err error // io.EOF at the end, or why the rest cannot be read
}

func newProlificJSON(f Format, r io.Reader, opts Options) (Reader, error) {
	p := &prolificJSON{prolificBase: prolificBase{format: f, attr: newAttribution(opts)}, dec: json.NewDecoder(skipBOM(r))}
	if err := p.seekResults(); err != nil {
		return nil, err
	}
	return p, nil
}

// seekResults reads up to the first element of the top-level `results` list, passing over
// whatever comes before it (`_links`, counts).
func (p *prolificJSON) seekResults() error {
	if t, err := p.dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New(`not a JSON object with a "results" list`)
	}
	for p.dec.More() {
		t, err := p.dec.Token()
		if err != nil {
			return err
		}
		if t == "results" {
			if t, err := p.dec.Token(); err != nil || t != json.Delim('[') {
				return errors.New(`"results" is not a list`)
			}
			return nil
		}
		var skip json.RawMessage
		if err := p.dec.Decode(&skip); err != nil {
			return err
		}
	}
	return errors.New(`no "results" list`)
}

// next returns the next element of `results` undecoded.
func (p *prolificJSON) next() (json.RawMessage, error) {
	if p.err != nil {
		return nil, p.err
	}
	if !p.dec.More() {
		if _, err := p.dec.Token(); err != nil { // the closing bracket, or why it is not there
			return nil, p.fail(p.n+1, err)
		}
		p.err = io.EOF
		return nil, io.EOF
	}
	p.n++
	var raw json.RawMessage
	if err := p.dec.Decode(&raw); err != nil {
		return nil, p.fail(p.n, err)
	}
	return raw, nil
}

// fail stops the reader: the file is cut short or is not JSON from record n on.
func (p *prolificJSON) fail(n int, err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF // a file that ends inside its list is truncated, not finished
	}
	p.err = fmt.Errorf("%s: record %d: %w", p.format, n, err)
	return p.err
}

// Next returns the next finished, attributed submission, or one that could not be read. A
// studies file holds no task records: its listings are read whole and Next returns io.EOF.
func (p *prolificJSON) Next() (*ingest.Item, error) {
	for {
		raw, err := p.next()
		if err != nil {
			return nil, err
		}
		if p.format == ProlificStudy {
			p.study(raw)
		} else if item := p.submission(raw); item != nil {
			return item, nil
		}
	}
}

// submissionJSON is one element of participant/submissions.
type submissionJSON struct {
	ID          ingest.Text     `json:"id"`
	Status      ingest.Text     `json:"status"`
	StudyID     ingest.Text     `json:"study_id"`
	Study       json.RawMessage `json:"study"` // {id, name, researcher?}
	StartedAt   ingest.Text     `json:"started_at"`
	CompletedAt ingest.Text     `json:"completed_at"`
	ReturnedAt  ingest.Text     `json:"returned_at"`
	TimeTaken   ingest.Text     `json:"time_taken"` // seconds
	Reward      json.RawMessage `json:"submission_reward"`
	Bonuses     json.RawMessage `json:"bonus_payments"`
}

// ref is a study or researcher as a submission names it: an object {id, name} or only the id.
type ref struct {
	ID         ingest.Text     `json:"id"`
	Name       ingest.Text     `json:"name"`
	Researcher json.RawMessage `json:"researcher"`
}

func readRef(raw json.RawMessage) (ref, error) {
	var r ref
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		return r, json.Unmarshal(raw, &r)
	}
	if len(raw) > 0 {
		return r, json.Unmarshal(raw, &r.ID)
	}
	return r, nil
}

func (p *prolificJSON) submission(raw json.RawMessage) *ingest.Item {
	item := &ingest.Item{Line: p.n, Input: newInput()}
	var s submissionJSON
	if err := unmarshalObject(raw, &s); err != nil {
		item.Err = fmt.Errorf("record %d: %v", p.n, err)
		return item
	}
	if p.skipStatus(string(s.Status)) {
		return nil
	}
	in := &item.Input
	in.AssignmentID, in.Status, in.AcceptedAt, in.FinishedAt = s.ID, s.Status, s.StartedAt, s.CompletedAt
	if in.FinishedAt == "" {
		in.FinishedAt = s.ReturnedAt // a returned study's end is when it was returned
	}
	if t := strings.TrimSpace(string(s.TimeTaken)); t != "" {
		if f, err := strconv.ParseFloat(t, 64); err != nil || f > 0 {
			in.DurationSeconds = s.TimeTaken // Check reports one that is not a number
		}
	}

	var probs []string
	study, err := readRef(s.Study)
	if err != nil {
		probs = append(probs, fmt.Sprintf("study: %v", err))
	}
	researcher, err := readRef(study.Researcher)
	if err != nil {
		probs = append(probs, fmt.Sprintf("study.researcher: %v", err))
	}
	in.HitSetID, in.Title = study.ID, study.Name
	if in.HitSetID == "" {
		in.HitSetID = s.StudyID
	}
	in.RequesterID, in.RequesterName = researcher.ID, researcher.Name
	if known, ok := p.attr.byID[string(in.HitSetID)]; ok {
		if in.RequesterID == "" {
			in.RequesterID, in.RequesterName = ingest.Text(known.ResearcherID), ingest.Text(known.ResearcherName)
		}
		if in.Title == "" {
			in.Title = ingest.Text(known.Name)
		}
	}

	reward, cur, hasReward, err := readMoney(s.Reward, "")
	if err != nil {
		probs = append(probs, fmt.Sprintf("submission_reward: %v", err))
	} else if hasReward {
		in.Reward, in.Currency = ingest.Text(major(reward)), ingest.Text(cur)
	}
	bonus, bcur, hasBonus, err := sumBonuses(s.Bonuses)
	switch {
	case err != nil:
		probs = append(probs, fmt.Sprintf("bonus_payments: %v", err))
	case hasBonus && cur != "" && bcur != "" && bcur != cur:
		probs = append(probs, fmt.Sprintf("bonus_payments: in %s but the reward is in %s", bcur, cur))
	case hasBonus:
		in.Bonus = ingest.Text(major(bonus))
		if in.Currency == "" {
			in.Currency = ingest.Text(bcur)
		}
	}
	if len(probs) > 0 {
		item.Err = fmt.Errorf("record %d: %s", p.n, strings.Join(probs, "; "))
		return item
	}
	if strings.TrimSpace(string(in.RequesterID)) == "" {
		p.unattributed++
		in.Unattributed = true // kept for the participant's own figures only
	}
	return item
}

// sumBonuses adds up a submission's bonus payments exactly, in minor units. Each payment is
// {amount, currency}; all must be in one currency.
func sumBonuses(raw json.RawMessage) (sum int64, currency string, any bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, "", false, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return 0, "", false, errors.New("is not a list")
	}
	for i, el := range list {
		n, c, ok, err := readMoney(el, "")
		if err != nil {
			return 0, "", false, fmt.Errorf("payment %d: %v", i+1, err)
		}
		if !ok {
			continue
		}
		if c != "" && currency != "" && c != currency {
			return 0, "", false, fmt.Errorf("payments in both %s and %s", currency, c)
		}
		if c != "" {
			currency = c
		}
		if sum += n; sum > maxMinor || sum < -maxMinor {
			return 0, "", false, errors.New("the total is out of range")
		}
	}
	return sum, currency, true, nil
}

// studyJSON is one element of participant/studies, in the 2026 schema (money objects in minor
// units) or the 2020 one (integer pence).
type studyJSON struct {
	ID          ingest.Text     `json:"id"`
	Name        ingest.Text     `json:"name"`
	StudyReward json.RawMessage `json:"study_reward"`
	Reward      json.RawMessage `json:"reward"` // 2020
	Hourly      json.RawMessage `json:"study_average_reward_per_hour"`
	HourlyOld   json.RawMessage `json:"average_reward_per_hour"` // 2020
	Researcher  json.RawMessage `json:"researcher"`
	Estimated   ingest.Text     `json:"estimated_completion_time"` // minutes
	MaxAllowed  ingest.Text     `json:"maximum_allowed_time"`      // minutes
	Average     ingest.Text     `json:"average_completion_time_in_seconds"`
	Places      ingest.Text     `json:"total_available_places"`
	PlacesTaken ingest.Text     `json:"places_taken"`
	PublishedAt ingest.Text     `json:"published_at"`
}

// study keeps one listing. A listing without an id is useless for attribution, and one with
// neither researcher nor reward is something else (a submission): both are counted instead. A
// reward that cannot be read leaves the listing's Reward unknown.
func (p *prolificJSON) study(raw json.RawMessage) {
	var s studyJSON
	err := unmarshalObject(raw, &s)
	var researcher ref
	if err == nil {
		researcher, err = readRef(s.Researcher)
	}
	switch {
	case err != nil:
	case str(s.ID) == "":
		err = errors.New("no id")
	case researcher.ID == "" && firstOf(s.StudyReward, s.Reward) == nil:
		err = errors.New("not a study listing (no researcher and no reward)")
	}
	if err != nil {
		if p.unreadable++; p.unreadable == 1 {
			p.firstUnreadable = fmt.Sprintf("record %d: %v", p.n, err)
		}
		return
	}
	st := Study{ID: str(s.ID), Name: str(s.Name), ResearcherID: str(researcher.ID), ResearcherName: str(researcher.Name),
		EstimatedMinutes: whole(s.Estimated), MaxMinutes: whole(s.MaxAllowed), AverageSeconds: whole(s.Average),
		Places: whole(s.Places), PlacesTaken: whole(s.PlacesTaken)}
	if n, c, ok, err := readMoney(firstOf(s.StudyReward, s.Reward), "GBP"); ok && err == nil {
		st.Reward, st.Currency = major(n), c
	}
	if n, c, ok, err := readMoney(firstOf(s.Hourly, s.HourlyOld), "GBP"); ok && err == nil && (st.Currency == "" || c == st.Currency) {
		st.HourlyRate, st.Currency = major(n), c
	}
	if t, err := ingest.ParseTime(string(s.PublishedAt)); err == nil {
		st.PublishedAt = t.Format(time.RFC3339Nano)
	}
	p.studies = append(p.studies, st)
}

// unmarshalObject decodes an element of `results`, which must be an object.
func unmarshalObject(raw json.RawMessage, v any) error {
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' {
		return errors.New("is not an object")
	}
	return json.Unmarshal(raw, v)
}

// firstOf returns the first of raws that holds a value.
func firstOf(raws ...json.RawMessage) json.RawMessage {
	for _, r := range raws {
		if r = bytes.TrimSpace(r); len(r) > 0 && string(r) != "null" {
			return r
		}
	}
	return nil
}

// str is a listing's text field; an object or list where text belongs is nothing.
func str(t ingest.Text) string {
	if t == "\x00" { // ingest.Text's mark of a value that was not a string or number
		return ""
	}
	return strings.TrimSpace(string(t))
}

// whole reads a count of minutes, seconds or places; 0 when unknown.
func whole(t ingest.Text) int {
	f, err := strconv.ParseFloat(strings.TrimSpace(string(t)), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > math.MaxInt32 {
		return 0
	}
	return int(math.Round(f))
}
