// Package reviews stores workers' Turkopticon-style reviews of requesters: optional ratings of pay,
// fairness, communication and promptness on 1-5, a text and two flags (terms-of-service violation,
// broken task), one per author per requester. An author is the token a review is written through
// (a relay token the operator declared: the token and the worker it names). A new review by the same
// author replaces the old one; deleting writes a tombstone, so the newest row wins. Every version is
// also kept in review_history (fed by a materialized view), so an edit never loses what was said
// before. Which reviews count, and which readers have hidden, is the live_reviews view's rule
// (migration 0012), described in trust.go.
package reviews

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/platform"
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
	WorkerID      string `json:"worker_id,omitempty"` // optional: a relaying userscript names the worker; stored only as a private pseudonym
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
