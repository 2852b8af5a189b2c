package ratings_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestDemoMarket runs the whole chain on the demo data set the site starts with: every requester
// with enough reporters gets a grade from six scored components, and everything encodes as JSON.
func TestDemoMarket(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("0123456789abcdef-test"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 3000, Now: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	r := refreshed(t, s)
	all := r.All()
	graded := 0
	for _, rt := range all {
		if !rt.EnoughData {
			continue
		}
		graded++
		// MTurk's requesters have six components, Prolific's researchers nine (prolific.go).
		want := map[platform.ID]int{platform.MTurk: 6, platform.Prolific: 9}[rt.Platform]
		if *rt.Score < 0 || *rt.Score > 100 || rt.Grade != ratings.Grade(*rt.Score) || len(rt.Components) != want {
			t.Errorf("%s: score %v grade %q components %d", rt.RequesterID, *rt.Score, rt.Grade, len(rt.Components))
		}
		for _, c := range rt.Components {
			if c.Name == ratings.AdvertisedTime && c.Score == nil && rt.Platform == platform.Prolific {
				continue // the demo loads no study listings: no advertised time anywhere
			}
			if c.Score == nil || *c.Score < 0 || *c.Score > 100 || c.Explanation == "" {
				t.Errorf("%s %s: %+v", rt.RequesterID, c.Name, c)
			}
		}
	}
	if graded < 20 {
		t.Errorf("graded requesters = %d of %d, want most of the demo's 40", graded, len(all))
	}
	best := r.BestPayers(platform.MTurk, 5)
	for i := 1; i < len(best); i++ {
		if *best[i].EffectiveHourly > *best[i-1].EffectiveHourly {
			t.Errorf("best payers out of order: %v", ids(best))
		}
	}
	m := r.Market(platform.MTurk)
	if m.EffectiveHourly == nil || m.NominalHourly == nil || *m.EffectiveHourly >= *m.NominalHourly {
		t.Errorf("market effective %v, nominal %v: want effective below nominal (rejections, returns)", m.EffectiveHourly, m.NominalHourly)
	}
	if _, err := json.Marshal(all); err != nil {
		t.Errorf("ratings do not encode as JSON: %v", err)
	}
}
