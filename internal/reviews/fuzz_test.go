package reviews_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/reviews"
)

// FuzzCheck decodes a review as POST /api/v1/reviews does and checks it: never a panic, and a
// review Check accepts is one the store and the averages can take (ratings absent or 1-5, text
// within MaxText characters, not empty).
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		`{"requester_id":"AREVIEWPKG00001","pay":3}`,
		`{"requester_id":"AREVIEWPKG00001","pay":null,"fairness":5,"text":"ok","tos_violation":true}`,
		`{"requester_id":"AREVIEWPKG00001","broken_task":true}`,
		`{"requester_id":"AREVIEWPKG00001","communication":0}`,
		`{"requester_id":"AREVIEWPKG00001","promptness":-3,"text":"\u00e9\u00e9"}`,
		`{"requester_id":"AREVIEWPKG00001","text":"   "}`,
		`{"requester_id":"nope","pay":9999999999999}`,
		`{"platform":"prolific","requester_id":"5f3c0a1b2c3d4e5f60718293","pay":2}`,
		`{"platform":"prolific","requester_id":"AREVIEWPKG00001","pay":2}`,
		`{"platform":"x","requester_id":"AREVIEWPKG00001","pay":2}`,
		`{}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in reviews.Input
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if dec.Decode(&in) != nil {
			return
		}
		ps := reviews.Check(in)
		for _, p := range ps {
			if p.Field == "" || p.Message == "" {
				t.Fatalf("a problem without a field or message: %+v", p)
			}
		}
		if len(ps) > 0 {
			return
		}
		if in.Key() == "" {
			t.Fatalf("accepted a review with no key: %s", body)
		}
		rated := false
		for _, v := range []*int{in.Pay, in.Fairness, in.Communication, in.Promptness} {
			if v != nil {
				rated = true
				if *v < 1 || *v > 5 {
					t.Fatalf("accepted rating %d", *v)
				}
			}
		}
		if utf8.RuneCountInString(in.Text) > reviews.MaxText {
			t.Fatalf("accepted %d characters", utf8.RuneCountInString(in.Text))
		}
		if !rated && strings.TrimSpace(in.Text) == "" && !in.TOSViolation && !in.BrokenTask {
			t.Fatalf("accepted an empty review: %s", body)
		}
	})
}
