// Package reviews stores workers' Turkopticon-style reviews of requesters: pay, fairness,
// communication and promptness on 1-5 with a text, one per reporter per requester. A new review
// by the same reporter replaces the old one; deleting writes a tombstone, so the newest row wins.
package reviews

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/store"
)

// MaxText is the longest review text accepted, in characters.
const MaxText = 5000

// Input is a review as a worker sends it.
type Input struct {
	RequesterID   string `json:"requester_id"`
	Pay           int    `json:"pay"`
	Fairness      int    `json:"fairness"`
	Communication int    `json:"communication"`
	Promptness    int    `json:"promptness"`
	Text          string `json:"text"`
	WorkerID      string `json:"worker_id,omitempty"` // optional: a relaying userscript names the worker; hashed, never stored
}

// Problem names one bad field.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

var requesterIDRe = regexp.MustCompile(`^A[A-Z0-9]{12,20}$`)

// Check lists what is wrong with a review; none means it can be stored.
func Check(in Input) []Problem {
	var ps []Problem
	if !requesterIDRe.MatchString(in.RequesterID) {
		ps = append(ps, Problem{"requester_id", "must be A followed by 12-20 upper-case letters and digits"})
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"pay", in.Pay}, {"fairness", in.Fairness}, {"communication", in.Communication}, {"promptness", in.Promptness}} {
		if f.v < 1 || f.v > 5 {
			ps = append(ps, Problem{f.name, "must be a whole number from 1 to 5"})
		}
	}
	if !utf8.ValidString(in.Text) {
		ps = append(ps, Problem{"text", "must be UTF-8"})
	} else if n := utf8.RuneCountInString(in.Text); n > MaxText {
		ps = append(ps, Problem{"text", fmt.Sprintf("is %d characters; at most %d", n, MaxText)})
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

func write(ctx context.Context, s *store.Store, rid, reporter string, in Input, created, now time.Time, deleted uint8) error {
	err := s.Insert(ctx, "reviews", []string{"requester_id", "reporter", "pay", "fairness", "communication", "promptness",
		"text", "created_at", "updated_at", "deleted"}, 1, func(int) []any {
		return []any{rid, reporter, uint8(in.Pay), uint8(in.Fairness), uint8(in.Communication), uint8(in.Promptness),
			strings.TrimSpace(in.Text), created.UTC(), now.UTC(), deleted}
	})
	if err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	return nil
}
