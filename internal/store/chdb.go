package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// ErrLibraryMissing reports that libchdb.so could not be found or loaded.
var ErrLibraryMissing = errors.New("store: libchdb.so not found")

// ErrDataLocked reports that another process has the embedded store's data directory open.
var ErrDataLocked = errors.New("store: data directory is in use by another process")

// ChdbVersion is the pinned npm version of @chdb/lib-linux-x64-gnu that the Makefile fetches.
const ChdbVersion = "26.7.3-stable.1"

// chdbLib holds the C entry points of libchdb.so bound with purego (no cgo).
type chdbLib struct {
	connect        func(argc int32, argv **byte) *uintptr
	closeConn      func(conn *uintptr)
	queryWithParam func(conn uintptr, query unsafe.Pointer, qlen uintptr, format unsafe.Pointer, flen uintptr,
		names unsafe.Pointer, nameLens unsafe.Pointer, values unsafe.Pointer, valueLens unsafe.Pointer, count uintptr) uintptr
	queryN        func(conn uintptr, query unsafe.Pointer, qlen uintptr, format unsafe.Pointer, flen uintptr) uintptr
	resultBuffer  func(res uintptr) *byte
	resultLength  func(res uintptr) uintptr
	resultError   func(res uintptr) string
	destroyResult func(res uintptr)
	signals       func(enabled int32)

	streamQuery func(conn uintptr, query unsafe.Pointer, qlen uintptr, format unsafe.Pointer, flen uintptr,
		names unsafe.Pointer, nameLens unsafe.Pointer, values unsafe.Pointer, valueLens unsafe.Pointer, count uintptr) uintptr
	streamFetch  func(conn uintptr, stream uintptr) uintptr
	streamCancel func(conn uintptr, stream uintptr)

	insertStream  func(conn uintptr, query unsafe.Pointer, qlen uintptr, format unsafe.Pointer, flen uintptr) uintptr
	insertError   func(stream uintptr) string
	streamAppend  func(stream uintptr, data unsafe.Pointer, n uintptr) int32
	streamDone    func(stream uintptr) uintptr
	destroyStream func(stream uintptr)
}

var (
	libOnce   sync.Once
	libLoaded *chdbLib
	libErr    error
	libPath   string
)

// LibraryPath returns where libchdb.so is looked for: $HITWAGE_CHDB_LIB, else the
// per-user cache that `make` fills ($XDG_CACHE_HOME/hitwage/chdb/VERSION/libchdb.so).
func LibraryPath() string {
	if p := os.Getenv("HITWAGE_CHDB_LIB"); p != "" {
		return p
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "/tmp"
		}
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "hitwage", "chdb", ChdbVersion, "libchdb.so")
}

func loadChdb() (*chdbLib, error) {
	libOnce.Do(func() {
		libPath = LibraryPath()
		if _, err := os.Stat(libPath); err != nil {
			libErr = fmt.Errorf("%w at %s: run `make chdb` (or set HITWAGE_CHDB_LIB to its path)", ErrLibraryMissing, libPath)
			return
		}
		h, err := purego.Dlopen(libPath, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			libErr = fmt.Errorf("%w: load %s: %v: delete it and run `make chdb`", ErrLibraryMissing, libPath, err)
			return
		}
		l := &chdbLib{}
		for name, fn := range map[string]any{
			"chdb_connect":                     &l.connect,
			"chdb_close_conn":                  &l.closeConn,
			"chdb_query_with_params_n":         &l.queryWithParam,
			"chdb_query_n":                     &l.queryN,
			"chdb_result_buffer":               &l.resultBuffer,
			"chdb_result_length":               &l.resultLength,
			"chdb_result_error":                &l.resultError,
			"chdb_destroy_query_result":        &l.destroyResult,
			"chdb_set_signal_handlers_enabled": &l.signals,
			"chdb_stream_insert_n":             &l.insertStream,
			"chdb_stream_query_with_params_n":  &l.streamQuery,
			"chdb_stream_fetch_result":         &l.streamFetch,
			"chdb_stream_cancel_query":         &l.streamCancel,
			"chdb_stream_insert_error":         &l.insertError,
			"chdb_stream_append":               &l.streamAppend,
			"chdb_stream_done":                 &l.streamDone,
			"chdb_destroy_insert_stream":       &l.destroyStream,
		} {
			sym, err := purego.Dlsym(h, name)
			if err != nil {
				libErr = fmt.Errorf("%w: %s lacks %s (want @chdb/lib-linux-x64-gnu %s): %v", ErrLibraryMissing, libPath, name, ChdbVersion, err)
				return
			}
			purego.RegisterFunc(fn, sym)
		}
		keepGoSignalHandlers(func() { l.signals(0) })
		libLoaded = l
	})
	return libLoaded, libErr
}

// chdbConn is one chDB connection. The engine boots once per process on one data path;
// each Store gets its own connection, which keeps its own current database and settings.
type chdbConn struct {
	lib  *chdbLib
	ptr  *uintptr // chdb_connection* as returned by chdb_connect
	conn uintptr  // *ptr
}

// engine is the process's booted chDB: its path, the directory lock and a keeper connection
// that stays open so the engine is not shut down and rebooted when a Store closes.
var engine struct {
	sync.Mutex
	path   string
	lock   *dirLock
	keeper *chdbConn
}

func connectChdb(lib *chdbLib, dataDir string) *chdbConn {
	args := []string{"hitwage", "--path=" + dataDir}
	cargs := make([]*byte, len(args)+1)
	keep := make([][]byte, len(args))
	for i, a := range args {
		keep[i] = append([]byte(a), 0)
		cargs[i] = &keep[i][0]
	}
	var ptr *uintptr
	keepGoSignalHandlers(func() { ptr = lib.connect(int32(len(args)), &cargs[0]) })
	runtime.KeepAlive(keep)
	if ptr == nil || *ptr == 0 {
		return nil
	}
	return &chdbConn{lib: lib, ptr: ptr, conn: *ptr}
}

// openChdb returns a new connection to the embedded engine at dataDir, booting it on first use.
func openChdb(dataDir string) (*chdbConn, error) {
	lib, err := loadChdb()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("store: data directory %q: %w", dataDir, err)
	}
	if err := detachStdin(); err != nil {
		return nil, err
	}
	engine.Lock()
	defer engine.Unlock()
	if engine.path != "" && engine.path != abs {
		return nil, fmt.Errorf("store: the embedded engine is already open on %s in this process; chDB allows one data directory per process", engine.path)
	}
	if engine.path == "" {
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("store: create data directory %s: %w (fix its permissions or pass another --data)", abs, err)
		}
		lock, err := lockDir(abs)
		if err != nil {
			return nil, err
		}
		keeper := connectChdb(lib, abs)
		if keeper == nil {
			lock.release()
			return nil, fmt.Errorf("store: chDB could not open %s: check that it is a readable, writable ClickHouse data directory", abs)
		}
		if _, err := keeper.query("SELECT 1", "TSV", nil); err != nil {
			keeper.closeRaw()
			lock.release()
			if strings.Contains(err.Error(), "Cannot lock file") {
				return nil, fmt.Errorf("%w: %s (stop the other process, or give this one another --data directory)", ErrDataLocked, abs)
			}
			return nil, fmt.Errorf("store: chDB at %s: %w", abs, err)
		}
		engine.path, engine.lock, engine.keeper = abs, lock, keeper
	}
	c := connectChdb(lib, abs)
	if c == nil {
		return nil, fmt.Errorf("store: chDB refused a new connection to %s", abs)
	}
	return c, nil
}

// ShutdownEmbedded stops the process's embedded engine and releases the data directory.
// Call it once, at exit, after every Store is closed.
func ShutdownEmbedded() {
	engine.Lock()
	defer engine.Unlock()
	if engine.keeper != nil {
		engine.keeper.closeRaw()
		engine.keeper = nil
	}
	engine.lock.release()
	engine.lock = nil
	engine.path = ""
}

// query runs one statement with bound parameters and returns the formatted output.
func (c *chdbConn) query(q, format string, params map[string]string) ([]byte, error) {
	qb, fb := []byte(q), []byte(format)
	if len(qb) == 0 {
		return nil, errors.New("empty query")
	}
	var res uintptr
	if len(params) == 0 {
		res = c.lib.queryN(c.conn, unsafe.Pointer(&qb[0]), uintptr(len(qb)), unsafe.Pointer(&fb[0]), uintptr(len(fb)))
	} else {
		p := newCParams(params)
		res = c.lib.queryWithParam(c.conn, unsafe.Pointer(&qb[0]), uintptr(len(qb)), unsafe.Pointer(&fb[0]), uintptr(len(fb)),
			p.names(), p.nameLens(), p.values(), p.valueLens(), p.count())
		runtime.KeepAlive(p)
	}
	runtime.KeepAlive(qb)
	runtime.KeepAlive(fb)
	if res == 0 {
		return nil, errors.New("chDB returned no result")
	}
	defer c.lib.destroyResult(res)
	if err := chdbError(c.lib.resultError(res)); err != nil {
		return nil, err
	}
	n := c.lib.resultLength(res)
	if n == 0 {
		return nil, nil
	}
	buf := c.lib.resultBuffer(res)
	out := make([]byte, n)
	copy(out, unsafe.Slice(buf, n))
	return out, nil
}

func (c *chdbConn) closeRaw() {
	if c.ptr != nil {
		c.lib.closeConn(c.ptr)
		c.ptr = nil
	}
}

// insert streams binary data in format into an INSERT statement (given without FORMAT),
// through chDB's insert stream: binary-safe and without re-parsing the data as query text.
func (c *chdbConn) insert(query, format string, data []byte) error {
	qb, fb := []byte(query), []byte(format)
	st := c.lib.insertStream(c.conn, unsafe.Pointer(&qb[0]), uintptr(len(qb)), unsafe.Pointer(&fb[0]), uintptr(len(fb)))
	runtime.KeepAlive(qb)
	runtime.KeepAlive(fb)
	if st == 0 {
		return errors.New("chDB returned no insert stream")
	}
	defer c.lib.destroyStream(st)
	if err := chdbError(c.lib.insertError(st)); err != nil {
		return err
	}
	const chunk = 4 << 20
	for off := 0; off < len(data); off += chunk {
		end := min(off+chunk, len(data))
		if rc := c.lib.streamAppend(st, unsafe.Pointer(&data[off]), uintptr(end-off)); rc != 0 {
			msg := strings.TrimSpace(c.lib.insertError(st))
			if msg == "" {
				msg = fmt.Sprintf("append failed with code %d", rc)
			}
			return errors.New(msg)
		}
	}
	runtime.KeepAlive(data)
	res := c.lib.streamDone(st)
	if res == 0 {
		if err := chdbError(c.lib.insertError(st)); err != nil {
			return err
		}
		return errors.New("chDB returned no result for the insert")
	}
	defer c.lib.destroyResult(res)
	return chdbError(c.lib.resultError(res))
}

// stream runs a SELECT and hands its output in format to emit chunk by chunk, so a result of
// any size passes through bounded memory. The connection runs nothing else meanwhile.
func (c *chdbConn) stream(ctx context.Context, query, format string, params map[string]string, emit func([]byte) error) error {
	qb, fb := []byte(query), []byte(format)
	p := newCParams(params)
	st := c.lib.streamQuery(c.conn, unsafe.Pointer(&qb[0]), uintptr(len(qb)), unsafe.Pointer(&fb[0]), uintptr(len(fb)),
		p.names(), p.nameLens(), p.values(), p.valueLens(), p.count())
	runtime.KeepAlive(p)
	runtime.KeepAlive(qb)
	runtime.KeepAlive(fb)
	if st == 0 {
		return errors.New("chDB returned no stream")
	}
	defer c.lib.destroyResult(st)
	if err := chdbError(c.lib.resultError(st)); err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			c.lib.streamCancel(c.conn, st)
			return err
		}
		chunk := c.lib.streamFetch(c.conn, st)
		if chunk == 0 {
			return errors.New("chDB returned no chunk")
		}
		if err := chdbError(c.lib.resultError(chunk)); err != nil {
			c.lib.destroyResult(chunk)
			return err
		}
		size := c.lib.resultLength(chunk)
		if size == 0 {
			c.lib.destroyResult(chunk)
			return nil
		}
		err := emit(unsafe.Slice(c.lib.resultBuffer(chunk), size))
		c.lib.destroyResult(chunk)
		if err != nil {
			c.lib.streamCancel(c.conn, st)
			return err
		}
	}
}

// chdbError turns a chDB error message into an error; nil when the message is empty.
func chdbError(msg string) error {
	if msg = strings.TrimSpace(msg); msg != "" {
		return errors.New(msg)
	}
	return nil
}

// cParams lays bound parameters out as the C arrays chDB takes: names and values as
// NUL-terminated byte strings with their lengths. Keep it alive until the call returns.
type cParams struct {
	nameP, valueP []*byte
	nameL, valueL []uintptr
	keep          [][]byte
}

func newCParams(params map[string]string) *cParams {
	n := len(params)
	// One spare slot so the arrays have an address even when there are no parameters.
	p := &cParams{nameP: make([]*byte, n+1), valueP: make([]*byte, n+1), nameL: make([]uintptr, n+1), valueL: make([]uintptr, n+1)}
	i := 0
	for k, v := range params {
		kb, vb := append([]byte(k), 0), append([]byte(v), 0)
		p.keep = append(p.keep, kb, vb)
		p.nameP[i], p.nameL[i] = &kb[0], uintptr(len(k))
		p.valueP[i], p.valueL[i] = &vb[0], uintptr(len(v))
		i++
	}
	return p
}

func (p *cParams) names() unsafe.Pointer     { return unsafe.Pointer(&p.nameP[0]) }
func (p *cParams) nameLens() unsafe.Pointer  { return unsafe.Pointer(&p.nameL[0]) }
func (p *cParams) values() unsafe.Pointer    { return unsafe.Pointer(&p.valueP[0]) }
func (p *cParams) valueLens() unsafe.Pointer { return unsafe.Pointer(&p.valueL[0]) }
func (p *cParams) count() uintptr            { return uintptr(len(p.keep) / 2) }
