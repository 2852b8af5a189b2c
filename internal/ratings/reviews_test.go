package ratings_test

import (
	"context"
	"math"
	"testing"

	"github.com/hitwage/hitwage/internal/ratings"
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
