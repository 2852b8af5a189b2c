package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ndjsonReader reads one JSON object per line; a bad line is reported and skipped.
type ndjsonReader struct {
	br   *bufio.Reader
	line int
	opts ReadOptions
	buf  []byte
}

func (r *ndjsonReader) Format() Format { return NDJSON }

func (r *ndjsonReader) Next() (*Item, error) {
	for {
		line, tooLong, err := r.readLine()
		if err != nil {
			return nil, err
		}
		r.line++
		if tooLong {
			return &Item{Line: r.line, Err: fmt.Errorf("line is longer than %d bytes", r.opts.MaxLine)}, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		it := &Item{Line: r.line}
		it.Err = decodeObject(line, r.opts.Mapping, &it.Input)
		return it, nil
	}
}

// readLine returns the next line without its newline, or tooLong when it exceeds MaxLine
// (the line is then skipped whole). It returns io.EOF only when nothing is left.
func (r *ndjsonReader) readLine() (line []byte, tooLong bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(r.buf)+len(chunk) > r.opts.MaxLine {
				tooLong, r.buf = true, r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		switch {
		case err == nil:
			return r.buf, tooLong, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(r.buf) == 0 && !tooLong && len(chunk) == 0 {
				return nil, false, io.EOF
			}
			return r.buf, tooLong, nil
		default:
			return nil, false, fmt.Errorf("ingest: read line %d: %w", r.line+1, err)
		}
	}
}

// arrayReader reads a JSON array of objects. A malformed element that is still valid JSON
// is reported and skipped; a syntax error ends the stream, since nothing after it can be trusted.
type arrayReader struct {
	dec     *json.Decoder
	n       int
	opts    ReadOptions
	started bool
	done    bool
}

func newArrayReader(r io.Reader, opts ReadOptions) *arrayReader {
	return &arrayReader{dec: json.NewDecoder(r), opts: opts}
}

func (r *arrayReader) Format() Format { return JSONArray }

func (r *arrayReader) Next() (*Item, error) {
	if r.done {
		return nil, io.EOF
	}
	if !r.started {
		r.started = true
		if _, err := r.dec.Token(); err != nil {
			return nil, fmt.Errorf("ingest: JSON array: %w", err)
		}
	}
	if !r.dec.More() {
		r.done = true
		if _, err := r.dec.Token(); err != nil {
			return nil, fmt.Errorf("ingest: JSON array after record %d: %w", r.n, err)
		}
		return nil, io.EOF
	}
	r.n++
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		r.done = true
		return nil, fmt.Errorf("ingest: JSON array record %d: %w", r.n, err)
	}
	it := &Item{Line: r.n}
	it.Err = decodeObject(raw, r.opts.Mapping, &it.Input)
	return it, nil
}

// decodeObject fills in from one JSON object, renaming keys through m when it has entries.
func decodeObject(b []byte, m Mapping, in *Input) error {
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not a JSON object")
	}
	if len(m) == 0 {
		if decodeFlat(b, in) {
			return nil
		}
		*in = Input{}
		if err := json.Unmarshal(b, in); err != nil {
			return jsonError(err)
		}
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return jsonError(err)
	}
	for k, v := range obj {
		if f := m.field(k); f != "" {
			if err := in.Field(f).UnmarshalJSON(v); err != nil {
				return jsonError(err)
			}
		}
	}
	return nil
}

func jsonError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %s", se.Offset, se.Error())
	}
	return fmt.Errorf("invalid JSON: %s", err.Error())
}
