package ingest

import "strings"

// decodeFlat fills in from a flat JSON object of string, number, boolean and null values
// with the exact field names, the shape the API documents, several times faster than
// encoding/json. It returns false for anything else (escapes, nesting, other keys, invalid
// JSON), and the caller then decodes with encoding/json, which gives the same result or
// the error to report. The fields share one copy of the line.
func decodeFlat(line []byte, in *Input) bool {
	b := string(line)
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipSpace(b, i+1) == len(b)
	}
	for {
		key, j, ok := flatString(b, i)
		if !ok {
			return false
		}
		i = skipSpace(b, j)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return false
		}
		var val Text
		switch c := b[i]; {
		case c == '"':
			s, j, ok := flatString(b, i)
			if !ok {
				return false
			}
			val, i = Text(s), j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i
			for j < len(b) && strings.IndexByte("0123456789+-.eE", b[j]) >= 0 {
				j++
			}
			if !validNumber(b[i:j]) {
				return false
			}
			val, i = Text(b[i:j]), j
		case c == 'n' && hasWord(b, i, "null"):
			val, i = "", i+4
		case c == 't' && hasWord(b, i, "true"):
			val, i = notScalar, i+4
		case c == 'f' && hasWord(b, i, "false"):
			val, i = notScalar, i+5
		default:
			return false
		}
		f := in.Field(key)
		if f == nil {
			return false
		}
		*f = val
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return skipSpace(b, i+1) == len(b)
		default:
			return false
		}
	}
}

func skipSpace(b string, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func hasWord(b string, i int, w string) bool {
	return len(b)-i >= len(w) && b[i:i+len(w)] == w
}

// flatString reads a JSON string without escapes or control characters starting at b[i].
func flatString(b string, i int) (string, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return "", i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return strings.ToValidUTF8(b[i+1:j], "\uFFFD"), j + 1, true
		case c == '\\' || c < 0x20:
			return "", i, false
		}
	}
	return "", i, false
}

// validNumber checks the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	start := i
	if n := digits(); n == 0 || (n > 1 && s[start] == '0') {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
