package histories

import (
	"bufio"
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
		depth        int
		inStr, esc   bool
		started, end bool
	)
	if b, _ := br.Peek(3); len(b) == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		_, _ = br.Discard(3)
		off = 3
	}
	for {
		buf, err := br.Peek(br.Buffered())
		if len(buf) == 0 {
			if _, err = br.Peek(1); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return err
			}
			continue
		}
		for i, c := range buf {
			if inStr {
				switch {
				case esc:
					esc = false
				case c == '\\':
					esc = true
				case c == '"':
					inStr = false
				}
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
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth < 0 {
					return fmt.Errorf("a closing %q without its opening (byte %d)", c, off+int64(i))
				}
				if depth == 0 {
					end = true
				}
			}
		}
		off += int64(len(buf))
		_, _ = br.Discard(len(buf))
		_ = err
	}
	if !end {
		return fmt.Errorf("the file ends before its JSON document does (cut off at byte %d): %w", off, io.ErrUnexpectedEOF)
	}
	return nil
}
