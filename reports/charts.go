package reports

import (
	"fmt"
	"strconv"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/platform"
)

// charts draws the report's charts from its tables, with the site's builders and fixed element ids.
func charts(r *Report) ([]chart.Chart, error) {
	var out []chart.Chart
	sign := platform.Symbol(r.Currency)
	if t, ok := r.Table("distribution"); ok {
		for _, s := range []struct {
			id, title string
			col       int
		}{
			{"report-effective", "Effective hourly wage per task (tasks per " + sign + "2/h bin)", 2},
			{"report-nominal", "Nominal hourly wage per task (tasks per " + sign + "2/h bin)", 4},
		} {
			pts := make([]chart.Point, len(t.Rows))
			for i, row := range t.Rows {
				x := sign + row[0]
				if row[1] == "" {
					x += "+"
				}
				pts[i] = chart.Point{X: x, Y: parse(row[s.col])}
			}
			c, err := chart.Bars(s.id, s.title, sign+"/hour", "tasks", pts, func(v float64) string { return fmt.Sprintf("%.0f", v) })
			if err != nil {
				return nil, fmt.Errorf("reports: chart: %w", err)
			}
			out = append(out, c)
		}
	}
	if t, ok := r.Table("supply"); ok && len(t.Rows) > 0 {
		pts := make([]chart.Point, len(t.Rows))
		for i, row := range t.Rows {
			pts[i] = chart.Point{X: row[0], Y: parse(row[2])}
		}
		c, err := chart.Lines("report-supply", "HIT groups listed (daily mean)", "day", "groups",
			[]chart.Series{{Name: "groups", Points: pts}}, func(v float64) string { return fmt.Sprintf("%.1f", v) })
		if err != nil {
			return nil, fmt.Errorf("reports: chart: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

func parse(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}
