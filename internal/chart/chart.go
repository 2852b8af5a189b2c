// Package chart builds the site's go-echarts charts: numbers in, chart options out, with a
// table alternative for every chart. It never touches the store. The page carries each chart's
// options as JSON in a data attribute and /assets/charts.js draws it, so pages need no inline script.
package chart

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart is one rendered chart: its ECharts options and the same numbers as a table.
type Chart struct {
	ID      string     // element id, unique on the page
	Title   string     // caption
	Options string     // ECharts option JSON
	Head    []string   // table alternative: column headings
	Rows    [][]string // table alternative: cells
}

// Point is one x/y pair of a line or bar series.
type Point struct {
	X string
	Y float64
}

func finish(id, title string, c interface {
	Validate()
	JSON() map[string]any
}, head []string, rows [][]string) (Chart, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ID: id, Title: title, Options: string(b), Head: head, Rows: rows}, nil
}

func base(yName string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{AssetsHost: "/assets/"}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName}),
		charts.WithGridOpts(opts.Grid{Left: "56", Right: "16", Top: "32", Bottom: "40"}),
	}
}

// Bars draws one bar series (a histogram or a ranking).
func Bars(id, title, xName, yName string, pts []Point, format func(float64) string) (Chart, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(yName), charts.WithXAxisOpts(opts.XAxis{Name: xName}))...)
	xs := make([]string, len(pts))
	ys := make([]opts.BarData, len(pts))
	rows := make([][]string, len(pts))
	for i, p := range pts {
		xs[i] = p.X
		ys[i] = opts.BarData{Value: round2(p.Y)}
		rows[i] = []string{p.X, format(p.Y)}
	}
	bar.SetXAxis(xs).AddSeries(yName, ys)
	return finish(id, title, bar, []string{xName, yName}, rows)
}

// Series is one named line of a line chart.
type Series struct {
	Name   string
	Points []Point
}

// Lines draws one or more line series over the same x values (taken from the first series).
func Lines(id, title, xName, yName string, series []Series, format func(float64) string) (Chart, error) {
	line := charts.NewLine()
	line.SetGlobalOptions(append(base(yName),
		charts.WithXAxisOpts(opts.XAxis{Name: xName}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1)}))...)
	var xs []string
	if len(series) > 0 {
		for _, p := range series[0].Points {
			xs = append(xs, p.X)
		}
	}
	line.SetXAxis(xs)
	head := []string{xName}
	rows := make([][]string, len(xs))
	for i, x := range xs {
		rows[i] = []string{x}
	}
	for _, s := range series {
		data := make([]opts.LineData, len(s.Points))
		for i, p := range s.Points {
			data[i] = opts.LineData{Value: round2(p.Y)}
			if i < len(rows) {
				rows[i] = append(rows[i], format(p.Y))
			}
		}
		line.AddSeries(s.Name, data)
		head = append(head, s.Name)
	}
	return finish(id, title, line, head, rows)
}

func round2(v float64) float64 {
	return float64(int64(v*100+sign(v)*0.5)) / 100
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}
