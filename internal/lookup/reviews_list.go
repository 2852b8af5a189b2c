package lookup

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// Review is one author's current review of a requester. A rating of 0 is no rating. Text is
// untrusted: escape it.
type Review struct {
	ID                                       string // public id: a keyed hash of requester and author, for flagging; reveals no pseudonym
	Pay, Fairness, Communication, Promptness uint8
	Text                                     string
	TOSViolation, BrokenTask                 bool
	UpdatedAt                                time.Time
	Own                                      bool // possibly the requester's own (docs/methodology.md, "Reviews"): shown, labelled, not counted
}

//go:embed reviews_list.sql
var reviewsListSQL string

// ReviewsOf returns a requester's newest live reviews (each author's latest edit), leaving out
// those readers' flags have hidden.
func ReviewsOf(ctx context.Context, s *store.Store, requesterID string, limit int) ([]Review, error) {
	m, err := ReviewsOfMany(ctx, s, []string{requesterID}, limit)
	return m[requesterID], err
}

// ReviewsOfMany is ReviewsOf of several requesters in one read (internal/pagerows keeps them by
// the thousand); requesters without reviews are absent from the map.
func ReviewsOfMany(ctx context.Context, s *store.Store, requesterIDs []string, limit int) (map[string][]Review, error) {
	rows, err := s.Query(ctx, reviewsListSQL, store.Args{"rids": requesterIDs, "limit": limit})
	if err != nil {
		return nil, fmt.Errorf("lookup: reviews: %w", err)
	}
	defer rows.Close()
	out := map[string][]Review{}
	for rows.Next() {
		var r Review
		var rid string
		var own uint8
		if err := rows.Scan(&rid, &r.ID, &r.Pay, &r.Fairness, &r.Communication, &r.Promptness, &r.Text, &r.TOSViolation, &r.BrokenTask, &r.UpdatedAt, &own); err != nil {
			return nil, fmt.Errorf("lookup: reviews: %w", err)
		}
		r.Own = own == 1
		out[rid] = append(out[rid], r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lookup: reviews: %w", err)
	}
	return out, nil
}
