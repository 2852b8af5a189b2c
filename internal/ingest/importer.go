package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// ImportOptions tune Import.
type ImportOptions struct {
	Name      string                 // the file's name: the records' source is "import:" + its base name
	Mapping   Mapping                // column renames; default none
	Delimiter rune                   // CSV delimiter; default detected
	WorkerID  string                 // whose history the file is, when its records carry no worker_id; default: the file is the reporter
	BatchSize int                    // records per INSERT; default 10,000
	Progress  func(p ImportProgress) // called after each batch; optional
	Now       func() time.Time       // default time.Now
}

// ImportProgress is how far an import has come.
type ImportProgress struct {
	Bytes int64 // bytes of the file read so far
	Read  int   // records read so far
}

// LineProblem is why one record of a file was rejected.
type LineProblem struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// FileReport says what became of one file's records.
type FileReport struct {
	File       string        `json:"file"`
	Format     Format        `json:"format"`
	Read       int           `json:"read"`       // records in the file (good and bad)
	Stored     int           `json:"stored"`     // new records written
	Duplicates int           `json:"duplicates"` // records of tasks already stored or repeated in the file (the newest report is kept)
	Rejected   int           `json:"rejected"`   // records refused; the first MaxListedProblems are listed
	Problems   []LineProblem `json:"problems,omitempty"`
	Ignored    []string      `json:"ignored_columns,omitempty"`
}

// MaxListedProblems caps the problems a FileReport lists; Rejected still counts them all.
const MaxListedProblems = 1000

// Import streams the records of r into the store in batches and reports what it did. Bad
// records are rejected with their line and reason, and the rest of the file goes on. Memory
// stays bounded by a few batches whatever the file's size. On an error that stops the
// import (the store failing, the context ending), every batch written before it stays
// written and the report counts it.
func Import(ctx context.Context, s *store.Store, h *records.Hasher, r io.Reader, opts ImportOptions) (FileReport, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 10_000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	base := filepath.Base(opts.Name)
	rep := FileReport{File: opts.Name}
	cr := &countingReader{r: r}
	rd, err := Open(cr, ReadOptions{Mapping: opts.Mapping, Delimiter: opts.Delimiter})
	if err != nil {
		return rep, fmt.Errorf("ingest: %s: %w", opts.Name, unwrapPrefix(err))
	}
	rep.Format = rd.Format()
	if c, ok := rd.(*csvReader); ok {
		rep.Ignored = c.Ignored()
	}
	fileReporter := h.Reporter("import", base)
	if w := strings.TrimSpace(opts.WorkerID); w != "" {
		fileReporter = h.Reporter("worker", w)
	}
	source := "import:" + base

	// Three stages run at once: this goroutine parses batch n+2 while a lookup goroutine
	// finds which keys of batch n+1 are already stored and a writer inserts batch n.
	batches := make(chan []records.Record, 1)
	lookedUp := make(chan checkedBatch) // unbuffered: a lookup starts only once the writer took the batch before
	werr, lerr := make(chan error, 1), make(chan error, 1)
	var stored, dups atomic.Int64
	go func() {
		var err error
		var prev map[string]bool // keys of the batch the writer is inserting now, not yet visible in the store
		for b := range batches {
			if err != nil {
				continue // drain after a failure
			}
			var cb checkedBatch
			cb, err = checkBatch(ctx, s, b, prev)
			if err == nil {
				prev = cb.keys
				lookedUp <- cb
			}
		}
		close(lookedUp)
		lerr <- err
	}()
	go func() {
		var err error
		for cb := range lookedUp {
			if err != nil {
				continue
			}
			if err = insertRows(ctx, s, cb.rows); err == nil {
				stored.Add(int64(len(cb.rows) - cb.known))
				dups.Add(int64(cb.inBatch + cb.known))
			}
		}
		werr <- err
	}()

	reject := func(line int, field, msg string) {
		rep.Rejected++
		if len(rep.Problems) < MaxListedProblems {
			rep.Problems = append(rep.Problems, LineProblem{Line: line, Field: field, Message: msg})
		}
	}
	batch := make([]records.Record, 0, opts.BatchSize)
	var readErr error
	received := opts.Now().UTC().Truncate(time.Millisecond)
	for {
		if err := ctx.Err(); err != nil {
			readErr = err
			break
		}
		it, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = fmt.Errorf("ingest: %s: %w", opts.Name, unwrapPrefix(err))
			break
		}
		rep.Read++
		if it.Err != nil {
			reject(it.Line, "", it.Err.Error())
			continue
		}
		rec, probs := Check(&it.Input, received)
		if len(probs) > 0 {
			for _, p := range probs {
				reject(it.Line, p.Field, p.Message)
			}
			rep.Rejected -= len(probs) - 1
			continue
		}
		if w := strings.TrimSpace(string(it.Input.WorkerID)); w != "" {
			rec.Reporter = h.Reporter("worker", w)
		} else {
			rec.Reporter = fileReporter
		}
		rec.Source, rec.ReceivedAt = source, received
		if !identifiable(&rec) {
			// Nothing tells this task from the reporter's others but its place in the file:
			// importing the file again replaces it rather than adding it twice.
			rec.RecordKey = lineKey(&rec, base, it.Line)
		}
		batch = append(batch, rec)
		if len(batch) == opts.BatchSize {
			batches <- batch
			batch = make([]records.Record, 0, opts.BatchSize)
			if opts.Progress != nil {
				opts.Progress(ImportProgress{Bytes: cr.n.Load(), Read: rep.Read})
			}
		}
	}
	if len(batch) > 0 && readErr == nil {
		batches <- batch
	}
	close(batches)
	err = errors.Join(<-lerr, <-werr)
	rep.Stored, rep.Duplicates = int(stored.Load()), int(dups.Load())
	if opts.Progress != nil {
		opts.Progress(ImportProgress{Bytes: cr.n.Load(), Read: rep.Read})
	}
	if readErr != nil {
		return rep, readErr
	}
	if err != nil {
		return rep, fmt.Errorf("ingest: %s: %w", opts.Name, err)
	}
	return rep, nil
}

// checkedBatch is a batch ready to insert: its rows (one per task), how many of its tasks
// were already stored (or in the batch before it), and how many records repeated a task
// within the batch.
type checkedBatch struct {
	rows    [][]any
	keys    map[string]bool
	known   int
	inBatch int
}

// checkBatch dedupes a batch and looks up which of its tasks are already stored; prev holds
// the keys of the batch still being inserted.
func checkBatch(ctx context.Context, s *store.Store, recs []records.Record, prev map[string]bool) (checkedBatch, error) {
	rows, inBatch := dedupe(recs)
	cb := checkedBatch{rows: rows, inBatch: inBatch, keys: make(map[string]bool, len(rows))}
	// Keys and requester ids are letters, digits and ':' only (Check made sure), so a
	// comma-joined string carries them: far cheaper to bind than an Array(String) of 10,000.
	var keys, reqs strings.Builder
	seenReq := map[string]bool{}
	for i := range recs {
		if cb.keys[recs[i].RecordKey] {
			continue
		}
		cb.keys[recs[i].RecordKey] = true
		if keys.Len() > 0 {
			keys.WriteByte(',')
		}
		keys.WriteString(recs[i].RecordKey)
		if !seenReq[recs[i].RequesterID] {
			if len(seenReq) > 0 {
				reqs.WriteByte(',')
			}
			seenReq[recs[i].RequesterID] = true
			reqs.WriteString(recs[i].RequesterID)
		}
	}
	rs, err := s.Query(ctx, `SELECT DISTINCT record_key FROM task_records
		WHERE requester_id IN (SELECT arrayJoin(splitByChar(',', {reqs:String})))
		  AND record_key IN (SELECT arrayJoin(splitByChar(',', {keys:String})))`,
		store.Args{"reqs": reqs.String(), "keys": keys.String()})
	if err != nil {
		return cb, fmt.Errorf("look up stored records: %w", err)
	}
	defer rs.Close()
	stored := map[string]bool{}
	for rs.Next() {
		var k string
		if err := rs.Scan(&k); err != nil {
			return cb, fmt.Errorf("look up stored records: %w", err)
		}
		stored[k] = true
	}
	if err := rs.Err(); err != nil {
		return cb, fmt.Errorf("look up stored records: %w", err)
	}
	for k := range cb.keys {
		if stored[k] || prev[k] {
			cb.known++
		}
	}
	return cb, nil
}

func insertRows(ctx context.Context, s *store.Store, rows [][]any) error {
	return s.Insert(ctx, "task_records", records.Columns, len(rows), func(i int) []any { return rows[i] })
}

// lineKey identifies a record without ids or times by reporter, task and place in its file.
func lineKey(r *records.Record, file string, line int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%s|%s|%d", r.Reporter, r.HitID, r.HitSetID, file, line)
	return "l:" + hex.EncodeToString(h.Sum(nil))[:32]
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func unwrapPrefix(err error) error {
	msg := strings.TrimPrefix(err.Error(), "ingest: ")
	if msg == err.Error() {
		return err
	}
	return fmt.Errorf("%s", msg)
}
