package lookup

import (
	"context"
	"strings"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/wages"
)

// RatingsScorer supplies scores from the ratings package's snapshot (refresh it first).
type RatingsScorer struct{ R *ratings.Ratings }

var units = map[string]string{"usd_per_hour": "$/h", "share": "share", "hours": "hours", "ratio": "×", "stars": "of 5"}

// Figures returns the wage figures of the ratings' snapshot (ratings.Ratings.Figures).
func (rs RatingsScorer) Figures() ([]wages.RequesterFigures, map[platform.ID]*wages.Figures, bool) {
	return rs.R.Figures()
}

// Scores converts every current rating.
func (rs RatingsScorer) Scores(_ context.Context) (map[string]Score, error) {
	out := map[string]Score{}
	for _, r := range rs.R.All() {
		sc := Score{Value: r.Score, Grade: r.Grade, Gate: r.Gate}
		if !r.EnoughData {
			sc.Reason = "Not enough data for a grade yet: too few workers have reported this requester."
		}
		for _, c := range r.Components {
			unit := units[c.Unit]
			if cur, ok := strings.CutSuffix(c.Unit, "_per_hour"); ok {
				unit = platform.Symbol(strings.ToUpper(cur)) + "/h"
			}
			if unit == "" {
				unit = c.Unit
			}
			sc.Components = append(sc.Components, Component{Name: c.Name, Score: c.Score, Value: c.Raw, Unit: unit, Explanation: c.Explanation})
		}
		out[r.RequesterID] = sc
	}
	return out, nil
}
