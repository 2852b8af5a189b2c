package lookup_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// Each rating is averaged over the reviews that give it, each reporter's latest live review
// counting once; flags are counted.
func TestReviewAveragesIgnoreMissingRatings(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	const rid = "ALOOKUPREVIEW01"
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	r := reviews.Rating
	put := func(rep string, at int, in reviews.Input) {
		t.Helper()
		in.RequesterID = rid
		if err := reviews.Put(ctx, s, rep, "", in, t0.Add(time.Duration(at)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	put("r1", 1, reviews.Input{Pay: r(5), Fairness: r(4), TOSViolation: true})
	put("r2", 2, reviews.Input{Pay: r(2)})
	put("r3", 3, reviews.Input{Text: "The submit button does nothing.", BrokenTask: true})
	put("r4", 4, reviews.Input{Pay: r(1), Communication: r(3), Promptness: r(5)})
	if err := reviews.Delete(ctx, s, "r4", "", rid, t0.Add(5*time.Minute)); err != nil { // withdrawn: counts for nothing
		t.Fatal(err)
	}
	put("r5", 6, reviews.Input{Pay: r(1), Fairness: r(1), TOSViolation: true})
	put("r5", 7, reviews.Input{Pay: r(3), BrokenTask: true}) // the edit replaces the ratings and the flag

	d := directory(t, s)
	got, ok := d.Get(rid)
	if !ok {
		t.Fatal("the reviewed requester is not in the directory")
	}
	rv := got.Reviews
	// Live reviews: r1, r2, r3, r5. Pay is given by r1 (5), r2 (2) and r5 (3): (5+2+3)/3, not
	// (5+2+0+3)/4 = 2.5 as if r3's missing rating were a 0. Fairness only by r1. Nobody rated
	// communication or promptness live (r4 withdrew).
	if rv.Count != 4 || rv.PayN != 3 || math.Abs(rv.Pay-10.0/3) > 1e-9 || rv.FairnessN != 1 || rv.Fairness != 4 ||
		rv.CommunicationN != 0 || rv.Communication != 0 || rv.PromptnessN != 0 || rv.Promptness != 0 {
		t.Errorf("averages %+v", rv)
	}
	if rv.TOSViolation != 1 || rv.BrokenTask != 2 {
		t.Errorf("flags: %d ToS, %d broken; want 1 and 2", rv.TOSViolation, rv.BrokenTask)
	}
	if rv.RecommendN != 1 || rv.Recommend != 1 || rv.CommunicationGood != 0 {
		t.Errorf("Turkopticon counts: %+v", rv)
	}

	list, err := lookup.ReviewsOf(ctx, s, rid, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 || list[0].Pay != 3 || list[0].Fairness != 0 || !list[0].BrokenTask || list[0].TOSViolation ||
		list[1].Text != "The submit button does nothing." || !list[1].BrokenTask || list[1].Pay != 0 {
		t.Errorf("review list %+v", list)
	}
}

// A review possibly by the requester itself is listed, marked Own, and left out of the counts and
// averages; a review readers' flags hide is neither listed nor counted. Each listed review has a
// public id that is not its author's pseudonym.
func TestOwnAndHiddenReviews(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	const rid = "ALOOKUPSELFREV1"
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	r := reviews.Rating
	h, err := records.NewHasher([]byte("lookup-reviews-test-key-000"))
	if err != nil {
		t.Fatal(err)
	}
	if err := records.Insert(ctx, s, []records.Record{{RequesterID: rid, AssignmentID: "3LOOKUPSELF0001", Reporter: "self",
		Reward: decimal.RequireFromString("1.00"), Status: records.Approved, Source: "api", ReceivedAt: t0, Via: "tokSelf"}}); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Put(ctx, s, "w1", "", reviews.Input{RequesterID: rid, Pay: r(2), Text: "honest"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Save(ctx, s, reviews.AuthorOf(h, "tokSelf", "", false), reviews.Input{RequesterID: rid, Pay: r(5), Fairness: r(5), Text: "mine"}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Put(ctx, s, "w2", "", reviews.Input{RequesterID: rid, Pay: r(1), Text: "flagged away"}, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	list, err := lookup.ReviewsOf(ctx, s, rid, 10)
	if err != nil || len(list) != 3 {
		t.Fatalf("list %+v %v", list, err)
	}
	for _, l := range list {
		if l.Text == "flagged away" {
			for _, f := range []string{"a", "b", "c"} {
				if _, err := reviews.Flag(ctx, s, rid, l.ID, f, "abusive", t0.Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if len(l.ID) != 24 || l.ID == h.Reporter("token", "tokSelf")[:24] {
			t.Errorf("public id %q", l.ID)
		}
	}
	list, err = lookup.ReviewsOf(ctx, s, rid, 10)
	if err != nil || len(list) != 2 || list[0].Text != "mine" || !list[0].Own || list[1].Text != "honest" || list[1].Own {
		t.Fatalf("list after the flags %+v %v", list, err)
	}
	got, ok := directory(t, s).Get(rid)
	if !ok {
		t.Fatal("not in the directory")
	}
	if rv := got.Reviews; rv.Count != 1 || rv.PayN != 1 || rv.Pay != 2 || rv.FairnessN != 0 {
		t.Fatalf("averages %+v: want the honest review's alone", rv)
	}
}
