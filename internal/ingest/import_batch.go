package ingest

import (
	"context"
	"strings"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// importBatch is one batch of an import file on its way from the parser through the
// duplicate lookup to the insert.
type importBatch struct {
	recs    []records.Record // one per task: a repeat within the batch replaced the earlier report
	maybe   []bool           // per rec: the file may have held the task in an earlier batch
	index   map[string]int   // record key -> place in recs, while the batch is filled
	records int              // records added, repeats included
	inBatch int              // records that repeated a task of this batch
	known   int              // tasks already stored or in the batch before (set by lookUp)
}

// newImportBatch returns an empty batch with room for n records.
func newImportBatch(n int) *importBatch {
	return &importBatch{recs: make([]records.Record, 0, n), maybe: make([]bool, 0, n), index: make(map[string]int, n)}
}

// reset empties a batch for reuse, keeping its memory.
func (b *importBatch) reset() {
	clear(b.recs)
	clear(b.index)
	*b = importBatch{recs: b.recs[:0], maybe: b.maybe[:0], index: b.index}
}

// add puts rec (its RecordKey set) in the batch; seen holds the keys of the file so far.
func (b *importBatch) add(rec records.Record, seen *seenKeys) {
	b.records++
	if i, ok := b.index[rec.RecordKey]; ok {
		b.recs[i] = rec // the later report of the task wins
		b.inBatch++
		return
	}
	b.index[rec.RecordKey] = len(b.recs)
	b.recs = append(b.recs, rec)
	b.maybe = append(b.maybe, seen.contains(rec.RecordKey))
	seen.add(rec.RecordKey)
}

// encodedBatch is a batch's rows ready to send, with what they count for in the report.
type encodedBatch struct {
	batch  store.Batch
	stored int // new tasks
	dups   int // records of tasks stored before or repeated in the file
}

// encodeBatch finds which tasks of b are stored already (see lookUp) and appends b's
// records to a store batch, which holds them compactly: b can be refilled once it returns.
func encodeBatch(ctx context.Context, s *store.Store, b *importBatch, prevKeys string, ranges map[string]keyRange) (encodedBatch, error) {
	if err := lookUp(ctx, s, b, prevKeys, ranges); err != nil {
		return encodedBatch{}, err
	}
	bt, err := s.PrepareBatch(ctx, "task_records", records.Columns...)
	if err != nil {
		return encodedBatch{}, err
	}
	for i := range b.recs {
		if err := bt.Append(b.recs[i].Row()...); err != nil {
			_ = bt.Abort()
			return encodedBatch{}, err
		}
	}
	return encodedBatch{batch: bt, stored: len(b.recs) - b.known, dups: b.inBatch + b.known}, nil
}

// keys returns the batch's record keys, comma-separated (keys hold no commas): one string
// instead of the records, which the next batch's lookup may need after b is refilled.
func (b *importBatch) keys() string {
	n := 0
	for i := range b.recs {
		n += len(b.recs[i].RecordKey) + 1
	}
	var sb strings.Builder
	sb.Grow(n)
	for i := range b.recs {
		sb.WriteString(b.recs[i].RecordKey)
		sb.WriteByte(',')
	}
	return sb.String()
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
