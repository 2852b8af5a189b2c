package mturk

import (
	"encoding/json"
	"math"
	"strings"
	"time"
)

// snapshotColumns are the listing_snapshots columns one crawl writes, in row order.
var snapshotColumns = []string{"crawled_at", "crawl_id", "hit_set_id", "requester_id", "requester_name", "title",
	"description", "keywords", "reward", "currency", "assignment_duration_seconds", "assignable_hits", "created_at",
	"expires_at", "qualifications", "source"}

// Source is the listing_snapshots.source value of rows this package writes.
const Source = "mturk"

// qualification is how one requirement is kept in listing_snapshots.qualifications (a JSON list).
type qualification struct {
	TypeID     string            `json:"type_id"`
	Name       string            `json:"name"`
	Comparator string            `json:"comparator"`
	Values     []json.RawMessage `json:"values"`
}

// QualificationsJSON returns the group's requirements as a JSON list of
// {type_id, name, comparator, values}; "[]" when there are none.
func (g *Group) QualificationsJSON() string {
	qs := make([]qualification, 0, len(g.ProjectRequirements))
	for _, r := range g.ProjectRequirements {
		vals := r.QualificationValues
		if vals == nil {
			vals = []json.RawMessage{}
		}
		qs = append(qs, qualification{TypeID: r.QualificationTypeID, Name: r.QualificationType.Name, Comparator: r.Comparator, Values: vals})
	}
	b, err := json.Marshal(qs)
	if err != nil { // RawMessage values came from a valid document; this cannot fail in practice
		return "[]"
	}
	return string(b)
}

// row is the group as a listing_snapshots row in snapshotColumns order.
func (g *Group) row(crawledAt time.Time, crawlID string) []any {
	currency := strings.TrimSpace(g.MonetaryReward.CurrencyCode)
	if currency == "" {
		currency = "USD"
	}
	return []any{crawledAt, crawlID, g.HitSetID, g.RequesterID, g.RequesterName, g.Title, g.Description,
		string(g.Keywords), g.MonetaryReward.AmountInDollars.Round(2), currency,
		clampU32(g.AssignmentDurationInSeconds), clampU32(g.AssignableHitsCount),
		utcPtr(g.CreationTime), utcPtr(g.LatestExpirationTime), g.QualificationsJSON(), Source}
}

func clampU32(v int64) uint32 {
	if v < 0 {
		return 0
	}
	if v > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(v)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
