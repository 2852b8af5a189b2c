package store_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

type countingWriter struct {
	lines, writes int
	last          []byte
}

func (w *countingWriter) Write(b []byte) (int, error) {
	w.writes++
	w.lines += bytes.Count(b, []byte{'\n'})
	w.last = append(w.last[:0], b...)
	return len(b), nil
}

func TestExportStreamsInChunks(t *testing.T) {
	s := storetest.New(t)
	var w countingWriter
	err := s.Export(context.Background(), "SELECT number, toString(number) AS s, {tag:String} AS tag FROM numbers({n:UInt64})",
		store.Args{"n": 300000, "tag": "it's"}, "TSV", &w)
	if err != nil {
		t.Fatal(err)
	}
	if w.lines != 300000 {
		t.Fatalf("%d lines, want 300000", w.lines)
	}
	if w.writes < 2 {
		t.Fatalf("the export arrived in %d write(s); it should stream in chunks", w.writes)
	}
	if !strings.HasSuffix(string(w.last), "299999\t299999\tit\\'s\n") {
		t.Fatalf("last chunk ends %q", w.last[max(0, len(w.last)-40):])
	}
}

func TestExportFormatsAndErrors(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	var buf bytes.Buffer
	if err := s.Export(ctx, "SELECT 1 AS a, 'x' AS b", nil, "CSVWithNames", &buf); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	sc.Scan()
	if sc.Text() != `"a","b"` {
		t.Fatalf("header %q", sc.Text())
	}
	buf.Reset()
	if err := s.Export(ctx, "SELECT * FROM no_such_table", nil, "CSV", &buf); err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("a bad query must fail with its cause: %v", err)
	}
	if err := s.Export(ctx, "SELECT 1", nil, "CSV; DROP", &buf); err == nil {
		t.Fatal("a bad format name must be refused")
	}
	if err := s.Export(ctx, "SELECT 1", nil, "Parquet", &buf); err == nil || !strings.Contains(err.Error(), "row format") {
		t.Fatalf("a whole-file format must be refused: %v", err)
	}
	// A header format over many chunks has its header once and every row.
	buf.Reset()
	if err := s.Export(ctx, "SELECT number AS n FROM numbers(200000)", nil, "CSVWithNames", &buf); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), `"n"`); got != 1 {
		t.Fatalf("header written %d times", got)
	}
	if got := strings.Count(buf.String(), "\n"); got != 200001 {
		t.Fatalf("%d lines, want 200001", got)
	}
	stop := errors.New("stop")
	err := s.Export(ctx, "SELECT number FROM numbers(10000000)", nil, "TSV", writerFunc(func(b []byte) (int, error) { return 0, stop }))
	if !errors.Is(err, stop) {
		t.Fatalf("a failing writer must end the export with its error: %v", err)
	}
	// The store still answers afterwards.
	var one uint8
	if err := s.QueryRow(ctx, "SELECT 1", nil, &one); err != nil || one != 1 {
		t.Fatalf("store after export: %v", err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
