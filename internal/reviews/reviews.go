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

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// MaxText is the longest review text accepted, in Unicode characters (not bytes).
const MaxText = 4000

// Input is a review as a worker sends it. A nil rating is no rating (in JSON: the field left
// out or null); a rating given must be 1-5. Stored, a missing rating is 0. The requester is
// named by its platform's own id and the platform ("" is MTurk); the review is stored under
// the requester's key (Key).
type Input struct {
	Platform      string `json:"platform,omitempty"` // "mturk" (default) or "prolific"
	RequesterID   string `json:"requester_id"`
	Pay           *int   `json:"pay"`
	Fairness      *int   `json:"fairness"`
	Communication *int   `json:"communication"`
	Promptness    *int   `json:"promptness"`
	Text          string `json:"text"`
	TOSViolation  bool   `json:"tos_violation"`       // the requester breaks its platform's terms of service (e.g. asks for personal data)
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

// Key returns the key the review is stored under: its requester's on its platform
// (platform.Key), or "" when the platform is unknown.
func (in Input) Key() string {
	p, err := platform.Parse(in.Platform)
	if err != nil {
		return ""
	}
	return platform.Key(p.ID, in.RequesterID)
}

// Check lists what is wrong with a review; none means it can be stored.
func Check(in Input) []Problem {
	var ps []Problem
	if p, err := platform.Parse(in.Platform); err != nil {
		ps = append(ps, Problem{"platform", "is not a platform hitwage knows: one of " + strings.Join(platform.IDs(), ", ") + " (default " + string(platform.Default) + ")"})
	} else if !p.ValidRequester(in.RequesterID) {
		ps = append(ps, Problem{"requester_id", "must be a " + p.Short + " " + p.Requester + " id: " + p.RequesterShape})
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

// Errors of Put and Delete.
var (
	ErrNotFound   = errors.New("reviews: no such review")
	ErrOtherToken = errors.New("reviews: this review was written through another token")
)

// current is the state of reporter's review of a requester: whether there is one, whether
// its latest version is a withdrawal, when it was first written and through which token.
type current struct {
	exists, deleted bool
	created         time.Time
	via             string
}

func currentOf(ctx context.Context, s *store.Store, reporter, requesterKey string) (current, error) {
	var c current
	var deleted uint8
	err := s.QueryRow(ctx, `SELECT argMax(deleted, updated_at), min(created_at), argMax(via, updated_at) FROM reviews
		WHERE requester_id = {rid:String} AND reporter = {rep:String} HAVING count() > 0`,
		store.Args{"rid": requesterKey, "rep": reporter}, &deleted, &c.created, &c.via)
	if errors.Is(err, store.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("reviews: %w", err)
	}
	c.exists, c.deleted = true, deleted == 1
	return c, nil
}

// ownedElsewhere reports whether a live review was written through another token than via
// (reviews written before tokens were recorded have none and belong to no token).
func (c current) ownedElsewhere(via string) bool {
	return c.exists && !c.deleted && c.via != "" && c.via != via
}

// Put stores reporter's review of a requester (under in.Key()), written through ingest token via,
// replacing their earlier one; the first review's creation time is kept. A live review written
// through another token is not replaced (ErrOtherToken): a script naming a worker cannot
// overwrite what that worker wrote elsewhere.
func Put(ctx context.Context, s *store.Store, reporter, via string, in Input, now time.Time) error {
	key := in.Key()
	if key == "" {
		return fmt.Errorf("reviews: unknown platform %q", in.Platform)
	}
	c, err := currentOf(ctx, s, reporter, key)
	if err != nil {
		return err
	}
	if c.ownedElsewhere(via) {
		return ErrOtherToken
	}
	created := now
	if c.exists {
		created = c.created
	}
	return write(ctx, s, key, reporter, via, in, created, now, 0)
}

// Delete withdraws reporter's review of a requester, by the requester's stored key
// (platform.Key), through ingest token via: only a review written through via (or before tokens
// were recorded) can be withdrawn with it.
func Delete(ctx context.Context, s *store.Store, reporter, via, requesterKey string, now time.Time) error {
	c, err := currentOf(ctx, s, reporter, requesterKey)
	if err != nil {
		return err
	}
	if !c.exists || c.deleted {
		return ErrNotFound
	}
	if c.ownedElsewhere(via) {
		return ErrOtherToken
	}
	return write(ctx, s, requesterKey, reporter, via, Input{}, c.created, now, 1)
}

// stored is a rating as the table keeps it: 0 for no rating.
func stored(v *int) uint8 {
	if v == nil {
		return 0
	}
	return uint8(*v)
}

func write(ctx context.Context, s *store.Store, rid, reporter, via string, in Input, created, now time.Time, deleted uint8) error {
	err := s.Insert(ctx, "reviews", []string{"requester_id", "reporter", "pay", "fairness", "communication", "promptness",
		"text", "tos_violation", "broken_task", "created_at", "updated_at", "deleted", "via"}, 1, func(int) []any {
		return []any{rid, reporter, stored(in.Pay), stored(in.Fairness), stored(in.Communication), stored(in.Promptness),
			strings.TrimSpace(in.Text), in.TOSViolation, in.BrokenTask, created.UTC(), now.UTC(), deleted, via}
	})
	if err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	return nil
}
