package reviews_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const (
	rid        = "AREVIEWPKG00001"
	prolificID = "5f3c0a1b2c3d4e5f60718293"
)

var r = reviews.Rating

func fields(ps []reviews.Problem) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return strings.Join(out, ",")
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		in   reviews.Input
		want string // the fields named, in order; "" = accepted
	}{
		{"all four ratings", reviews.Input{RequesterID: rid, Pay: r(1), Fairness: r(5), Communication: r(3), Promptness: r(4)}, ""},
		{"only a pay rating", reviews.Input{RequesterID: rid, Pay: r(2)}, ""},
		{"only a ToS flag", reviews.Input{RequesterID: rid, TOSViolation: true}, ""},
		{"only a broken-task flag", reviews.Input{RequesterID: rid, BrokenTask: true}, ""},
		{"only a text", reviews.Input{RequesterID: rid, Text: "Paid in a day."}, ""},
		{"empty", reviews.Input{RequesterID: rid}, "review"},
		{"blank text only", reviews.Input{RequesterID: rid, Text: " \n\t "}, "review"},
		{"a given 0 is not 'no rating'", reviews.Input{RequesterID: rid, Pay: r(0)}, "pay"},
		{"6 and -1", reviews.Input{RequesterID: rid, Fairness: r(6), Promptness: r(-1), Text: "x"}, "fairness,promptness"},
		{"bad requester", reviews.Input{RequesterID: "nope", Pay: r(3)}, "requester_id"},
		{"4,000 multi-byte characters", reviews.Input{RequesterID: rid, Text: strings.Repeat("é", 3000) + strings.Repeat("😀", 1000)}, ""},
		{"4,001 characters", reviews.Input{RequesterID: rid, Pay: r(3), Text: strings.Repeat("a", reviews.MaxText+1)}, "text"},
		{"invalid UTF-8", reviews.Input{RequesterID: rid, Text: "a\xffb"}, "text"},
		{"a Prolific researcher", reviews.Input{Platform: "prolific", RequesterID: prolificID, Pay: r(4)}, ""},
		{"an MTurk id named as Prolific's", reviews.Input{Platform: "prolific", RequesterID: rid, Pay: r(4)}, "requester_id"},
		{"a Prolific id named as MTurk's", reviews.Input{Platform: "mturk", RequesterID: prolificID, Pay: r(4)}, "requester_id"},
		{"an unknown platform", reviews.Input{Platform: "toloka", RequesterID: prolificID, Pay: r(4)}, "platform"},
	} {
		if got := fields(reviews.Check(c.in)); got != c.want {
			t.Errorf("%s: problems %q, want %q (%+v)", c.name, got, c.want, reviews.Check(c.in))
		}
	}
	// The length is counted in characters, and the message says so: 4,000 "é" are 8,000 bytes.
	if ps := reviews.Check(reviews.Input{RequesterID: rid, Text: strings.Repeat("é", 4001)}); len(ps) != 1 ||
		ps[0].Message != "is 4001 characters; at most 4000 (Unicode characters, not bytes)" {
		t.Errorf("long text: %+v", ps)
	}
	if ps := reviews.Check(reviews.Input{RequesterID: rid}); len(ps) != 1 || !strings.Contains(ps[0].Message, "at least one rating, a text or a flag") {
		t.Errorf("empty review: %+v", ps)
	}
}

// JSON: a rating left out or null is no rating; 0 given is a rating, and a bad one.
func TestInputJSON(t *testing.T) {
	var in reviews.Input
	if err := json.Unmarshal([]byte(`{"requester_id":"`+rid+`","pay":4,"fairness":null,"broken_task":true}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.Pay == nil || *in.Pay != 4 || in.Fairness != nil || in.Communication != nil || !in.BrokenTask || in.TOSViolation {
		t.Fatalf("decoded %+v", in)
	}
	if ps := reviews.Check(in); len(ps) != 0 {
		t.Fatalf("problems %+v", ps)
	}
	in = reviews.Input{}
	if err := json.Unmarshal([]byte(`{"requester_id":"`+rid+`","communication":0}`), &in); err != nil {
		t.Fatal(err)
	}
	if got := fields(reviews.Check(in)); got != "communication" {
		t.Fatalf("explicit 0: problems %q, want communication", got)
	}
}

type row struct {
	Pay, Fairness, Communication, Promptness uint8
	Text                                     string
	TOS, Broken                              bool
	Created, Updated                         time.Time
	Deleted                                  uint8
}

func rows(t *testing.T, s *store.Store, table, reporter string) []row {
	t.Helper()
	rs, err := s.Query(context.Background(), `SELECT pay, fairness, communication, promptness, text, tos_violation, broken_task,
		created_at, updated_at, deleted FROM `+table+` WHERE requester_id = {rid:String} AND reporter = {rep:String} ORDER BY updated_at`,
		store.Args{"rid": rid, "rep": reporter})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var x row
		if err := rs.Scan(&x.Pay, &x.Fairness, &x.Communication, &x.Promptness, &x.Text, &x.TOS, &x.Broken, &x.Created, &x.Updated, &x.Deleted); err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A new review replaces the old one (FINAL shows one row, the newest, with the first creation
// time), and review_history keeps every version, the withdrawal included, even after a merge.
func TestPutReplacesAndKeepsHistory(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	const rep = "reporter-1"
	if err := reviews.Put(ctx, s, rep, "", reviews.Input{RequesterID: rid, Pay: r(2), Text: "  Underpays.  "}, t0); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Put(ctx, s, rep, "", reviews.Input{RequesterID: rid, Fairness: r(1), TOSViolation: true, BrokenTask: true}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, "OPTIMIZE TABLE reviews FINAL", nil); err != nil {
		t.Fatal(err)
	}
	live := rows(t, s, "reviews", rep)
	want := row{Fairness: 1, TOS: true, Broken: true, Created: t0, Updated: t0.Add(time.Hour)}
	if len(live) != 1 || live[0] != want {
		t.Fatalf("live review %+v, want one %+v", live, want)
	}
	if err := reviews.Delete(ctx, s, rep, "", rid, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Delete(ctx, s, rep, "", rid, t0.Add(3*time.Hour)); err != reviews.ErrNotFound {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
	if err := s.Exec(ctx, "OPTIMIZE TABLE reviews FINAL", nil); err != nil {
		t.Fatal(err)
	}
	hist := rows(t, s, "review_history", rep)
	if len(hist) != 3 {
		t.Fatalf("history has %d versions, want 3: %+v", len(hist), hist)
	}
	if hist[0].Pay != 2 || hist[0].Fairness != 0 || hist[0].Text != "Underpays." || hist[0].TOS ||
		hist[1] != want || hist[2].Deleted != 1 || !hist[2].Created.Equal(t0) {
		t.Fatalf("history %+v", hist)
	}
}

// A Prolific review is stored under the researcher's platform-qualified key, apart from any MTurk
// requester, and withdrawn by that key.
func TestPutStoresUnderThePlatformsKey(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	in := reviews.Input{Platform: "Prolific", RequesterID: prolificID, Pay: r(5), Text: "Paid the bonus promptly."}
	if in.Key() != "prolific:"+prolificID {
		t.Fatalf("key %q", in.Key())
	}
	if err := reviews.Put(ctx, s, "reporter-p", "tok", in, t0); err != nil {
		t.Fatal(err)
	}
	var keys []string
	rs, err := s.Query(ctx, "SELECT requester_id FROM reviews FINAL", nil)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var k string
		if err := rs.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rs.Close()
	if strings.Join(keys, ",") != "prolific:"+prolificID {
		t.Fatalf("stored under %q", keys)
	}
	if err := reviews.Delete(ctx, s, "reporter-p", "tok", prolificID, t0.Add(time.Minute)); !errors.Is(err, reviews.ErrNotFound) {
		t.Fatalf("delete by the bare id: %v, want ErrNotFound (the key names the platform)", err)
	}
	if err := reviews.Delete(ctx, s, "reporter-p", "tok", in.Key(), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Put(ctx, s, "reporter-p", "tok", reviews.Input{Platform: "nope", RequesterID: prolificID, Pay: r(1)}, t0); err == nil {
		t.Fatal("a review on an unknown platform was stored")
	}
}
