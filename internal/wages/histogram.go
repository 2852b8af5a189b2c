package wages

import (
	"context"
	"fmt"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// Bin is one bar of a wage histogram: tasks whose per-task hourly wage is in [Low, High).
type Bin struct {
	Low     float64  `json:"low"`  // dollars per hour
	High    *float64 `json:"high"` // nil for the last, open-ended bin
	Tasks   uint64   `json:"tasks"`
	Seconds float64  `json:"seconds"` // task time in the bin
}

// The histogram every requester's figures carry (figures.sql's hist_*): HistogramBins bins
// HistogramWidth wide (in the requester's currency an hour), the last open-ended.
const (
	HistogramWidth = 2.5
	HistogramBins  = 12
)

// emptyBins returns bins of width, the last open-ended, without tasks.
func emptyBins(width float64, bins int) []Bin {
	out := make([]Bin, bins)
	for i := range out {
		out[i].Low = float64(i) * width
		if i < bins-1 {
			h := float64(i+1) * width
			out[i].High = &h
		}
	}
	return out
}

// StoredHistogram returns the histogram kept with a requester's figures (HistogramWidth,
// HistogramBins) as of their last computation: a read, not a pass over its records. ErrNotFound
// when the requester has no figures.
func (w *Wages) StoredHistogram(ctx context.Context, requesterID string) ([]Bin, error) {
	r, err := w.one(ctx, latest("scope = 'requester' AND requester_id = {rid:String}"), store.Args{"rid": requesterID})
	if err != nil {
		return nil, wrapNotFound(err, "requester %q", requesterID)
	}
	return r.histogram(), nil
}

// histogram returns the histogram kept on a requester or group row: every bin, empty ones
// included (the row keeps only the bins with tasks).
func (r *row) histogram() []Bin {
	out := emptyBins(HistogramWidth, HistogramBins)
	for i, b := range r.histBins {
		if int(b) < len(out) && i < len(r.histTasks) && i < len(r.histSecs) {
			out[b].Tasks, out[b].Seconds = r.histTasks[i], r.histSecs[i]
		}
	}
	return out
}

// Histogram returns a requester's per-task hourly wages in bins dollars wide, bins of them
// (the last one open-ended), live from the records; all bins are returned, empty ones included.
// Unpaid tasks (rejected, returned, abandoned) fall in the first bin. StoredHistogram reads the
// one kept with the figures; this live one is the reference it is tested against.
func (w *Wages) Histogram(ctx context.Context, requesterID string, width float64, bins int) ([]Bin, error) {
	if width <= 0 || bins < 1 || bins > 1000 {
		return nil, fmt.Errorf("wages: histogram: want width > 0 and 1 to 1000 bins, got %v and %d", width, bins)
	}
	q := render("histogram.sql", scopeRequester, whereRequester)
	args := w.args(scopeRequester, time.Now(), rangeArgs(Range{}, store.Args{"rid": requesterID, "width": width, "bins": bins}))
	rows, err := w.s.Query(ctx, q, args)
	if err != nil {
		return nil, fmt.Errorf("wages: histogram: %w", err)
	}
	defer rows.Close()
	out := emptyBins(width, bins)
	for rows.Next() {
		var (
			bin   uint32
			tasks uint64
			secs  float64
		)
		if err := rows.Scan(&bin, &tasks, &secs); err != nil {
			return nil, fmt.Errorf("wages: histogram: %w", err)
		}
		if int(bin) < bins {
			out[bin].Tasks, out[bin].Seconds = tasks, secs
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("wages: histogram: %w", err)
	}
	return out, nil
}
