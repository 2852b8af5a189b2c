package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Format is a record file or body format.
type Format string

// The formats Open detects.
const (
	NDJSON    Format = "ndjson"
	JSONArray Format = "json"
	CSV       Format = "csv"
)

// Item is one record read from a stream, or why the record at that place could not be read.
type Item struct {
	Line  int // where the record starts: the line for NDJSON and CSV, the record number in a JSON array
	Input Input
	Err   error // this record could not be parsed; the stream goes on
}

// Reader yields the records of one stream in order. Next returns io.EOF at the end and any
// other error when the rest of the stream cannot be read.
type Reader interface {
	Next() (*Item, error)
	Format() Format
}

// closeReader stops a reader that reads ahead (an io.Closer) when its caller is done with it.
func closeReader(rd Reader) {
	if c, ok := rd.(io.Closer); ok {
		_ = c.Close()
	}
}

// ReadOptions tune Open.
type ReadOptions struct {
	Mapping   Mapping // column and key renames; default none
	Delimiter rune    // CSV delimiter; default detected from the header line
	MaxLine   int     // longest NDJSON line in bytes; default 1 MiB
	OnlyJSON  bool    // refuse CSV (the API takes JSON only)
}

// ErrEmpty is returned by Open for a stream with no records.
var ErrEmpty = errors.New("ingest: no records (empty input)")

// Open detects the format of r (JSON array, NDJSON or CSV with its delimiter) and returns a
// streaming reader of its records. Memory use is bounded by the longest record, not the file.
func Open(r io.Reader, opts ReadOptions) (Reader, error) {
	if opts.MaxLine <= 0 {
		opts.MaxLine = 1 << 20
	}
	br := bufio.NewReaderSize(r, 256<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	lines := 0
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return nil, ErrEmpty
		}
		if err != nil {
			return nil, fmt.Errorf("ingest: read: %w", err)
		}
		switch c {
		case '\n':
			lines++
			continue
		case ' ', '\t', '\r':
			continue
		}
		_ = br.UnreadByte()
		switch {
		case c == '[':
			return newArrayReader(br, opts), nil
		case c == '{':
			return &ndjsonReader{br: br, line: lines, opts: opts}, nil
		case opts.OnlyJSON:
			return nil, fmt.Errorf("ingest: body is neither a JSON object, a JSON array nor NDJSON")
		default:
			return newCSVReader(br, lines, opts)
		}
	}
}
