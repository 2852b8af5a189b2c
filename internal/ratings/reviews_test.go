package ratings_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// Every rating is optional: the reviews component averages each rating over the reviews that
// give it, and a review with only a text or a flag adds nothing to the stars or to their count.
func TestReviewsComponentIgnoresMissingRatings(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	const rid = "APARTIALRATED01"
	r := reviews.Rating
	for rep, in := range map[string]reviews.Input{
		"w0": {Pay: r(5)},
		"w1": {Fairness: r(2)},
		"w2": {Text: "Could not submit.", BrokenTask: true, TOSViolation: true},
		"w3": {Pay: r(3), Communication: r(4)},
	} {
		in.RequesterID = rid
		if err := reviews.Put(ctx, s, rep, "", in, t0); err != nil {
			t.Fatal(err)
		}
	}
	got, ok := refreshed(t, s).Get(rid)
	if !ok {
		t.Fatal("the reviewed requester has no rating")
	}
	// pay (5+3)/2 = 4, fairness 2, communication 4, promptness none: (4+2+4)/3 stars from 3 rating reviews.
	// Counting missing ratings as 0 would give pay (5+0+0+3)/4 = 2 and 4 reviews.
	c, _ := got.Component(ratings.Reviews)
	if got.Reviews != 3 || c.N != 3 || c.Raw == nil || math.Abs(*c.Raw-10.0/3) > 1e-9 {
		t.Fatalf("reviews %d, component %+v (raw %v), want 3 reviews and 3.33 stars", got.Reviews, c, deref(c.Raw))
	}
	if want := "Rated 3.3 of 5 on average (pay 4.0, fairness 2.0, communication 4.0, promptness n/a) in 3 reviews."; c.Explanation != want {
		t.Errorf("explanation %q, want %q", c.Explanation, want)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// A review possibly by the requester itself (its token's task reports are all for this requester
// and it rates it 5) and a review three readers flagged leave the reviews component as it was
// without them; the market's averages too.
func TestOwnAndHiddenReviewsDoNotCount(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	const rid = "ASELFREVIEWED01"
	r := reviews.Rating
	h, err := records.NewHasher([]byte("ratings-reviews-test-key-00"))
	if err != nil {
		t.Fatal(err)
	}
	if err := reviews.Put(ctx, s, "w0", "", reviews.Input{RequesterID: rid, Pay: r(2), Fairness: r(2)}, t0); err != nil {
		t.Fatal(err)
	}
	before, _ := refreshed(t, s).Get(rid)
	beforeC, _ := before.Component(ratings.Reviews)

	// The requester's own token: its only task reports are of this requester.
	var recs []records.Record
	for i := 0; i < 3; i++ {
		rc := rec(rid, "self", fmt.Sprintf("3SELFASSIGN%04d", i), "1.00", i*10, 300, records.Approved)
		rc.Via = "tokSelf"
		recs = append(recs, rc)
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	five := reviews.Input{RequesterID: rid, Pay: r(5), Fairness: r(5), Communication: r(5), Promptness: r(5), Text: "Best requester ever"}
	if err := reviews.Save(ctx, s, reviews.AuthorOf(h, "tokSelf", "", false), five, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// A troll's review, hidden by three readers.
	if err := reviews.Put(ctx, s, "troll", "", reviews.Input{RequesterID: rid, Pay: r(5), Fairness: r(5), Text: "spam"}, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	var trollID string
	if err := s.QueryRow(ctx, `SELECT review_id FROM live_reviews WHERE author = 'troll'`, nil, &trollID); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"f1", "f2", "f3"} {
		if _, err := reviews.Flag(ctx, s, rid, trollID, f, "spam", t0.Add(3*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}

	after, _ := refreshed(t, s).Get(rid)
	c, _ := after.Component(ratings.Reviews)
	if after.Reviews != 1 || c.N != beforeC.N || c.Raw == nil || beforeC.Raw == nil || *c.Raw != *beforeC.Raw || *c.Raw != 2 {
		t.Fatalf("with an own and a hidden review: %d reviews, component %+v (raw %v); before %+v (raw %v)",
			after.Reviews, c, deref(c.Raw), beforeC, deref(beforeC.Raw))
	}
	market := refreshed(t, s).Market(platform.MTurk)
	if m, _ := market.Component(ratings.Reviews); m.Raw == nil || *m.Raw != 2 {
		t.Fatalf("the market's reviews component %+v (raw %v), want 2 stars from the one counted review", m, deref(m.Raw))
	}
}
