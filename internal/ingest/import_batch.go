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
}

func newRowBuf() *rowBuf {
	r := &rowBuf{}
	c := &r.rec
	r.vals = []any{&c.RequesterID, &c.RecordKey, &c.Reporter, &c.HitSetID, &c.HitID, &c.AssignmentID,
		&c.RequesterName, &c.Title, &c.Reward, &c.Bonus, nil, nil, &c.DurationSeconds, &r.status,
		nil, &c.AllottedSeconds, &c.Source, &c.ReceivedAt, &r.version, &c.Via, nil, &c.Relay, nil}
	r.boxes = map[string]any{}
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
	r.vals[len(r.vals)-3] = r.box(rec.CurrencyOrDefault()) // currency, before relay and source_kind
	r.version = rec.Version()
	r.vals[len(r.vals)-1] = r.box(rec.Kind()) // source_kind, LowCardinality too
	r.vals[10], r.vals[11], r.vals[14] = rec.AcceptedAt, rec.FinishedAt, rec.DecidedAt
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
