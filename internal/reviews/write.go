package reviews

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// Errors of Save and Withdraw.
var (
	ErrNotFound    = errors.New("reviews: no such review")
	ErrOtherWorker = errors.New("reviews: this token's review of the requester was written for another worker")
)

// Save stores a's review of a requester (under in.Key()), replacing their earlier one; the first
// review's creation time is kept. Reviews the author wrote before migration 0012 under another
// pseudonym (a worker's) are withdrawn with the same write, so the author has one review.
//
// A token that is not a relay holds one review per requester: when its live review was written
// for one worker and a script now names another, Save refuses (ErrOtherWorker) rather than
// overwrite the first worker's words.
func Save(ctx context.Context, s *store.Store, a Author, in Input, now time.Time) error {
	key := in.Key()
	if key == "" {
		return fmt.Errorf("reviews: unknown platform %q", in.Platform)
	}
	sts, err := statesOf(ctx, s, a, key)
	if err != nil {
		return err
	}
	if err := a.checkWorker(sts); err != nil {
		return err
	}
	created := now
	var rows []row
	for _, st := range sts {
		if st.created.Before(created) {
			created = st.created
		}
		if !st.deleted && st.reporter != a.Reporter {
			rows = append(rows, tombstone(st))
		}
	}
	rows = append(rows, row{reporter: a.Reporter, worker: a.Worker, in: in, created: created})
	return write(ctx, s, key, a.Token, rows, now)
}

// Withdraw withdraws a's review of a requester, by the requester's stored key (platform.Key):
// ErrNotFound when a has no live review of it, ErrOtherWorker when a plain token's review was
// written for another worker than the one named.
func Withdraw(ctx context.Context, s *store.Store, a Author, requesterKey string, now time.Time) error {
	sts, err := statesOf(ctx, s, a, requesterKey)
	if err != nil {
		return err
	}
	var rows []row
	for _, st := range sts {
		if !st.deleted {
			rows = append(rows, tombstone(st))
		}
	}
	if len(rows) == 0 {
		return ErrNotFound
	}
	if err := a.checkWorker(sts); err != nil {
		return err
	}
	return write(ctx, s, requesterKey, a.Token, rows, now)
}

// Put stores reporter's review of a requester written through token via ("" for none): Save for
// an author given by pseudonym (tests, tools). Through a token, it is that token's one review.
func Put(ctx context.Context, s *store.Store, reporter, via string, in Input, now time.Time) error {
	return Save(ctx, s, Author{Token: via, Reporter: reporter, own: reporter}, in, now)
}

// Delete withdraws reporter's review of a requester through token via: Withdraw for an author
// given by pseudonym.
func Delete(ctx context.Context, s *store.Store, reporter, via, requesterKey string, now time.Time) error {
	return Withdraw(ctx, s, Author{Token: via, Reporter: reporter, own: reporter}, requesterKey, now)
}

// checkWorker refuses a plain token's change naming one worker to a live review written for
// another; a change naming no worker is the token holder's own and may change either.
func (a Author) checkWorker(sts []state) error {
	if a.Relay || a.Worker == "" {
		return nil
	}
	for _, st := range sts {
		if w := st.workerOf(a); !st.deleted && w != "" && w != a.Worker {
			return ErrOtherWorker
		}
	}
	return nil
}

// row is one version to write: a review, or a withdrawal (tombstone).
type row struct {
	reporter, worker string
	in               Input
	created          time.Time
	deleted          bool
}

func tombstone(st state) row {
	return row{reporter: st.reporter, worker: st.worker, created: st.created, deleted: true}
}

// stored is a rating as the table keeps it: 0 for no rating.
func stored(v *int) uint8 {
	if v == nil {
		return 0
	}
	return uint8(*v)
}

func write(ctx context.Context, s *store.Store, rid, via string, rows []row, now time.Time) error {
	err := s.Insert(ctx, "reviews", []string{"requester_id", "reporter", "pay", "fairness", "communication", "promptness",
		"text", "tos_violation", "broken_task", "created_at", "updated_at", "deleted", "via", "worker"}, len(rows), func(i int) []any {
		r := rows[i]
		var deleted uint8
		if r.deleted {
			deleted = 1
		}
		in := r.in
		return []any{rid, r.reporter, stored(in.Pay), stored(in.Fairness), stored(in.Communication), stored(in.Promptness),
			strings.TrimSpace(in.Text), in.TOSViolation, in.BrokenTask, r.created.UTC(), now.UTC(), deleted, via, r.worker}
	})
	if err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	return nil
}
