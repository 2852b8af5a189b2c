package ingest

import (
	"context"
	"strings"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// importBatch is one INSERT of an import: its rows, already encoded by the store batch, and
// the keys of its tasks, which the writer looks up before sending it.
type importBatch struct {
	rows    store.Batch       // nil until the first record
	keys    []batchKey        // one per task of the batch
	index   map[string]int    // record key -> place in keys
	reqs    map[string]string // requester ids of the batch, one copy each
	row     *rowBuf
	records int // records added, repeats included
	inBatch int // records that repeated a task of this batch
	known   int // tasks stored before the batch was sent (set by send)
}

// batchKey is one task of a batch: its requester, its record key and whether the file may
// have held the task in an earlier batch.
type batchKey struct {
	req, key string
	maybe    bool
}

// newImportBatch returns an empty batch with room for n tasks.
func newImportBatch(n int) *importBatch {
	return &importBatch{keys: make([]batchKey, 0, n), index: make(map[string]int, n), reqs: map[string]string{}, row: newRowBuf()}
}

// reset empties a sent batch for reuse, keeping its memory.
func (b *importBatch) reset() {
	clear(b.keys)
	clear(b.index)
	if len(b.reqs) > maxKeyRanges {
		b.reqs = map[string]string{}
	}
	*b = importBatch{keys: b.keys[:0], index: b.index, reqs: b.reqs, row: b.row}
}

// add appends rec (its RecordKey set) to the batch; seen holds the keys of the file so far.
// A task repeated within the batch is appended again: of rows with one key and one version,
// the engine keeps the last inserted, so the later report wins as it would in a later batch.
func (b *importBatch) add(ctx context.Context, s *store.Store, rec *records.Record, seen *seenKeys) error {
	if b.rows == nil {
		rows, err := s.PrepareBatch(ctx, "task_records", records.Columns...)
		if err != nil {
			return err
		}
		b.rows = rows
	}
	if err := b.rows.Append(b.row.of(rec)...); err != nil {
		return err
	}
	b.records++
	if _, ok := b.index[rec.RecordKey]; ok {
		b.inBatch++
		return nil
	}
	// The batch keeps copies: rec's strings share the memory of its whole line.
	key := strings.Clone(rec.RecordKey)
	req, ok := b.reqs[rec.RequesterID]
	if !ok {
		req = strings.Clone(rec.RequesterID)
		b.reqs[req] = req
	}
	b.index[key] = len(b.keys)
	b.keys = append(b.keys, batchKey{req: req, key: key, maybe: seen.met(key)})
	return nil
}

// send counts the batch's tasks already stored (lookUp) and sends its rows. The batches
// before it are all stored by then, so a task the file repeats from one is found.
func (b *importBatch) send(ctx context.Context, s *store.Store, ranges map[string]keyRange) error {
	rows := b.rows
	b.rows = nil
	if err := lookUp(ctx, s, b, ranges); err != nil {
		_ = rows.Abort()
		return err
	}
	return rows.Send()
}

// rowBuf renders records as records.Record.Row does, in records.Columns order, but as
// pointers into one reused copy of the record: the store batch copies the values at once,
// and a row of pointers costs no allocation where Row boxes a dozen values. Not so the
// LowCardinality currency column: its encoder keys its dictionary by the value appended, so a
// reused pointer would be one key, the first record's currency for every row. It gets the
// currency (and source kind) itself, boxed once per value.
type rowBuf struct {
	rec     records.Record
	status  string
	version uint64
	vals    []any
	boxes   map[string]any
	// The places in vals of the columns set for each row (times: nil or not; LowCardinality
	// columns: boxed), found by name in records.Columns.
	accepted, finished, decided, currency, kind int
}

func newRowBuf() *rowBuf {
	r := &rowBuf{boxes: map[string]any{}}
	c := &r.rec
	fixed := map[string]any{"requester_id": &c.RequesterID, "record_key": &c.RecordKey, "reporter": &c.Reporter,
		"hit_set_id": &c.HitSetID, "hit_id": &c.HitID, "assignment_id": &c.AssignmentID, "requester_name": &c.RequesterName,
		"title": &c.Title, "reward": &c.Reward, "bonus": &c.Bonus, "duration_seconds": &c.DurationSeconds,
		"status": &r.status, "allotted_seconds": &c.AllottedSeconds, "source": &c.Source, "received_at": &c.ReceivedAt,
		"version": &r.version, "via": &c.Via, "relay": &c.Relay}
	perRow := map[string]*int{"accepted_at": &r.accepted, "finished_at": &r.finished, "decided_at": &r.decided,
		"currency": &r.currency, "source_kind": &r.kind}
	r.vals = make([]any, len(records.Columns))
	for i, col := range records.Columns {
		if at, ok := perRow[col]; ok {
			*at = i
			continue
		}
		v, ok := fixed[col]
		if !ok {
			panic("ingest: no value for task_records column " + col) // records.Columns and this list go together
		}
		r.vals[i] = v
	}
	return r
}

// box returns v boxed, one box per distinct value.
func (r *rowBuf) box(v string) any {
	boxed, ok := r.boxes[v]
	if !ok {
		boxed = strings.Clone(v)
		r.boxes[v] = boxed
	}
	return boxed
}

// of returns rec's row (its RecordKey set), valid until the next call.
func (r *rowBuf) of(rec *records.Record) []any {
	r.rec = *rec
	r.status = string(rec.Status)
	r.version = rec.Version()
	r.vals[r.currency], r.vals[r.kind] = r.box(rec.CurrencyOrDefault()), r.box(rec.Kind())
	r.vals[r.accepted], r.vals[r.finished], r.vals[r.decided] = rec.AcceptedAt, rec.FinishedAt, rec.DecidedAt
	return r.vals
}

// reporterCache keeps the pseudonyms of the workers a file names: an HMAC per record
// costs more than parsing it, and a file names few workers.
type reporterCache struct {
	h *records.Hasher
	m map[string]string
}

// maxCachedReporters bounds the cache; a file naming more workers starts it afresh.
const maxCachedReporters = 10_000

func (c *reporterCache) worker(id string) string {
	if p, ok := c.m[id]; ok {
		return p
	}
	if c.m == nil || len(c.m) >= maxCachedReporters {
		c.m = make(map[string]string)
	}
	p := c.h.Reporter("worker", id)
	c.m[strings.Clone(id)] = p
	return p
}
