package ingest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// Config tunes the ingest API.
type Config struct {
	MaxRecords   int                // records in one request; default 10,000
	MaxBodyBytes int                // request body size; default 8 MiB
	Rate         float64            // requests a second per token; default 5
	Burst        int                // requests a token may send at once; default 20
	Writer       store.WriterConfig // group commit of accepted records; default 10,000 rows or 10 ms (at most ~100 inserts a second)
	CORSOrigins  []string           // sites whose pages may post (userscripts); default the MTurk worker sites
}

func (c Config) withDefaults() Config {
	if c.MaxRecords <= 0 {
		c.MaxRecords = 10_000
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 8 << 20
	}
	if c.Rate == 0 {
		c.Rate = 5
	}
	if c.Burst <= 0 {
		c.Burst = 20
	}
	if len(c.CORSOrigins) == 0 {
		c.CORSOrigins = DefaultCORSOrigins
	}
	if c.Writer.MaxDelay <= 0 {
		c.Writer.MaxDelay = 10 * time.Millisecond
	}
	return c
}

// DefaultCORSOrigins are the sites where worker userscripts run: Prolific's participant app, and
// the MTurk worker sites (closed on 2026-09-30; kept for the scripts of saved pages and mirrors).
var DefaultCORSOrigins = []string{"https://app.prolific.com", "https://worker.mturk.com", "https://workersandbox.mturk.com"}

// Service accepts batches of records from authenticated reporters and stores them.
type Service struct {
	Tokens  *Tokens
	store   *store.Store
	hasher  *records.Hasher
	limiter *Limiter
	writer  *store.Writer
	cfg     Config
	now     func() time.Time
}

// NewService returns the ingest service writing to s, hashing reporters with h.
func NewService(s *store.Store, h *records.Hasher, cfg Config) *Service {
	cfg = cfg.withDefaults()
	return &Service{
		Tokens:  NewTokens(s),
		store:   s,
		hasher:  h,
		limiter: NewLimiter(cfg.Rate, cfg.Burst),
		writer:  records.NewWriter(s, cfg.Writer),
		cfg:     cfg,
		now:     time.Now,
	}
}

// Config returns the service's limits, defaults filled in.
func (sv *Service) Config() Config { return sv.cfg }

// Allow applies the per-token rate limit; when it refuses, it says how long to wait.
func (sv *Service) Allow(tok Token) (bool, time.Duration) { return sv.limiter.Allow(tok.ID) }

// Close writes what is queued and stops accepting records.
func (sv *Service) Close(ctx context.Context) error { return sv.writer.Close(ctx) }

// RecordProblem is one bad field of the record at Index (0-based) in a request.
type RecordProblem struct {
	Index   int    `json:"index"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// InvalidError lists every bad record of a refused batch; none of its records were stored.
type InvalidError struct {
	Received int
	Problems []RecordProblem
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("ingest: %d problems in %d records; nothing was stored", len(e.Problems), e.Received)
}

// Errors about a request as a whole.
var (
	ErrBodyTooLarge = errors.New("ingest: body too large")
	ErrTooMany      = errors.New("ingest: too many records in one request")
	ErrBadBody      = errors.New("ingest: body is not JSON")
)

// Result says what a stored batch became.
type Result struct {
	Received   int `json:"received"`   // records in the request
	Stored     int `json:"stored"`     // records written (repeats of one task in the request count once)
	Duplicates int `json:"duplicates"` // records that repeated an earlier one of the same request (the later one was kept)
	// Corroborations are records of tasks another reporter had already reported: kept beside that
	// report for moderators, counted in no figure (a task is its first reporter's).
	Corroborations int `json:"corroborations"`
}

// maxProblems caps the problems listed for one request.
const maxProblems = 1000

// Submit validates a request body (one JSON object, a JSON array or NDJSON) and stores its
// records, returning once they are durably in the store. A batch with any bad record is
// refused whole with an *InvalidError listing each problem: either every record of a
// request is stored or none is.
func (sv *Service) Submit(ctx context.Context, tok Token, body []byte) (Result, error) {
	if len(body) > sv.cfg.MaxBodyBytes {
		return Result{}, fmt.Errorf("%w: %d bytes, the limit is %d", ErrBodyTooLarge, len(body), sv.cfg.MaxBodyBytes)
	}
	inputs, probs, err := sv.decode(body)
	if err != nil {
		return Result{}, err
	}
	now := sv.now().UTC().Truncate(time.Millisecond)
	unreadable := make(map[int]bool, len(probs))
	for _, p := range probs {
		unreadable[p.Index] = true
	}
	recs := make([]records.Record, 0, len(inputs))
	// One HMAC per reporter, not per record: a request holds one token and few workers.
	tokenReporter := sv.hasher.Reporter("token", tok.ID)
	workers := reporterCache{h: sv.hasher}
	for i := range inputs {
		if unreadable[i] {
			continue
		}
		r, ps := checkIdentified(&inputs[i], now)
		for _, p := range ps {
			probs = append(probs, RecordProblem{Index: i, Field: p.Field, Message: p.Message})
		}
		if len(ps) > 0 {
			continue
		}
		if p, _ := platform.Split(r.RequesterID); !tok.Allows(p) {
			probs = append(probs, RecordProblem{Index: i, Field: "platform",
				Message: "is not the platform this token reports for: " + tok.Platform})
			continue
		}
		if w := strings.TrimSpace(string(inputs[i].WorkerID)); w != "" {
			r.Reporter = workers.worker(w)
		} else {
			r.Reporter = tokenReporter
		}
		r.Source, r.ReceivedAt, r.Via, r.Relay = "api", now, tok.ID, tok.Relay
		recs = append(recs, r)
	}
	if len(probs) > 0 {
		sortProblems(probs)
		if len(probs) > maxProblems {
			probs = probs[:maxProblems]
		}
		return Result{}, &InvalidError{Received: len(inputs), Problems: probs}
	}
	last := lastOfEach(recs)
	own, others, err := claims(ctx, sv.store, last)
	if err != nil {
		return Result{}, err
	}
	if err := storeCorroborations(ctx, sv.store, others); err != nil {
		return Result{}, err
	}
	rows := make([][]any, len(own))
	for i := range own {
		rows[i] = own[i].Row()
	}
	if err := sv.writer.Write(ctx, rows); err != nil {
		return Result{}, fmt.Errorf("ingest: store %d records: %w", len(rows), err)
	}
	return Result{Received: len(inputs), Stored: len(rows), Duplicates: len(recs) - len(last), Corroborations: len(others)}, nil
}

// lastOfEach keeps the last report of each task in a batch (a repeat in one request is the later
// version), with its key set.
func lastOfEach(recs []records.Record) []records.Record {
	last := make(map[string]int, len(recs))
	for i := range recs {
		if recs[i].RecordKey == "" {
			recs[i].RecordKey = recs[i].Key()
		}
		last[recs[i].RecordKey] = i
	}
	out := make([]records.Record, 0, len(last))
	for i := range recs {
		if last[recs[i].RecordKey] == i {
			out = append(out, recs[i])
		}
	}
	return out
}

// decode reads the records of a body; unreadable records become problems by index.
func (sv *Service) decode(body []byte) ([]Input, []RecordProblem, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, nil, fmt.Errorf("%w: the body is empty", ErrBadBody)
	}
	if trimmed[0] == '{' && json.Valid(trimmed) {
		var in Input
		if err := decodeObject(trimmed, nil, &in); err != nil {
			return nil, []RecordProblem{{Index: 0, Field: "record", Message: err.Error()}}, nil
		}
		return []Input{in}, nil, nil
	}
	rd, err := Open(bytes.NewReader(trimmed), ReadOptions{OnlyJSON: true})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", ErrBadBody, strings.TrimPrefix(err.Error(), "ingest: "))
	}
	var (
		inputs []Input
		probs  []RecordProblem
	)
	for {
		it, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %s", ErrBadBody, strings.TrimPrefix(err.Error(), "ingest: "))
		}
		if len(inputs) >= sv.cfg.MaxRecords {
			return nil, nil, fmt.Errorf("%w: more than %d", ErrTooMany, sv.cfg.MaxRecords)
		}
		if it.Err != nil {
			probs = append(probs, RecordProblem{Index: len(inputs), Field: "record", Message: it.Err.Error()})
		}
		inputs = append(inputs, it.Input)
	}
	return inputs, probs, nil
}

// errUnidentifiable explains why the API needs an assignment id or a time.
const errUnidentifiable = "is required when assignment_id and accepted_at are missing: without one of them a repeated report cannot be told from a new task"

// identifiable reports whether a record's key tells its task apart from the reporter's
// other tasks: it has an assignment id or a time.
func identifiable(r *records.Record) bool {
	return r.AssignmentID != "" || r.AcceptedAt != nil || r.FinishedAt != nil
}

// checkIdentified is Check plus the API's rule: a record needs an assignment id or a time
// (see identifiable). Import, which can key such a record by its place in the file, does without.
func checkIdentified(in *Input, now time.Time) (records.Record, []Problem) {
	r, probs := Check(in, now)
	if len(probs) == 0 && !identifiable(&r) {
		probs = append(probs, Problem{Field: "finished_at", Message: errUnidentifiable})
	}
	return r, probs
}

// sortProblems orders problems by record; decode problems were listed before Check's.
func sortProblems(ps []RecordProblem) {
	slices.SortStableFunc(ps, func(a, b RecordProblem) int { return cmp.Compare(a.Index, b.Index) })
}
