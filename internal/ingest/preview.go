package ingest

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"
)

// Preview is what a file would import: read through to its end and checked, nothing stored.
// An import reads a file twice, first for its Preview: a file that cannot be read to its end
// (truncated, malformed) fails there and leaves nothing of itself stored.
type Preview struct {
	FileReport
	Good       int                `json:"good"`  // records that would be stored (or would replace a stored one)
	Timed      int                `json:"timed"` // of Good, with a time on task (FileReport.Untimed: those without)
	Requesters []PreviewRequester `json:"requesters"`
	// RequesterCount is every requester's count; Requesters lists the MaxPreviewRequesters with most records.
	RequesterCount int            `json:"requester_count"`
	From           *time.Time     `json:"from,omitempty"` // the earliest record's time (finish, else accept)
	To             *time.Time     `json:"to,omitempty"`   // the latest
	Statuses       map[string]int `json:"statuses"`
}

// PreviewRequester is one requester of a previewed file.
type PreviewRequester struct {
	ID      string `json:"id"` // as stored (platform.Key)
	Name    string `json:"name"`
	Records int    `json:"records"`
}

// MaxPreviewRequesters bounds the requesters a Preview lists.
const MaxPreviewRequesters = 50

// maxPreviewKeys bounds the distinct requesters a Preview tracks, so a hostile file of a million
// requesters costs bounded memory; the count then says "at least".
const maxPreviewKeys = 100_000

// PreviewFile reads r to its end as Import would (opts' format, mapping and defaults) and says
// what it holds, storing nothing.
func PreviewFile(ctx context.Context, r io.Reader, opts ImportOptions) (Preview, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := CheckDefaults(opts.Platform, opts.Currency); err != nil {
		return Preview{FileReport: FileReport{File: opts.Name}}, fmt.Errorf("ingest: %s: %w", opts.Name, unwrapPrefix(err))
	}
	rd, _, rep, err := openImport(r, opts)
	pv := Preview{FileReport: rep, Statuses: map[string]int{}}
	if err != nil {
		return pv, err
	}
	defer closeReader(rd)
	type req struct {
		name string
		n    int
	}
	reqs := map[string]*req{}
	now := opts.Now().UTC()
	for {
		if err := ctx.Err(); err != nil {
			return pv, err
		}
		_, rec, ok, err := nextChecked(rd, &opts, now, &pv.FileReport, Check)
		if err == io.EOF {
			break
		}
		if err != nil {
			return pv, err
		}
		if !ok {
			continue
		}
		pv.Good++
		if rec.Timed() {
			pv.Timed++
		}
		pv.Statuses[string(rec.Status)]++
		if at := firstOf(rec.FinishedAt, rec.AcceptedAt); at != nil {
			if pv.From == nil || at.Before(*pv.From) {
				t := at.UTC()
				pv.From = &t
			}
			if pv.To == nil || at.After(*pv.To) {
				t := at.UTC()
				pv.To = &t
			}
		}
		if q, ok := reqs[rec.RequesterID]; ok {
			q.n++
			if q.name == "" {
				q.name = rec.RequesterName
			}
		} else if len(reqs) < maxPreviewKeys {
			reqs[rec.RequesterID] = &req{name: rec.RequesterName, n: 1}
		}
	}
	pv.RequesterCount = len(reqs)
	for id, q := range reqs {
		pv.Requesters = append(pv.Requesters, PreviewRequester{ID: id, Name: q.name, Records: q.n})
	}
	sort.Slice(pv.Requesters, func(i, j int) bool {
		a, b := pv.Requesters[i], pv.Requesters[j]
		if a.Records != b.Records {
			return a.Records > b.Records
		}
		return a.ID < b.ID
	})
	if len(pv.Requesters) > MaxPreviewRequesters {
		pv.Requesters = pv.Requesters[:MaxPreviewRequesters]
	}
	return pv, nil
}
