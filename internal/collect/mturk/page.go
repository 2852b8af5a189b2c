// Package mturk collects HIT group listings from the MTurk worker site's JSON list pages
// (the HIT group list and each requester's projects list) and stores one listing snapshot
// per HIT group per crawl.
package mturk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/collect"
)

// Page is one JSON list page, with the site's field names.
type Page struct {
	NumResults      int     `json:"num_results"`       // groups on this page
	TotalNumResults int     `json:"total_num_results"` // groups in the whole list
	PageNumber      int     `json:"page_number"`
	Results         []Group `json:"results"`
}

// Group is one HIT group as the list page sends it.
type Group struct {
	HitSetID                    string        `json:"hit_set_id"`
	RequesterID                 string        `json:"requester_id"`
	RequesterName               string        `json:"requester_name"`
	Title                       string        `json:"title"`
	Description                 string        `json:"description"`
	Keywords                    Keywords      `json:"keywords"`
	AssignmentDurationInSeconds int64         `json:"assignment_duration_in_seconds"`
	CreationTime                *time.Time    `json:"creation_time"`
	AssignableHitsCount         int64         `json:"assignable_hits_count"`
	LatestExpirationTime        *time.Time    `json:"latest_expiration_time"`
	LastUpdatedTime             *time.Time    `json:"last_updated_time"`
	MonetaryReward              Reward        `json:"monetary_reward"`
	ProjectRequirements         []Requirement `json:"project_requirements"`
}

// Reward is the pay per HIT; AmountInDollars keeps the exact decimal the site sent.
type Reward struct {
	CurrencyCode    string          `json:"currency_code"`
	AmountInDollars decimal.Decimal `json:"amount_in_dollars"`
}

// Requirement is one qualification a worker must hold.
type Requirement struct {
	QualificationTypeID string            `json:"qualification_type_id"`
	Comparator          string            `json:"comparator"`
	QualificationValues []json.RawMessage `json:"qualification_values"`
	QualificationType   struct {
		Name string `json:"name"`
	} `json:"qualification_type"`
}

// Keywords accepts the keywords field as a string, a list of strings or null, and keeps
// them as one comma-separated string.
type Keywords string

// UnmarshalJSON reads a string, an array of strings or null.
func (k *Keywords) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*k = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*k = Keywords(s)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("keywords: want a string or a list of strings")
	}
	*k = Keywords(strings.Join(list, ", "))
	return nil
}

// ErrRateLimitPage reports that the body is the site's rate-limit page, not a list.
var ErrRateLimitPage = errors.New("mturk: rate-limit page instead of JSON")

// ErrHTML reports an HTML body where a JSON list page was expected.
var ErrHTML = errors.New("mturk: HTML instead of JSON")

// ParsePage decodes a list page. Unknown fields are ignored; a malformed body or a field of
// an unexpected type is an error that names the field and offset. Groups without a usable
// hit_set_id or requester_id are dropped and counted in the returned number.
func ParsePage(data []byte) (*Page, int, error) {
	if collect.LooksHTML(data) {
		if collect.IsRateLimitPage(data) {
			return nil, 0, ErrRateLimitPage
		}
		return nil, 0, ErrHTML
	}
	var p Page
	if err := json.Unmarshal(data, &p); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			return nil, 0, fmt.Errorf("mturk: field %q: got JSON %s, want %s (offset %d)", te.Field, te.Value, te.Type, te.Offset)
		case errors.As(err, &se):
			return nil, 0, fmt.Errorf("mturk: malformed JSON at offset %d: %w", se.Offset, err)
		default:
			return nil, 0, fmt.Errorf("mturk: decode page: %w", err)
		}
	}
	if p.Results == nil && !bytes.Contains(data, []byte(`"results"`)) {
		return nil, 0, errors.New(`mturk: decode page: no "results" list`)
	}
	kept := p.Results[:0]
	dropped := 0
	for _, g := range p.Results {
		if err := g.validate(); err != nil {
			dropped++
			continue
		}
		kept = append(kept, g)
	}
	p.Results = kept
	return &p, dropped, nil
}

// validate checks the fields a snapshot row cannot do without.
func (g *Group) validate() error {
	if !validID(g.HitSetID) {
		return fmt.Errorf("mturk: bad hit_set_id %q", g.HitSetID)
	}
	if !validID(g.RequesterID) {
		return fmt.Errorf("mturk: bad requester_id %q", g.RequesterID)
	}
	if g.AssignableHitsCount < 0 || g.AssignmentDurationInSeconds < 0 || g.MonetaryReward.AmountInDollars.IsNegative() {
		return errors.New("mturk: negative count, duration or reward")
	}
	if g.MonetaryReward.AmountInDollars.GreaterThanOrEqual(maxReward) {
		return errors.New("mturk: reward out of range")
	}
	return nil
}

// maxReward is the first amount a Decimal(10, 2) column cannot hold.
var maxReward = decimal.New(1, 8)

// validID accepts the site's IDs: 1 to 64 letters and digits.
func validID(s string) bool {
	if s == "" || len(s) > 64 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
