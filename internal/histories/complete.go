package histories

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Document reports whether a format's file is one JSON document (a backup, a saved page), which
// a cut-off copy leaves unreadable from the cut on, as opposed to a file of lines (CSV), where a
// cut leaves one bad line.
func Document(f Format) bool {
	switch f {
	case HitTracker, HitDB, StatusDetails, Dashboard, Queue, ProlificSubs, ProlificStudy:
		return true
	}
	return false
}

// Complete reads a JSON document through and reports whether it is whole: one value whose
// brackets and strings all close, and nothing after it but whitespace. It checks no more than
// that (the import parses the values), at the speed of a byte scan, so an import can refuse a
// cut-off backup before storing any of it without parsing it twice.
func Complete(r io.Reader) error {
	br := bufio.NewReaderSize(r, 256<<10)
	var (
		off          int64
		sc           jsonScan
		started, end bool
	)
	if b, _ := br.Peek(3); len(b) == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		_, _ = br.Discard(3)
		off = 3
	}
	buf := make([]byte, 256<<10)
	for {
		n, err := br.Read(buf)
		for i := 0; i < n; i++ {
			i += sc.skip(buf[i:n])
			if i == n {
				break
			}
			c := buf[i]
			if sc.inString(c) {
				continue
			}
			switch c {
			case ' ', '\t', '\n', '\r':
				continue
			}
			if end {
				return fmt.Errorf("data after the end of the JSON document (byte %d)", off+int64(i))
			}
			if !started && c != '{' && c != '[' {
				return fmt.Errorf("not a JSON object or array (byte %d)", off+int64(i))
			}
			started = true
			switch c {
			case '{', '[':
				sc.depth++
			case '}', ']':
				if sc.depth--; sc.depth < 0 {
					return fmt.Errorf("a closing %q without its opening (byte %d)", c, off+int64(i))
				}
				end = sc.depth == 0
			}
		}
		off += int64(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if !end {
		return fmt.Errorf("the file ends before its JSON document does (cut off at byte %d): %w", off, io.ErrUnexpectedEOF)
	}
	return nil
}

// jsonScan follows a JSON text's strings and nesting a byte at a time, without parsing it:
// enough to find where a document or one of its values ends (Complete, the walker's fast mode).
type jsonScan struct {
	depth     int  // brackets open, outside strings
	str, esc  bool // in a string; after its backslash
	closedStr bool // the byte just scanned closed a string
}

// skip is how many of buf's first bytes are a string's plain text (no quote, no backslash),
// which change nothing: they are passed over at memory speed rather than one by one.
func (j *jsonScan) skip(buf []byte) int {
	if !j.str || j.esc {
		return 0
	}
	if k := bytes.IndexAny(buf, `"\\`); k >= 0 {
		return k
	}
	return len(buf)
}

// inString takes byte c and reports whether it belongs to a string, its quotes included; a
// byte it reports false for is structural (a bracket, a comma, white space, a scalar's).
func (j *jsonScan) inString(c byte) bool {
	j.closedStr = false
	switch {
	case !j.str:
		j.str = c == '"'
		return j.str
	case j.esc:
		j.esc = false
	case c == '\\':
		j.esc = true
	case c == '"':
		j.str, j.closedStr = false, true
	}
	return true
}
