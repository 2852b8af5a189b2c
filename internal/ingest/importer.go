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

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// ImportOptions tune Import.
type ImportOptions struct {
	Name      string                 // the file's name: the records' source is "import:" + its base name
	Mapping   Mapping                // column renames; default none
	Delimiter rune                   // CSV delimiter; default detected
	WorkerID  string                 // whose history the file is, when its records carry no worker_id; default: the file is the reporter
	Platform  string                 // the platform of records that name none (a file without a platform column); default mturk
	Currency  string                 // the currency of records that name none; default each record's platform's
	BatchSize int                    // records per INSERT; default 75,000
	Progress  func(p ImportProgress) // called after each batch; optional
	Now       func() time.Time       // default time.Now
	// Open reads the file's records in a format of its own (a saved history: internal/histories);
	// default Open, which reads hitwage's CSV, NDJSON and JSON.
	Open func(r io.Reader) (Reader, error)
	// Kind is the records' source kind (provenance); default "import:" and the file's format.
	Kind string
	// Through is the token a worker uploads the file with (the site's /contribute): its records are
	// checked as the API checks a token's (an assignment id or a time; the token's platform).
	Through *Token
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
	File       string `json:"file"`
	Format     Format `json:"format"`
	Read       int    `json:"read"`              // records in the file (good and bad)
	Stored     int    `json:"stored"`            // new records written
	Duplicates int    `json:"duplicates"`        // records of tasks already stored or repeated in the file (the newest report is kept)
	Rejected   int    `json:"rejected"`          // records refused; the first MaxListedProblems are listed
	Untimed    int    `json:"untimed,omitempty"` // of the records accepted, those without a time on task
	// Corroborations are records of tasks another identity reported first (an upload through a
	// token): kept beside that record, counted in no figure.
	Corroborations int           `json:"corroborations,omitempty"`
	Problems       []LineProblem `json:"problems,omitempty"`
	Ignored        []string      `json:"ignored_columns,omitempty"`
}

// MaxListedProblems caps the problems a FileReport lists; Rejected still counts them all.
const MaxListedProblems = 1000

// defaultImportBatch is the records of an INSERT: the engine stores large blocks faster a row
// than small ones (and merges fewer parts later); past this size a batch bought no more speed for
// more memory (docs/benchmarks.md).
const defaultImportBatch = 75_000

// importChunk is the records the reader hands the encoder at a time.
const importChunk = 1024

// Import streams the records of r into the store in batches and reports what it did. Bad
// records are rejected with their line and reason, and the rest of the file goes on. Memory
// stays bounded by a few batches whatever the file's size. When the file cannot be read to its
// end (cut off, malformed), the batches it stored are deleted again: a broken file stores
// nothing. (Should a re-import of the same file break, the rows it replaced are gone once the
// store has merged the versions: histories.Complete refuses a cut-off JSON document before
// anything is stored.) On an error of the store or the context, every batch written before it
// stays written and the report counts it.
func Import(ctx context.Context, s *store.Store, h *records.Hasher, r io.Reader, opts ImportOptions) (FileReport, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = defaultImportBatch
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	base := filepath.Base(opts.Name)
	if err := CheckDefaults(opts.Platform, opts.Currency); err != nil {
		return FileReport{File: opts.Name}, fmt.Errorf("ingest: %s: %w", opts.Name, unwrapPrefix(err))
	}
	rd, cr, rep, err := openImport(r, opts)
	if err != nil {
		return rep, err
	}
	defer closeReader(rd)
	fileReporter := FileReporter(h, opts.Name, opts.WorkerID)
	source := "import:" + base
	kind := opts.Kind
	if kind == "" {
		kind = "import:" + string(rep.Format)
	}

	// Three stages run at once: this goroutine reads and checks records, an encoder adds
	// them to batch n+1 (the store batch encodes them as they come), and a writer counts
	// which tasks of batch n are already stored and sends it. Records go to the encoder in
	// chunks; the batches are handed over unbuffered, so at most two exist: one filling (or
	// full and waiting) and one being sent.
	chunks := make(chan []records.Record, 2)
	freeChunks := make(chan []records.Record, 3)
	batches := make(chan *importBatch)
	free := make(chan *importBatch, 1) // a sent batch's key lists, for the encoder to reuse
	eerr, werr := make(chan error, 1), make(chan error, 1)
	var failed atomic.Bool // the encoder or writer failed: stop reading
	var discardLast atomic.Bool
	var stored, dups atomic.Int64
	go func() {
		var err error
		ranges := map[string]keyRange{}
		for b := range batches {
			if err != nil {
				_ = b.rows.Abort() // drain after a failure
				continue
			}
			if err = b.send(ctx, s, ranges); err == nil {
				stored.Add(int64(len(b.keys) - b.known))
				dups.Add(int64(b.inBatch + b.known))
			} else {
				failed.Store(true)
			}
			select {
			case free <- b:
			default:
			}
		}
		werr <- err
	}()
	go func() {
		var err error
		seen := newSeenKeys()
		batch := newImportBatch(min(opts.BatchSize, 1024)) // a small file allocates little
		for chunk := range chunks {
			for i := 0; i < len(chunk) && err == nil; i++ {
				if err = batch.add(ctx, s, &chunk[i], seen); err != nil {
					failed.Store(true)
					break
				}
				if batch.records == opts.BatchSize {
					batches <- batch
					select {
					case batch = <-free:
						batch.reset()
					default:
						batch = newImportBatch(opts.BatchSize)
					}
				}
			}
			clear(chunk)
			select {
			case freeChunks <- chunk[:0]:
			default:
			}
		}
		if batch.records > 0 && err == nil && !discardLast.Load() {
			batches <- batch
		} else if batch.rows != nil {
			_ = batch.rows.Abort()
		}
		close(batches)
		eerr <- err
	}()

	reporters := reporterCache{h: h}
	chunk := make([]records.Record, 0, importChunk)
	handed := 0 // good records handed to the encoder since the last progress call
	var readErr error
	received := opts.Now().UTC().Truncate(time.Millisecond)
	for !failed.Load() {
		if err := ctx.Err(); err != nil {
			readErr = err
			break
		}
		it, rec, ok, err := nextChecked(rd, &opts, received, &rep, Check)
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		if !ok {
			continue
		}
		if w := strings.TrimSpace(string(it.Input.WorkerID)); w != "" {
			rec.Reporter = reporters.worker(w)
		} else {
			rec.Reporter = fileReporter
		}
		rec.Source, rec.SourceKind, rec.ReceivedAt = source, kind, received
		if !identifiable(&rec) {
			// Nothing tells this task from the reporter's others but its place in the file:
			// importing the file again replaces it rather than adding it twice.
			rec.RecordKey = lineKey(&rec, base, it.Line)
		} else {
			rec.RecordKey = rec.Key()
		}
		chunk = append(chunk, rec)
		if len(chunk) == cap(chunk) {
			chunks <- chunk
			select {
			case chunk = <-freeChunks:
			default:
				chunk = make([]records.Record, 0, importChunk)
			}
		}
		if handed++; handed == opts.BatchSize && opts.Progress != nil {
			handed = 0
			opts.Progress(ImportProgress{Bytes: cr.n.Load(), Read: rep.Read})
		}
	}
	if len(chunk) > 0 {
		chunks <- chunk
	}
	discardLast.Store(readErr != nil)
	close(chunks)
	err = errors.Join(<-eerr, <-werr)
	rep.Stored, rep.Duplicates = int(stored.Load()), int(dups.Load())
	if opts.Progress != nil {
		opts.Progress(ImportProgress{Bytes: cr.n.Load(), Read: rep.Read})
	}
	if readErr != nil && !errors.Is(readErr, context.Canceled) && !errors.Is(readErr, context.DeadlineExceeded) {
		// The file could not be read to its end: what it stored is taken back (only this
		// import's rows carry its source and receive time), so a broken file stores nothing.
		if derr := s.Exec(context.WithoutCancel(ctx), "DELETE FROM "+s.Mutated("task_records")+` WHERE source = {src:String}
			AND received_at = {at:DateTime64(3, 'UTC')}`, store.Args{"src": source, "at": received}); derr != nil {
			return rep, errors.Join(readErr, fmt.Errorf("ingest: %s: taking back what was stored: %w", opts.Name, derr))
		}
		rep.Stored, rep.Duplicates = 0, 0
		return rep, fmt.Errorf("%w (nothing of this file was stored)", readErr)
	}
	if readErr != nil {
		return rep, readErr
	}
	if err != nil {
		return rep, fmt.Errorf("ingest: %s: %w", opts.Name, err)
	}
	return rep, nil
}

// FileReporter is the pseudonym an import files the records of a file that names no worker
// under: the worker given (--worker-id), else the file itself.
func FileReporter(h *records.Hasher, name, workerID string) string {
	if w := strings.TrimSpace(workerID); w != "" {
		return h.Reporter("worker", w)
	}
	return h.Reporter("import", filepath.Base(name))
}

// openImport opens r for Import or ImportToAPI: its record reader, the byte count for
// progress, and the report with the format (and a CSV file's ignored columns) filled in.
func openImport(r io.Reader, opts ImportOptions) (Reader, *countingReader, FileReport, error) {
	rep := FileReport{File: opts.Name}
	cr := &countingReader{r: r}
	var rd Reader
	var err error
	if opts.Open != nil {
		rd, err = opts.Open(cr)
	} else {
		rd, err = Open(cr, ReadOptions{Mapping: opts.Mapping, Delimiter: opts.Delimiter})
	}
	if err != nil {
		return nil, nil, rep, fmt.Errorf("ingest: %s: %w", opts.Name, unwrapPrefix(err))
	}
	rep.Format = rd.Format()
	if c, ok := rd.(*csvReader); ok {
		rep.Ignored = c.Ignored()
	}
	return rd, cr, rep, nil
}

// CheckDefaults checks an import's default platform and currency (ImportOptions.Platform and
// Currency, the import command's --platform and --currency): a platform hitwage knows ("" is
// mturk), and a currency it pays in ("" is its own).
func CheckDefaults(platformID, currency string) error {
	var probs []Problem
	bad := func(field, format string, a ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	p := checkPlatform(Text(platformID), bad)
	if p != nil && strings.TrimSpace(currency) != "" {
		checkCurrency(Text(currency), p, bad)
	}
	if len(probs) == 0 {
		return nil
	}
	value := platformID
	if probs[0].Field == "currency" {
		value = currency
	}
	return fmt.Errorf("ingest: --%s %q %s", probs[0].Field, value, probs[0].Message)
}

// fill gives a record that names no platform or currency the import's defaults.
func (opts *ImportOptions) fill(in *Input) {
	if opts.Platform != "" && strings.TrimSpace(string(in.Platform)) == "" {
		in.Platform = Text(opts.Platform)
	}
	if opts.Currency != "" && strings.TrimSpace(string(in.Currency)) == "" {
		in.Currency = Text(opts.Currency)
	}
}

// reject counts the record at line as refused and lists its problems, up to MaxListedProblems.
func (rep *FileReport) reject(line int, probs ...Problem) {
	rep.Rejected++
	for _, p := range probs {
		if len(rep.Problems) == MaxListedProblems {
			return
		}
		rep.Problems = append(rep.Problems, LineProblem{Line: line, Field: p.Field, Message: p.Message})
	}
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

// checkFunc is Check or checkIdentified.
type checkFunc func(in *Input, now time.Time) (records.Record, []Problem)

// nextChecked reads rd's next record, gives it the import's defaults and checks it. A record
// that cannot be used is counted and listed in rep, and ok is false; io.EOF at the end; any other
// error means the rest of the file cannot be read (wrapped with the file's name).
func nextChecked(rd Reader, opts *ImportOptions, now time.Time, rep *FileReport, check checkFunc) (it *Item, rec records.Record, ok bool, err error) {
	it, err = rd.Next()
	if err == io.EOF {
		return nil, rec, false, err
	}
	if err != nil {
		return nil, rec, false, fmt.Errorf("ingest: %s: %w", opts.Name, unwrapPrefix(err))
	}
	rep.Read++
	if it.Err != nil {
		rep.reject(it.Line, Problem{Message: it.Err.Error()})
		return it, rec, false, nil
	}
	opts.fill(&it.Input)
	if opts.Through != nil {
		check = checkIdentified
	}
	rec, probs := check(&it.Input, now)
	if len(probs) == 0 && opts.Through != nil {
		if p, _ := platform.Split(rec.RequesterID); !opts.Through.Allows(p) {
			probs = append(probs, Problem{Field: "platform", Message: "is not the platform this token reports for: " + opts.Through.Platform})
		}
	}
	if len(probs) > 0 {
		rep.reject(it.Line, probs...)
		return it, rec, false, nil
	}
	if !rec.Timed() {
		rep.Untimed++
	}
	return it, rec, true, nil
}
