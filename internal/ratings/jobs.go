package ratings

import (
	"context"
	"fmt"
)

// Update brings scores up to date with newly arrived records: it recomputes the wage figures of
// the requesters that received records (wages.Update: a large requester's once its new records
// reach wages.Config.StaleShare of those counted) and rebuilds the snapshot. It has the shape
// of a scheduled job's Run (suggested every minute).
func (r *Ratings) Update(ctx context.Context) error {
	if _, err := r.w.Update(ctx); err != nil {
		return fmt.Errorf("ratings: %w", err)
	}
	return r.Refresh(ctx)
}

// Recompute recomputes every wage figure, market-wide ones included (wages.Recompute), and rebuilds
// the snapshot. It has the shape of a scheduled job's Run (suggested hourly) and is what to call
// after loading demo data or an import.
func (r *Ratings) Recompute(ctx context.Context) error {
	if err := r.w.Recompute(ctx); err != nil {
		return fmt.Errorf("ratings: %w", err)
	}
	return r.Refresh(ctx)
}
