// Package reviews stores workers' Turkopticon-style reviews of requesters: optional ratings of pay,
// fairness, communication and promptness on 1-5, a text and two flags (terms-of-service violation,
// broken task), one per reporter per requester. A new review by the same reporter replaces the old
// one; deleting writes a tombstone, so the newest row wins. Every version is also kept in
// review_history (fed by a materialized view), so an edit never loses what was said before.
package reviews

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// MaxText is the longest review text accepted, in Unicode characters (not bytes).
const MaxText = 4000

// Input is a review as a worker sends it. A nil rating is no rating (in JSON: the field left
// out or null); a rating given must be 1-5. Stored, a missing rating is 0.
type Input struct {
	RequesterID   string `json:"requester_id"`
	Pay           *int   `json:"pay"`
	Fairness      *int   `json:"fairness"`
	Communication *int   `json:"communication"`
	Promptness    *int   `json:"promptness"`
	Text          string `json:"text"`
	TOSViolation  bool   `json:"tos_violation"`       // the requester breaks MTurk's terms of service (e.g. asks for personal data)
	BrokenTask    bool   `json:"broken_task"`         // the task could not be completed as posted
	WorkerID      string `json:"worker_id,omitempty"` // optional: a relaying userscript names the worker; hashed, never stored
}

// Rating returns a pointer to v, for filling Input's optional ratings.
func Rating(v int) *int { return &v }

// Problem names one bad field.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Check lists what is wrong with a review; none means it can be stored.
func Check(in Input) []Problem {
	var ps []Problem
	if !records.IsPersonID(in.RequesterID) {
		ps = append(ps, Problem{"requester_id", "must be " + records.PersonIDShape})
	}
	rated := false
	for _, f := range []struct {
		name string
		v    *int
	}{{"pay", in.Pay}, {"fairness", in.Fairness}, {"communication", in.Communication}, {"promptness", in.Promptness}} {
		if f.v == nil {
			continue
		}
		rated = true
		if *f.v < 1 || *f.v > 5 {
			ps = append(ps, Problem{f.name, "must be a whole number from 1 to 5, or left out for no rating"})
		}
	}
	if !utf8.ValidString(in.Text) {
		ps = append(ps, Problem{"text", "must be UTF-8"})
	} else if n := utf8.RuneCountInString(in.Text); n > MaxText {
		ps = append(ps, Problem{"text", fmt.Sprintf("is %d characters; at most %d (Unicode characters, not bytes)", n, MaxText)})
	}
	if !rated && strings.TrimSpace(in.Text) == "" && !in.TOSViolation && !in.BrokenTask {
		ps = append(ps, Problem{"review", "is empty: give at least one rating, a text or a flag"})
	}
	return ps
}

// ErrNotFound reports a delete of a review that does not exist.
var ErrNotFound = errors.New("reviews: no such review")

// Put stores reporter's review of a requester, replacing their earlier one; the first
// review's creation time is kept.
func Put(ctx context.Context, s *store.Store, reporter string, in Input, now time.Time) error {
	created := now
	var first time.Time
	err := s.QueryRow(ctx, `SELECT min(created_at) FROM reviews WHERE requester_id = {rid:String} AND reporter = {rep:String} HAVING count() > 0`,
		store.Args{"rid": in.RequesterID, "rep": reporter}, &first)
	if err == nil {
		created = first
	} else if !errors.Is(err, store.ErrNoRows) {
		return fmt.Errorf("reviews: %w", err)
	}
	return write(ctx, s, in.RequesterID, reporter, in, created, now, 0)
}

// Delete withdraws reporter's review of a requester.
func Delete(ctx context.Context, s *store.Store, reporter, requesterID string, now time.Time) error {
	var deleted uint8
	var created time.Time
	err := s.QueryRow(ctx, `SELECT argMax(deleted, updated_at), min(created_at) FROM reviews
		WHERE requester_id = {rid:String} AND reporter = {rep:String} HAVING count() > 0`,
		store.Args{"rid": requesterID, "rep": reporter}, &deleted, &created)
	if errors.Is(err, store.ErrNoRows) || (err == nil && deleted == 1) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	return write(ctx, s, requesterID, reporter, Input{}, created, now, 1)
}

// stored is a rating as the table keeps it: 0 for no rating.
func stored(v *int) uint8 {
	if v == nil {
		return 0
	}
	return uint8(*v)
}

func write(ctx context.Context, s *store.Store, rid, reporter string, in Input, created, now time.Time, deleted uint8) error {
	err := s.Insert(ctx, "reviews", []string{"requester_id", "reporter", "pay", "fairness", "communication", "promptness",
		"text", "tos_violation", "broken_task", "created_at", "updated_at", "deleted"}, 1, func(int) []any {
		return []any{rid, reporter, stored(in.Pay), stored(in.Fairness), stored(in.Communication), stored(in.Promptness),
			strings.TrimSpace(in.Text), in.TOSViolation, in.BrokenTask, created.UTC(), now.UTC(), deleted}
	})
	if err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	return nil
}
