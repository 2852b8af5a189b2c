package histories

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The walker's fast stream: MTurk Suite backups hold up to millions of hits, and encoding/json's
// Decoder scans every one twice to hand it out (once to find its end, once to decode it), which
// made reading a backup slower than importing the same tasks from CSV. In fast mode the walker
// cuts each element of the stream key out of the bytes itself (tracking strings and nesting only;
// the element is then parsed, and so checked, by fastjson) and goes back to the Decoder for the
// keys after it. Other keys, and every other format, are read as before.

// mturkWalkFast is the walker's state while it cuts the stream key's elements itself.
const mturkWalkFast = mturkWalkDone + 1

// enterFast switches to cutting elements from the bytes the Decoder has not used yet.
func (w *mturkWalker) enterFast() {
	w.base = w.dec.InputOffset()
	w.br = bufio.NewReaderSize(io.MultiReader(w.dec.Buffered(), w.src), 256<<10)
	w.read = 0
	w.first = true
	w.state = mturkWalkFast
}

// fastNext moves to the next element of the stream in fast mode, leaving its raw JSON in w.raw.
// At the end of the stream it reads the rest of the document with a new Decoder.
func (w *mturkWalker) fastNext() (int, string, bool, error) {
	c, err := w.skipSpace()
	if err != nil {
		return 0, "", false, w.fail(err)
	}
	end := byte(']')
	if w.byID {
		end = '}'
	}
	if c == end {
		w.readByte()
		return 0, "", false, w.leaveFast()
	}
	if !w.first {
		if c != ',' {
			return 0, "", false, w.fail(fmt.Errorf("invalid character %q between records", c))
		}
		w.readByte()
		if c, err = w.skipSpace(); err != nil {
			return 0, "", false, w.fail(err)
		}
	}
	w.first = false
	w.n++
	id := ""
	if w.byID {
		if c != '"' {
			return 0, "", false, w.fail(fmt.Errorf("invalid character %q where a record's id should be", c))
		}
		w.raw = w.raw[:0]
		if err := w.cutString(); err != nil {
			return 0, "", false, w.fail(err)
		}
		if err := json.Unmarshal(w.raw, &id); err != nil {
			return 0, "", false, w.fail(err)
		}
		if c, err = w.skipSpace(); err != nil || c != ':' {
			if err == nil {
				err = fmt.Errorf("invalid character %q after a record's id", c)
			}
			return 0, "", false, w.fail(err)
		}
		w.readByte()
		if _, err = w.skipSpace(); err != nil {
			return 0, "", false, w.fail(err)
		}
	}
	w.raw = w.raw[:0]
	if err := w.cutValue(); err != nil {
		return 0, "", false, w.fail(err)
	}
	return w.n, id, true, nil
}

// leaveFast reads what follows the stream: more keys (read on by a new Decoder, given the rest
// of the document as an object of its own) or the end of the document.
func (w *mturkWalker) leaveFast() error {
	c, err := w.skipSpace()
	if err != nil {
		return w.fail(err)
	}
	switch c {
	case '}':
		w.readByte()
		if c, err := w.skipSpace(); err != io.EOF {
			if err == nil {
				err = fmt.Errorf("data after the end of the JSON object (%q)", c)
			}
			return w.fail(err)
		}
		w.state = mturkWalkDone
		return nil
	case ',':
		w.readByte()
		w.base += w.read - 1 // the "{" put in front stands where the comma was
		w.dec = json.NewDecoder(io.MultiReader(strings.NewReader("{"), w.br))
		w.dec.UseNumber()
		w.fastDone, w.state = true, mturkWalkKeys
		if _, err := w.dec.Token(); err != nil {
			return w.fail(err)
		}
		return nil
	}
	return w.fail(fmt.Errorf("invalid character %q after the records", c))
}

func (w *mturkWalker) readByte() {
	_, _ = w.br.ReadByte()
	w.read++
}

// skipSpace skips JSON whitespace and returns the next byte without consuming it.
func (w *mturkWalker) skipSpace() (byte, error) {
	for {
		c, err := w.br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			w.read++
			continue
		}
		_ = w.br.UnreadByte()
		return c, nil
	}
}

// cutValue appends one JSON value's bytes to w.raw: an object or array by its nesting, a
// string to its closing quote, anything else to the next delimiter. Its syntax is checked when
// it is parsed. It scans the reader's buffer a chunk at a time.
func (w *mturkWalker) cutValue() error {
	var sc jsonScan
	for {
		if w.br.Buffered() == 0 {
			if _, err := w.br.Peek(1); err != nil {
				return err
			}
		}
		buf, _ := w.br.Peek(w.br.Buffered())
		end := -1 // bytes of buf that end the value
		for i := 0; i < len(buf) && end < 0; i++ {
			if i += sc.skip(buf[i:]); i == len(buf) {
				break
			}
			c := buf[i]
			if sc.inString(c) {
				if sc.closedStr && sc.depth == 0 {
					end = i + 1
				}
				continue
			}
			switch c {
			case '{', '[':
				sc.depth++
			case '}', ']':
				if sc.depth == 0 { // the end of the enclosing list: a scalar ended here
					end = i
				} else if sc.depth--; sc.depth == 0 {
					end = i + 1
				}
			case ',', ' ', '\t', '\n', '\r':
				if sc.depth == 0 {
					end = i
				}
			}
		}
		if end < 0 {
			end = len(buf)
		}
		w.raw = append(w.raw, buf[:end]...)
		_, _ = w.br.Discard(end)
		w.read += int64(end)
		if end < len(buf) || (end == len(buf) && sc.depth == 0 && !sc.str && end > 0 && isValueEnd(buf[end-1])) {
			return nil
		}
	}
}

// isValueEnd reports whether a value's last byte closes it (an object, array or string).
func isValueEnd(c byte) bool { return c == '}' || c == ']' || c == '"' }

// cutString appends one JSON string, quotes included, to w.raw.
func (w *mturkWalker) cutString() error {
	c, err := w.br.ReadByte()
	if err != nil {
		return err
	}
	w.raw = append(w.raw, c)
	w.read++
	for {
		s, err := w.br.ReadSlice('"')
		w.raw = append(w.raw, s...)
		w.read += int64(len(s))
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return err
		}
		// The quote ends the string unless an odd number of backslashes escapes it.
		n := 0
		for i := len(w.raw) - 2; i >= 0 && w.raw[i] == '\\'; i-- {
			n++
		}
		if n%2 == 0 {
			return nil
		}
	}
}
