package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// uploadBatch is the records an upload checks for ownership and stores at a time.
const uploadBatch = 5000

// ImportUpload stores a file a reporter uploaded with its token (the site's /contribute). The
// records are the token's as if its script had sent them through the API: one reporter (the
// token), the ownership rule (a task another identity reported first is kept as corroboration,
// never replacing its record), the token's platform scope; their source is "upload:<file>" and
// their kind opts.Kind (default "upload:<format>"). Run PreviewFile first: a file that cannot be
// read to its end stores nothing. Should storing fail part-way, what this upload stored is
// deleted again.
func ImportUpload(ctx context.Context, s *store.Store, h *records.Hasher, tok Token, r io.Reader, opts ImportOptions) (FileReport, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Through = &tok
	rd, _, rep, err := openImport(r, opts)
	if err != nil {
		return rep, err
	}
	defer closeReader(rd)
	source := "upload:" + filepath.Base(opts.Name)
	kind := opts.Kind
	if kind == "" {
		kind = "upload:" + string(rep.Format)
	}
	received := opts.Now().UTC().Truncate(time.Millisecond)
	reporter := h.Reporter("token", tok.ID)
	var batch []records.Record
	flush := func() error {
		last := lastOfEach(batch)
		rep.Duplicates += len(batch) - len(last)
		own, others, err := claims(ctx, s, last)
		if err != nil {
			return err
		}
		if err := storeCorroborations(ctx, s, others); err != nil {
			return err
		}
		if err := records.Insert(ctx, s, own); err != nil {
			return err
		}
		rep.Stored += len(own)
		rep.Corroborations += len(others)
		batch = batch[:0]
		return nil
	}
	fail := func(err error) (FileReport, error) {
		// A partial upload is taken back whole: only this upload's rows carry its source and time.
		for _, table := range []string{"task_records", "task_corroborations"} {
			if derr := s.Exec(context.WithoutCancel(ctx), "DELETE FROM "+s.Mutated(table)+` WHERE via = {via:String}
				AND source = {src:String} AND received_at = {at:DateTime64(3, 'UTC')}`,
				store.Args{"via": tok.ID, "src": source, "at": received}); derr != nil {
				err = errors.Join(err, fmt.Errorf("taking back the partial upload: %w", derr))
			}
		}
		rep.Stored, rep.Corroborations = 0, 0
		if !strings.HasPrefix(err.Error(), "ingest: ") { // nextChecked's errors name the file already
			err = fmt.Errorf("ingest: %s: %w", opts.Name, err)
		}
		return rep, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		_, rec, ok, err := nextChecked(rd, &opts, received, &rep, checkIdentified)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		if !ok {
			continue
		}
		// A file's worker_id column is not trusted here: the token is the one reporter.
		rec.Reporter, rec.Via, rec.Relay = reporter, tok.ID, tok.Relay // as the API files a token's records
		rec.Source, rec.SourceKind, rec.ReceivedAt = source, kind, received
		batch = append(batch, rec)
		if len(batch) == uploadBatch {
			if err := flush(); err != nil {
				return fail(err)
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return fail(err)
		}
	}
	return rep, nil
}

// Contribution is what one source (an upload, the API, a script) stored through a token.
type Contribution struct {
	Source     string    `json:"source"` // "api", or "upload:" and the file's name
	Kind       string    `json:"kind"`   // api, upload:<format>
	Records    uint64    `json:"records"`
	Untimed    uint64    `json:"untimed"`
	Requesters uint64    `json:"requesters"`
	First      time.Time `json:"first_received"`
	Last       time.Time `json:"last_received"`
}

// Contributions lists what a token stored, by source, newest first.
func Contributions(ctx context.Context, s *store.Store, tok Token) ([]Contribution, error) {
	rows, err := s.Query(ctx, `SELECT source, any(source_kind), count(),
			countIf(duration_seconds = 0 AND (accepted_at IS NULL OR finished_at IS NULL)),
			uniqExact(requester_id), min(received_at), max(received_at)
		FROM task_records FINAL WHERE via = {via:String}
		GROUP BY source ORDER BY max(received_at) DESC LIMIT 1000`, store.Args{"via": tok.ID})
	if err != nil {
		return nil, fmt.Errorf("ingest: contributions: %w", err)
	}
	defer rows.Close()
	var out []Contribution
	for rows.Next() {
		var c Contribution
		if err := rows.Scan(&c.Source, &c.Kind, &c.Records, &c.Untimed, &c.Requesters, &c.First, &c.Last); err != nil {
			return nil, fmt.Errorf("ingest: contributions: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ContributedRequesters lists the requesters of the records a token stored from one source
// ("" every source).
func ContributedRequesters(ctx context.Context, s *store.Store, tok Token, source string) ([]string, error) {
	where := "via = {via:String}"
	if source != "" {
		where += " AND source = {src:String}"
	}
	rows, err := s.Query(ctx, "SELECT DISTINCT requester_id FROM task_records WHERE "+where, store.Args{"via": tok.ID, "src": source})
	if err != nil {
		return nil, fmt.Errorf("ingest: contributed requesters: %w", err)
	}
	defer rows.Close()
	var reqs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("ingest: contributed requesters: %w", err)
		}
		reqs = append(reqs, id)
	}
	return reqs, rows.Err()
}

// DeleteContributions deletes every record a token stored (all of them, or those of one
// source), its corroborations and the daily statistics it uploaded, and returns the requesters
// whose figures must be computed again.
func DeleteContributions(ctx context.Context, s *store.Store, tok Token, source string) ([]string, error) {
	where := "via = {via:String}"
	args := store.Args{"via": tok.ID, "src": source}
	if source != "" {
		where += " AND source = {src:String}"
	}
	reqs, err := ContributedRequesters(ctx, s, tok, source)
	if err != nil {
		return nil, err
	}
	for _, table := range []string{"task_records", "task_corroborations"} {
		if err := s.Exec(ctx, "DELETE FROM "+s.Mutated(table)+" WHERE "+where, args); err != nil {
			return nil, fmt.Errorf("ingest: delete contributions: %w", err)
		}
	}
	if source == "" {
		if err := s.Exec(ctx, "DELETE FROM "+s.Mutated("worker_days")+" WHERE via = {via:String}", args); err != nil {
			return nil, fmt.Errorf("ingest: delete contributions: %w", err)
		}
	}
	return reqs, nil
}
