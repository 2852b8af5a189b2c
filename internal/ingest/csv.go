package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvReader reads a CSV file with a header row; the header names the fields, directly or
// through the mapping. A line with a broken quote or the wrong number of fields is
// reported and skipped.
type csvReader struct {
	cr      *csv.Reader
	cols    []*Text  // per column, where its value goes (nil: ignored)
	fields  []string // per column, the field name or ""
	ignored []string // header names that map to no field
	offset  int      // blank lines before the header
	lastErr string
	repeats int
}

func newCSVReader(br *bufio.Reader, offset int, opts ReadOptions) (*csvReader, error) {
	delim := opts.Delimiter
	if delim == 0 {
		head, _ := br.Peek(br.Buffered())
		if len(head) == 0 {
			head, _ = br.Peek(64 << 10)
		}
		delim = sniffDelimiter(head)
	}
	cr := csv.NewReader(br)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("ingest: CSV header on line %d: %w", offset+1, err)
	}
	r := &csvReader{cr: cr, offset: offset, fields: make([]string, len(header))}
	seen := map[string]string{}
	for i, h := range header {
		f := opts.Mapping.field(h)
		if f == "" {
			r.ignored = append(r.ignored, strings.TrimSpace(h))
			continue
		}
		if prev, dup := seen[f]; dup {
			return nil, fmt.Errorf("ingest: CSV header: columns %q and %q both map to %s", prev, h, f)
		}
		seen[f] = h
		r.fields[i] = f
	}
	if _, ok := seen["requester_id"]; !ok {
		return nil, fmt.Errorf("ingest: CSV header on line %d names no requester_id column (header: %s); name the columns with --map \"Column=field,...\"",
			offset+1, strings.Join(header, string(delim)))
	}
	return r, nil
}

func (r *csvReader) Format() Format { return CSV }

// Ignored lists the header columns that map to no record field.
func (r *csvReader) Ignored() []string { return r.ignored }

func (r *csvReader) Next() (*Item, error) {
	for {
		rec, err := r.cr.Read()
		line, _ := r.cr.FieldPos(0)
		line += r.offset
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("ingest: read CSV: %w", err)
			}
			// The reader resumes after a parse error; guard against one that never moves on.
			if pe.Error() == r.lastErr {
				r.repeats++
				if r.repeats > 3 {
					return nil, fmt.Errorf("ingest: CSV line %d: %w", pe.StartLine+r.offset, pe.Err)
				}
			}
			r.lastErr = pe.Error()
			return &Item{Line: pe.StartLine + r.offset, Err: fmt.Errorf("broken CSV: %s", pe.Err.Error())}, nil
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		it := &Item{Line: line}
		if len(rec) != len(r.fields) {
			it.Err = fmt.Errorf("has %d fields, the header has %d", len(rec), len(r.fields))
			return it, nil
		}
		for i, v := range rec {
			if f := r.fields[i]; f != "" {
				*it.Input.Field(f) = Text(strings.ToValidUTF8(v, "\uFFFD"))
			}
		}
		return it, nil
	}
}

// sniffDelimiter picks the delimiter that occurs most often outside quotes in the first line.
func sniffDelimiter(head []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		switch c {
		case ',', ';', '\t', '|':
			counts[c]++
		}
	}
	best, n := byte(','), 0
	for _, c := range []byte{',', '\t', ';', '|'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}
