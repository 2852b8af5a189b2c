// Package records defines worker-reported task records and writes them to the store.
// A record says how long one HIT took one worker and what became of it.
package records

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// Status is what happened to a task.
type Status string

// The statuses a task record can carry.
const (
	Submitted Status = "submitted"
	Pending   Status = "pending"
	Approved  Status = "approved"
	Rejected  Status = "rejected"
	Returned  Status = "returned"
	Abandoned Status = "abandoned"
	// ScreenedOut is a task the worker was screened out of (Prolific): paid what the record
	// reports, counted as worked time but not as a submitted task.
	ScreenedOut Status = "screened_out"
	// TimedOut is a task that ran past its allowed time (Prolific): unpaid time, like a return.
	TimedOut Status = "timed_out"
)

// Statuses lists every valid status.
var Statuses = []Status{Submitted, Pending, Approved, Rejected, Returned, Abandoned, ScreenedOut, TimedOut}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Record is one task as stored. Reporter is already a keyed hash; no worker ID is kept.
type Record struct {
	RequesterID     string
	RecordKey       string
	Reporter        string
	HitSetID        string
	HitID           string
	AssignmentID    string
	RequesterName   string
	Title           string
	Reward          decimal.Decimal
	Bonus           decimal.Decimal
	Currency        string // ISO 4217 code of Reward and Bonus; "" is the requester's platform's currency
	AcceptedAt      *time.Time
	FinishedAt      *time.Time
	DurationSeconds uint32
	Status          Status
	DecidedAt       *time.Time
	AllottedSeconds uint32
	Source          string
	SourceKind      string // api, import:<format>, upload:<format>, forum, demo; "" derives it from Source (Kind)
	ReceivedAt      time.Time
	Via             string // the ingest token that sent the record through the API; "" otherwise
	Relay           bool   // Via is a declared relay token: the worker it names counts as the reporter, not the token
}

// Key returns the record's deduplication key: the assignment when known, else a hash of
// reporter, HIT (or HIT group) and accept time, so one task reported twice is one record.
func (r *Record) Key() string {
	if r.AssignmentID != "" {
		return r.AssignmentID
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%s|", r.Reporter, r.HitID, r.HitSetID)
	if r.AcceptedAt != nil {
		fmt.Fprint(h, r.AcceptedAt.UTC().UnixMilli())
	} else if r.FinishedAt != nil {
		fmt.Fprint(h, "f", r.FinishedAt.UTC().UnixMilli())
	}
	return "h:" + hex.EncodeToString(h.Sum(nil))[:32]
}

// Columns are the task_records columns a Record fills, in Row order.
var Columns = []string{"requester_id", "record_key", "reporter", "hit_set_id", "hit_id", "assignment_id",
	"requester_name", "title", "reward", "bonus", "accepted_at", "finished_at", "duration_seconds", "status",
	"decided_at", "allotted_seconds", "source", "received_at", "version", "via", "currency", "relay", "source_kind"}

// Row renders the record for a batch insert. The version orders reports of the same task
// (Version).
func (r *Record) Row() []any {
	key := r.RecordKey
	if key == "" {
		key = r.Key()
	}
	return []any{r.RequesterID, key, r.Reporter, r.HitSetID, r.HitID, r.AssignmentID,
		r.RequesterName, r.Title, r.Reward, r.Bonus, r.AcceptedAt, r.FinishedAt, r.DurationSeconds, string(r.Status),
		r.DecidedAt, r.AllottedSeconds, r.Source, r.ReceivedAt, r.Version(), r.Via,
		r.CurrencyOrDefault(), r.Relay, r.Kind()}
}

// Kind returns the record's source kind: SourceKind, else the kind its Source names (as
// migration 0013 derives it for rows written before it).
func (r *Record) Kind() string {
	if r.SourceKind != "" {
		return r.SourceKind
	}
	switch s := r.Source; {
	case s == "api", s == "demo":
		return s
	case strings.HasPrefix(s, "import:"):
		return "import"
	case strings.HasPrefix(s, "http"):
		return "forum"
	}
	return "other"
}

// timedVersion lifts a timed report's version above every untimed one's: the store keeps the
// highest version of a task, so a later report with a time replaces one without, and a later
// report without a time (a history file imported after the worker's tool reported the task)
// never replaces one with.
const timedVersion = 1 << 62

// Version orders the reports of one task: a timed report before an untimed one, then the one
// received last.
func (r *Record) Version() uint64 {
	v := uint64(r.ReceivedAt.UnixNano())
	if r.Timed() {
		v += timedVersion
	}
	return v
}

// Timed reports whether the record says how long the task took. An untimed record (a saved
// history gives a status and a reward, no time on task) counts for approval, rejection, volume
// and reporters, never for an hourly wage.
// Both times without a duration count as timed, as the store's wage_records reads them.
func (r *Record) Timed() bool {
	return r.DurationSeconds > 0 || (r.AcceptedAt != nil && r.FinishedAt != nil)
}

// CurrencyOrDefault returns the record's currency, or when it names none the currency of the
// platform its requester key says (platform.Split): USD for MTurk.
func (r *Record) CurrencyOrDefault() string {
	if r.Currency != "" {
		return r.Currency
	}
	id, _ := platform.Split(r.RequesterID)
	if c := platform.CurrencyOf(id); c != "" {
		return c
	}
	return platform.CurrencyOf(platform.Default)
}

// NewWriter returns the store writer that batches task records.
func NewWriter(s *store.Store, cfg store.WriterConfig) *store.Writer {
	return s.NewWriter("task_records", Columns, cfg)
}

// Insert writes records in one batch and returns once they are stored.
func Insert(ctx context.Context, s *store.Store, recs []Record) error {
	if err := s.Insert(ctx, "task_records", Columns, len(recs), func(i int) []any { return recs[i].Row() }); err != nil {
		return fmt.Errorf("records: %w", err)
	}
	return nil
}

// Hasher turns worker IDs and tokens into reporter pseudonyms with a secret key,
// so the store never holds an identity and the pseudonym can't be recomputed without the key.
type Hasher struct{ key []byte }

// NewHasher returns a Hasher for key, which must be at least 16 bytes.
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) < 16 {
		return nil, fmt.Errorf("records: reporter key is %d bytes, want at least 16", len(key))
	}
	return &Hasher{key: append([]byte(nil), key...)}, nil
}

// Reporter returns the pseudonym for an identity of a kind ("worker" or "token").
func (h *Hasher) Reporter(kind, id string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))
}
