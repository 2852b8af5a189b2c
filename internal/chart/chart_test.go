package chart_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hitwage/hitwage/internal/chart"
)

func TestBarsCarryDataAndTable(t *testing.T) {
	c, err := chart.Bars("h", "Hist", "$/h", "tasks", []chart.Point{{X: "$0–5", Y: 3}, {X: "$5–10", Y: 7.126}}, func(v float64) string { return fmt.Sprintf("%.1f", v) })
	if err != nil {
		t.Fatal(err)
	}
	var opts struct {
		XAxis  []struct{ Data []string } `json:"xAxis"`
		Series []struct {
			Type string
			Data []struct{ Value float64 }
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &opts); err != nil {
		t.Fatalf("options are not JSON: %v", err)
	}
	if len(opts.XAxis) == 0 || len(opts.XAxis[0].Data) != 2 || opts.XAxis[0].Data[1] != "$5–10" {
		t.Fatalf("x axis: %+v", opts.XAxis)
	}
	if len(opts.Series) != 1 || opts.Series[0].Type != "bar" || opts.Series[0].Data[1].Value != 7.13 {
		t.Fatalf("series: %+v", opts.Series)
	}
	if len(c.Rows) != 2 || c.Rows[1][1] != "7.1" || c.Head[1] != "tasks" {
		t.Fatalf("table alternative: %v %v", c.Head, c.Rows)
	}
}

func TestLinesTableHasEverySeries(t *testing.T) {
	c, err := chart.Lines("l", "Trend", "week", "$/h", []chart.Series{
		{Name: "effective", Points: []chart.Point{{X: "w1", Y: 1}, {X: "w2", Y: 2}}},
		{Name: "nominal", Points: []chart.Point{{X: "w1", Y: 3}, {X: "w2", Y: 4}}},
	}, func(v float64) string { return fmt.Sprint(v) })
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Head) != 3 || len(c.Rows) != 2 || c.Rows[1][2] != "4" {
		t.Fatalf("table: %v %v", c.Head, c.Rows)
	}
}
