package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

// poolSize is how many connections an embedded store runs statements on at once. chDB keeps
// bound parameters per connection, so a connection must run one statement at a time: two
// parameterised queries sharing one were seen to swap each other's values.
const poolSize = 4

// embedded runs queries on this process's chDB engine through a small pool of connections of its own.
type embedded struct {
	pool   chan *chdbConn
	all    []*chdbConn
	db     string
	closed chan struct{} // closed by close: statements after it fail at once

	insMu sync.Mutex // one insert stream at a time on ins
	ins   *chdbConn  // connection for insert streams

	mu    sync.Mutex
	types map[string]map[string]string // table -> column -> type, for batches
}

func openEmbedded(cfg Config) (*embedded, error) {
	if !identRe.MatchString(cfg.Database) || strings.Contains(cfg.Database, ".") {
		return nil, fmt.Errorf("store: bad database name %q", cfg.Database)
	}
	e := &embedded{pool: make(chan *chdbConn, poolSize), db: cfg.Database, types: map[string]map[string]string{}, closed: make(chan struct{})}
	for i := 0; i <= poolSize; i++ {
		c, err := openChdb(cfg.DataDir)
		if err != nil {
			e.closeAll()
			return nil, err
		}
		e.all = append(e.all, c)
		if i == 0 {
			if _, err := c.query("CREATE DATABASE IF NOT EXISTS "+cfg.Database, "TSV", nil); err != nil {
				e.closeAll()
				return nil, fmt.Errorf("store: create database %s: %w", cfg.Database, err)
			}
		}
		if _, err := c.query("USE "+cfg.Database, "TSV", nil); err != nil {
			e.closeAll()
			return nil, fmt.Errorf("store: use database %s: %w", cfg.Database, err)
		}
		if i == poolSize {
			e.ins = c
		} else {
			e.pool <- c
		}
	}
	return e, nil
}

// run executes on the engine; chDB cannot cancel a running statement, so a context that
// ends first returns its error at once and the statement finishes in the background.
func (e *embedded) run(ctx context.Context, query, format string, params map[string]string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	var c *chdbConn
	select {
	case c = <-e.pool:
	case <-e.closed:
		return nil, errStoreClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	go func() {
		out, err := c.query(query, format, params)
		e.pool <- c // back only once the statement is over, whoever stopped waiting for it
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (e *embedded) exec(ctx context.Context, query string, params map[string]string) error {
	_, err := e.run(ctx, query, "TSV", params)
	return err
}

func (e *embedded) query(ctx context.Context, query string, params map[string]string) (Rows, error) {
	out, err := e.run(ctx, query, "Native", params)
	if err != nil {
		return nil, err
	}
	return decodeNative(out)
}

// close waits for statements still running (a caller that stopped waiting leaves its statement
// to finish), then closes every connection: closing one under a running statement crashes chDB.
func (e *embedded) close() error {
	e.insMu.Lock()
	defer e.insMu.Unlock()
	select {
	case <-e.closed:
		return nil // already closed
	default:
	}
	for range cap(e.pool) { // every pooled connection back: no statement is running
		<-e.pool
	}
	close(e.closed)
	e.closeAll()
	return nil
}

// errStoreClosed is returned by statements on a closed store.
var errStoreClosed = errors.New("the store is closed")

// closeAll closes every connection at once; only for a store whose connections are idle.
func (e *embedded) closeAll() {
	for _, c := range e.all {
		c.closeRaw()
	}
	e.all = nil
}

// decodeNative reads every block of a Native-format result.
func decodeNative(out []byte) (*nativeRows, error) {
	r := &nativeRows{row: -1}
	if len(out) == 0 {
		return r, nil
	}
	reader := chproto.NewReader(bufio.NewReaderSize(bytes.NewReader(out), 64<<10))
	for {
		b := proto.NewBlock()
		if err := b.Decode(reader, 0); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("decode result: %w", err)
		}
		if r.cols == nil {
			r.cols = b.ColumnsNames()
		}
		if b.Rows() > 0 {
			r.blocks = append(r.blocks, b)
		}
	}
	return r, nil
}

// nativeRows walks decoded blocks row by row.
type nativeRows struct {
	blocks []*proto.Block
	cols   []string
	block  int
	row    int
}

func (r *nativeRows) Next() bool {
	for r.block < len(r.blocks) {
		if r.row+1 < r.blocks[r.block].Rows() {
			r.row++
			return true
		}
		r.block++
		r.row = -1
	}
	return false
}

func (r *nativeRows) Scan(dest ...any) error {
	if r.block >= len(r.blocks) || r.row < 0 {
		return errors.New("scan called without a row")
	}
	b := r.blocks[r.block]
	if len(dest) != len(b.Columns) {
		return fmt.Errorf("scan: %d destinations for %d columns", len(dest), len(b.Columns))
	}
	for i, c := range b.Columns {
		if err := c.ScanRow(dest[i], r.row); err != nil {
			return fmt.Errorf("scan column %s: %w", c.Name(), err)
		}
	}
	return nil
}

func (r *nativeRows) Columns() []string { return r.cols }
func (r *nativeRows) Err() error        { return nil }
func (r *nativeRows) Close() error      { r.blocks = nil; return nil }

func (e *embedded) columnTypes(ctx context.Context, table string) (map[string]string, error) {
	e.mu.Lock()
	t, ok := e.types[table]
	e.mu.Unlock()
	if ok {
		return t, nil
	}
	db, name := e.db, table
	if i := strings.IndexByte(table, '.'); i >= 0 {
		db, name = table[:i], table[i+1:]
	}
	rows, err := e.query(ctx, "SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String}",
		map[string]string{"db": db, "t": name})
	if err != nil {
		return nil, err
	}
	t = map[string]string{}
	for rows.Next() {
		var n, typ string
		if err := rows.Scan(&n, &typ); err != nil {
			return nil, err
		}
		t[n] = typ
	}
	if len(t) == 0 {
		return nil, fmt.Errorf("table %s does not exist (has the store been migrated?)", table)
	}
	e.mu.Lock()
	e.types[table] = t
	e.mu.Unlock()
	return t, nil
}

// forgetTypes drops cached column types after a schema change.
func (e *embedded) forgetTypes() {
	e.mu.Lock()
	e.types = map[string]map[string]string{}
	e.mu.Unlock()
}

func (e *embedded) prepareBatch(ctx context.Context, table string, columns []string) (Batch, error) {
	types, err := e.columnTypes(ctx, table)
	if err != nil {
		return nil, err
	}
	block := proto.NewBlock()
	for _, c := range columns {
		typ, ok := types[c]
		if !ok {
			return nil, fmt.Errorf("table %s has no column %s", table, c)
		}
		if err := block.AddColumn(c, column.Type(typ)); err != nil {
			return nil, fmt.Errorf("column %s %s: %w", c, typ, err)
		}
	}
	return &nativeBatch{e: e, ctx: ctx, table: table, columns: columns, block: block}, nil
}

// insertTimeout bounds one batch insert; a batch outlives the request context that prepared it.
const insertTimeout = 5 * time.Minute

// nativeBatch encodes rows as one Native block and sends it as INSERT ... FORMAT Native.
type nativeBatch struct {
	e       *embedded
	ctx     context.Context
	table   string
	columns []string
	block   *proto.Block
	rows    int
	sent    bool
}

func (b *nativeBatch) Append(values ...any) error {
	if b.sent {
		return errors.New("batch already sent")
	}
	if err := b.block.Append(values...); err != nil {
		return err
	}
	b.rows++
	return nil
}

func (b *nativeBatch) Rows() int { return b.rows }

func (b *nativeBatch) Abort() error {
	b.sent = true
	b.block = nil
	return nil
}

func (b *nativeBatch) Send() error {
	if b.sent {
		return errors.New("batch already sent")
	}
	b.sent = true
	if b.block.Rows() == 0 {
		return nil
	}
	// The block goes through chDB's insert stream on the store's own insert connection
	// (a connection runs no other statement while a stream is open). Not inline after
	// FORMAT Native: chDB cuts inline INSERT data at a blank line ("\n\n"), which binary data holds.
	var buf chproto.Buffer
	if err := b.block.Encode(&buf, 0); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	b.block = nil
	query := "INSERT INTO " + b.table + " (" + strings.Join(b.columns, ", ") + ")"
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx), insertTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		b.e.insMu.Lock()
		defer b.e.insMu.Unlock()
		select {
		case <-b.e.closed:
			done <- errStoreClosed
			return
		default:
		}
		done <- b.e.ins.insert(query, "Native", buf.Buf)
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	return err
}
