package lookup_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/wages"
)

// TestRatingsScorer: a directory scored by the ratings snapshot publishes the same wage figures as
// one that reads them itself (it takes the snapshot's once the ratings are refreshed, and reads
// them before), with each requester's grade and score from the ratings.
func TestRatingsScorer(t *testing.T) {
	s, plain := loaded(t)
	ctx := context.Background()
	w := wages.New(s, wages.Config{})
	rt := ratings.New(s, w, ratings.Config{})
	d := lookup.New(s, w, lookup.RatingsScorer{R: rt})

	same := func(t *testing.T, wantScores bool) {
		t.Helper()
		if d.Len() != plain.Len() {
			t.Fatalf("%d requesters, want %d", d.Len(), plain.Len())
		}
		for _, want := range plain.All() {
			got, ok := d.Get(want.ID)
			if !ok {
				t.Fatalf("%s missing", want.ID)
			}
			if !reflect.DeepEqual(got.Wages, want.Wages) || got.Name != want.Name || got.UpdatedAt != want.UpdatedAt {
				t.Errorf("%s: %+v\nwant %+v", want.ID, got, want)
			}
			rating, rated := rt.Get(want.ID)
			switch {
			case !wantScores && got.Score != nil:
				t.Errorf("%s scored before the ratings were refreshed", want.ID)
			case wantScores && rated && (got.Score == nil || got.Score.Grade != rating.Grade || !reflect.DeepEqual(got.Score.Value, rating.Score)):
				t.Errorf("%s: score %+v, rating grade %q score %v", want.ID, got.Score, rating.Grade, rating.Score)
			}
		}
		gm, gok := d.Market(platform.MTurk)
		wm, wok := plain.Market(platform.MTurk)
		if gok != wok || !wok || !reflect.DeepEqual(gm, wm) {
			t.Errorf("market %v %+v, want %v %+v", gok, gm, wok, wm)
		}
	}

	t.Run("before the ratings", func(t *testing.T) {
		if err := d.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		same(t, false)
	})
	t.Run("from the ratings snapshot", func(t *testing.T) {
		if err := rt.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if err := d.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		same(t, true)
	})
}
