package ingest

import (
	"context"
	"fmt"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// identitySQL is the identity a stored record was reported under (task_records.rq before hashing):
// the token for a record sent through an undeclared token, else the worker's pseudonym.
const identitySQL = "if(via != '' AND NOT relay, concat('token:', via), reporter)"

// claims splits records into those their identity may store (tasks it reported first, or no one
// has) and those of tasks another identity already reported, which are kept as corroboration
// (task_corroborations) and never replace the record that counts: a token that knows another
// worker's assignment ID (a requester knows all of its own) cannot rewrite that worker's report.
// The first identity to report a task owns it; two identities reporting a new task at the same
// moment are decided by the store, the later version winning, as before this rule.
func claims(ctx context.Context, s *store.Store, recs []records.Record) (own, others []records.Record, err error) {
	if len(recs) == 0 {
		return recs, nil, nil
	}
	reqs := map[string]bool{}
	var reqList, keyList []string
	for i := range recs { // keys set (lastOfEach)
		if !reqs[recs[i].RequesterID] {
			reqs[recs[i].RequesterID] = true
			reqList = append(reqList, recs[i].RequesterID)
		}
		keyList = append(keyList, recs[i].RecordKey)
	}
	rows, err := s.Query(ctx, `SELECT requester_id, record_key, any(`+identitySQL+`) FROM task_records
		WHERE requester_id IN {reqs:Array(String)} AND record_key IN {keys:Array(String)}
		GROUP BY requester_id, record_key`, store.Args{"reqs": reqList, "keys": keyList})
	if err != nil {
		return nil, nil, fmt.Errorf("ingest: look up reported tasks: %w", err)
	}
	defer rows.Close()
	owner := map[[2]string]string{}
	for rows.Next() {
		var req, key, id string
		if err := rows.Scan(&req, &key, &id); err != nil {
			return nil, nil, fmt.Errorf("ingest: look up reported tasks: %w", err)
		}
		owner[[2]string{req, key}] = id
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("ingest: look up reported tasks: %w", err)
	}
	own = recs[:0:0]
	for _, r := range recs {
		if id, ok := owner[[2]string{r.RequesterID, r.RecordKey}]; ok && id != Identity(&r) {
			others = append(others, r)
			continue
		}
		own = append(own, r)
	}
	return own, others, nil
}

// Identity is the identity a record is reported under (identitySQL's, computed in Go).
func Identity(r *records.Record) string {
	if r.Via != "" && !r.Relay {
		return "token:" + r.Via
	}
	return r.Reporter
}

// storeCorroborations keeps other identities' reports of tasks already reported (claims).
func storeCorroborations(ctx context.Context, s *store.Store, recs []records.Record) error {
	if len(recs) == 0 {
		return nil
	}
	if err := s.Insert(ctx, "task_corroborations", records.Columns, len(recs), func(i int) []any { return recs[i].Row() }); err != nil {
		return fmt.Errorf("ingest: store corroborations: %w", err)
	}
	return nil
}

// Disagreement is a task whose counted report and a corroborating one differ in time, status or
// pay: what a moderator looks at first (a requester reporting its own tasks as quick, say).
type Disagreement struct {
	RequesterID, RecordKey         string
	CountedVia, OtherVia           string // the tokens (ids) the two reports came through; "" for imports
	CountedStatus, OtherStatus     string
	CountedSeconds, OtherSeconds   uint32
	CountedReward, OtherReward     string
	CountedReceived, OtherReceived string
}

// Disagreements lists up to limit tasks whose corroborating reports disagree with the counted one,
// newest corroboration first.
func Disagreements(ctx context.Context, s *store.Store, limit int) ([]Disagreement, error) {
	rows, err := s.Query(ctx, `SELECT c.requester_id, c.record_key, t.via, c.via, toString(t.status), toString(c.status),
			t.duration_seconds, c.duration_seconds, toString(t.reward), toString(c.reward),
			toString(t.received_at), toString(c.received_at)
		FROM task_corroborations AS c FINAL
		INNER JOIN (SELECT * FROM task_records FINAL WHERE (requester_id, record_key) IN
			(SELECT requester_id, record_key FROM task_corroborations)) AS t
			ON t.requester_id = c.requester_id AND t.record_key = c.record_key
		WHERE t.status != c.status OR t.duration_seconds != c.duration_seconds OR t.reward != c.reward OR t.bonus != c.bonus
		ORDER BY c.received_at DESC
		LIMIT {n:UInt32}`, store.Args{"n": uint32(limit)})
	if err != nil {
		return nil, fmt.Errorf("ingest: disagreements: %w", err)
	}
	defer rows.Close()
	var out []Disagreement
	for rows.Next() {
		var d Disagreement
		if err := rows.Scan(&d.RequesterID, &d.RecordKey, &d.CountedVia, &d.OtherVia, &d.CountedStatus, &d.OtherStatus,
			&d.CountedSeconds, &d.OtherSeconds, &d.CountedReward, &d.OtherReward, &d.CountedReceived, &d.OtherReceived); err != nil {
			return nil, fmt.Errorf("ingest: disagreements: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
