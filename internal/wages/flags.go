package wages

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/hitwage/hitwage/internal/store"
)

// The record-level anti-gaming rules, as named in Flagged's result (docs/methodology.md).
const (
	FlagNoTime        = "no_time"        // a time under 1 second (an untimed record, with no time at all, is not flagged)
	FlagOverDay       = "over_day"       // over 24 hours
	FlagOverAllotted  = "over_allotted"  // over twice the time allotted
	FlagNegativeMoney = "negative_money" // a negative reward or bonus
)

//go:embed flags.sql
var flagsSQL string

// Flagged returns how many of a requester's records each record-level anti-gaming rule left out,
// live from the records; rules that flagged nothing are absent.
func (w *Wages) Flagged(ctx context.Context, requesterID string) (map[string]uint64, error) {
	rows, err := w.s.Query(ctx, flagsSQL, store.Args{"rid": requesterID})
	if err != nil {
		return nil, fmt.Errorf("wages: flagged: %w", err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var (
			flag string
			n    uint64
		)
		if err := rows.Scan(&flag, &n); err != nil {
			return nil, fmt.Errorf("wages: flagged: %w", err)
		}
		out[flag] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wages: flagged: %w", err)
	}
	return out, nil
}
