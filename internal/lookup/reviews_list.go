package lookup

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// Review is one worker's current review of a requester. A rating of 0 is no rating. Text is
// untrusted: escape it.
type Review struct {
	Pay, Fairness, Communication, Promptness uint8
	Text                                     string
	TOSViolation, BrokenTask                 bool
	UpdatedAt                                time.Time
}

//go:embed reviews_list.sql
var reviewsListSQL string

// ReviewsOf returns a requester's newest live reviews (each reporter's latest edit).
func ReviewsOf(ctx context.Context, s *store.Store, requesterID string, limit int) ([]Review, error) {
	rows, err := s.Query(ctx, reviewsListSQL, store.Args{"rid": requesterID, "limit": limit})
	if err != nil {
		return nil, fmt.Errorf("lookup: reviews of %s: %w", requesterID, err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		if err := rows.Scan(&r.Pay, &r.Fairness, &r.Communication, &r.Promptness, &r.Text, &r.TOSViolation, &r.BrokenTask, &r.UpdatedAt); err != nil {
			return nil, fmt.Errorf("lookup: reviews of %s: %w", requesterID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
