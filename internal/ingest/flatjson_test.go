package ingest

import (
	"encoding/json"
	"testing"
)

func TestDecodeFlat(t *testing.T) {
	var in Input
	if !decodeFlat([]byte(` {"requester_id": "A3HWTESTREQ0001", "reward": 1.5, "bonus": null, "title": "a <b>", "status": true} `), &in) {
		t.Fatal("flat record not decoded")
	}
	if in.RequesterID != "A3HWTESTREQ0001" || in.Reward != "1.5" || in.Bonus != "" || in.Title != "a <b>" || in.Status != notScalar {
		t.Fatalf("decoded %+v", in)
	}
	for _, s := range []string{`{"title": "a\"b"}`, `{"Reward": 1}`, `{"extra": 1}`, `{"reward": {"a": 1}}`, `{"reward": 01}`, `{"reward": 1,}`, `{"reward": 1} x`} {
		if decodeFlat([]byte(s), &Input{}) {
			t.Errorf("decodeFlat accepted %s; encoding/json must handle it", s)
		}
	}
}

// FuzzDecodeFlat checks the fast path against encoding/json: whenever it accepts a record,
// encoding/json must accept it too and read the same fields.
func FuzzDecodeFlat(f *testing.F) {
	for _, s := range []string{`{"requester_id":"A3HWTESTREQ0001","reward":"1.50","duration_seconds":390}`, `{}`,
		`{"reward": -0.5e2, "status": null}`, `{"title":"\u00e9"}`, `{"title": "x", "title": "y"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fast Input
		if !decodeFlat(b, &fast) {
			return
		}
		var slow Input
		if err := json.Unmarshal(b, &slow); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v): %q", err, b)
		}
		if fast != slow {
			t.Fatalf("fast %+v != encoding/json %+v for %q", fast, slow, b)
		}
	})
}
