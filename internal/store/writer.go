package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// WriterConfig tunes a Writer.
type WriterConfig struct {
	MaxRows  int           // flush when this many rows wait; default 10,000
	MaxDelay time.Duration // flush rows that have waited this long; default 1s
}

// Writer batches rows for one table from many goroutines into few large INSERTs
// (group commit): Write returns once the rows it was given are stored, or with the error
// that stopped them, so a caller acknowledges only what ClickHouse accepted.
type Writer struct {
	s       *Store
	table   string
	columns []string
	cfg     WriterConfig

	mu      sync.Mutex
	pending [][]any
	waiters []chan error
	timer   *time.Timer
	closed  bool
	flushMu sync.Mutex // one INSERT at a time, in order
}

// ErrWriterClosed is returned by Write after Close.
var ErrWriterClosed = errors.New("store: writer closed")

// NewWriter returns a Writer for the columns of table.
func (s *Store) NewWriter(table string, columns []string, cfg WriterConfig) *Writer {
	if cfg.MaxRows <= 0 {
		cfg.MaxRows = 10_000
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = time.Second
	}
	return &Writer{s: s, table: table, columns: columns, cfg: cfg}
}

// Write queues rows and waits until they are inserted.
func (w *Writer) Write(ctx context.Context, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	for i, r := range rows {
		if len(r) != len(w.columns) {
			return fmt.Errorf("store: writer %s: row %d has %d values for %d columns", w.table, i, len(r), len(w.columns))
		}
	}
	done := make(chan error, 1)
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrWriterClosed
	}
	w.pending = append(w.pending, rows...)
	w.waiters = append(w.waiters, done)
	full := len(w.pending) >= w.cfg.MaxRows
	if !full && w.timer == nil {
		w.timer = time.AfterFunc(w.cfg.MaxDelay, func() { _ = w.Flush(context.Background()) })
	}
	w.mu.Unlock()
	if full {
		go func() { _ = w.Flush(context.Background()) }()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		// The rows stay queued and will still be written; the caller just stops waiting.
		return ctx.Err()
	}
}

// Flush inserts whatever is queued now.
func (w *Writer) Flush(ctx context.Context) error {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	rows, waiters := w.pending, w.waiters
	w.pending, w.waiters = nil, nil
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	w.mu.Unlock()
	if len(rows) == 0 {
		return nil
	}
	err := w.insert(ctx, rows)
	for _, c := range waiters {
		c <- err
	}
	return err
}

func (w *Writer) insert(ctx context.Context, rows [][]any) error {
	return w.s.Insert(ctx, w.table, w.columns, len(rows), func(i int) []any { return rows[i] })
}

// Close flushes what is queued and refuses further writes.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	return w.Flush(ctx)
}
