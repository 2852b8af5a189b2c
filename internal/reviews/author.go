package reviews

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// Author is who a review belongs to: the token it is written through. A token holds one review
// per requester whatever worker_id a script sends with it, so a script naming a worker neither
// takes that worker's review from another token nor gets more than one voice; only a token the
// operator declared a relay (collector tokens create --relay) holds one review per worker it names.
type Author struct {
	Token    string // the ingest token's id, stored as via; "" for a review written without one
	Reporter string // the pseudonym the review is filed under
	Worker   string // pseudonym of the worker a relaying script named, "" when none; private, never published
	Relay    bool   // Token is a declared relay: the review is the named worker's, through Token

	own string // the token's own pseudonym, under which its reviews naming no worker are filed
}

// AuthorOf is the author of a review written through token tokenID that names workerID ("" for
// none), relay saying whether the operator declared the token a relay. Its reporter is the
// token's pseudonym (records.Hasher.Reporter("token", id)); a relay's review naming a worker is
// filed under a pseudonym of the pair, so two relays naming one worker hold two reviews.
func AuthorOf(h *records.Hasher, tokenID, workerID string, relay bool) Author {
	a := Author{Token: tokenID, Reporter: h.Reporter("token", tokenID), Relay: relay}
	a.own = a.Reporter
	if w := strings.TrimSpace(workerID); w != "" {
		a.Worker = h.Reporter("worker", w)
		if relay {
			a.Reporter = h.Reporter("relay", tokenID+"\x00"+w)
		}
	}
	return a
}

// state is the newest version of one reporter's review of a requester.
type state struct {
	reporter, via, worker string
	deleted               bool
	created               time.Time
}

// workerOf is the worker a state's review was written for, as far as is known: its worker
// column, or, for a review a token wrote before migration 0012 under a worker's pseudonym, that
// pseudonym.
func (st state) workerOf(a Author) string {
	if st.worker == "" && st.via != "" && st.via == a.Token && st.reporter != a.own {
		return st.reporter
	}
	return st.worker
}

// mine reports whether st is (a version of) a's review. A token's rows are its own: another
// token's never are. Rows written before tokens were recorded (no via) are the author's when filed
// under its own pseudonym, or a declared relay's when filed under the worker it names.
func (a Author) mine(st state) bool {
	if st.via != "" && st.via != a.Token {
		return false
	}
	if a.Relay && a.Worker != "" {
		return st.reporter == a.Reporter || st.reporter == a.Worker ||
			(st.reporter == a.own && st.worker == a.Worker) // written for this worker before it was read as a relay
	}
	if a.Relay {
		return st.reporter == a.Reporter
	}
	if st.via != "" {
		return true // a plain token's rows are one review, under whichever pseudonym they were filed
	}
	// A row written before tokens were recorded, under a worker's pseudonym, is no plain token's: a
	// worker ID is no credential (a requester knows its workers'), so naming it must not let a token
	// withdraw or replace that worker's review. Only a declared relay (above) may speak for the worker.
	return st.reporter == a.Reporter
}

// statesOf reads the newest version of every review of the requester that may be a's.
func statesOf(ctx context.Context, s *store.Store, a Author, requesterKey string) ([]state, error) {
	reps := []string{a.Reporter, a.own}
	if a.Worker != "" {
		reps = append(reps, a.Worker)
	}
	rows, err := s.Query(ctx, `SELECT reporter, argMax(via, updated_at), argMax(worker, updated_at),
			argMax(deleted, updated_at), min(created_at)
		FROM reviews
		WHERE requester_id = {rid:String} AND (reporter IN {reps:Array(String)} OR (via != '' AND via = {via:String}))
		GROUP BY reporter`, store.Args{"rid": requesterKey, "reps": reps, "via": a.Token})
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	defer rows.Close()
	var out []state
	for rows.Next() {
		var st state
		var deleted uint8
		if err := rows.Scan(&st.reporter, &st.via, &st.worker, &deleted, &st.created); err != nil {
			return nil, fmt.Errorf("reviews: %w", err)
		}
		st.deleted = deleted == 1
		if a.mine(st) {
			out = append(out, st)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	return out, nil
}
