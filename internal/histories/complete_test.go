package histories

import (
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	whole := `{"hits": [{"title": "a } ] \" quote", "x": [1, {"y": null}]}], "days": {}}` + "\n"
	if err := Complete(strings.NewReader("\uFEFF" + whole)); err != nil {
		t.Errorf("whole document: %v", err)
	}
	for _, bad := range []string{
		whole[:len(whole)/2],   // cut off
		whole[:len(whole)-3],   // the last brace missing
		`{"a": "unterminated}`, // a string that never ends
		whole + `{"again": 1}`, // two documents
		`{"a": 1}}`,            // a stray closing brace
		"",                     // nothing
		`"just a string"`,      // not an object or array
	} {
		if err := Complete(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: complete", bad)
		}
	}
}

func FuzzComplete(f *testing.F) {
	f.Add(`{"hits": []}`)
	f.Add(`[{"a": "\\"}]`)
	f.Fuzz(func(t *testing.T, s string) {
		_ = Complete(strings.NewReader(s)) // never panics
	})
}
