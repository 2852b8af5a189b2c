package site

import (
	"fmt"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// wageHistogram draws per-task hourly wages in bins of currency cur.
func wageHistogram(id, title, cur string, bins []wages.Bin) (chart.Chart, error) {
	sym := platform.Symbol(cur)
	pts := make([]chart.Point, len(bins))
	for i, b := range bins {
		label := sym + amount(b.Low) + "+"
		if b.High != nil {
			label = sym + amount(b.Low) + "–" + amount(*b.High)
		}
		pts[i] = chart.Point{X: label, Y: float64(b.Tasks)}
	}
	return chart.Bars(id, title, sym+"/hour", "tasks", pts, F0)
}

// WeeklyTrend draws effective and nominal hourly wages by week, in currency cur.
func WeeklyTrend(id, title, cur string, pts []wages.WeekPoint) (chart.Chart, error) {
	var eff, nom []chart.Point
	for _, p := range pts {
		x := p.Week.Format("2006-01-02")
		eff = append(eff, chart.Point{X: x, Y: Deref(p.EffectiveHourly)})
		nom = append(nom, chart.Point{X: x, Y: Deref(p.NominalHourly)})
	}
	return chart.Lines(id, title, "week of", platform.Symbol(cur)+"/hour", []chart.Series{{Name: "effective", Points: eff}, {Name: "nominal", Points: nom}}, MoneyIn(cur))
}

// amount prints dollars without cents when they are whole.
func amount(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// Deref is *v, or 0 for nil (a chart draws a missing figure at zero).
func Deref(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}
