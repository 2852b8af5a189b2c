package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ImportToAPI reads a file as Import does and sends its good records to a running site's
// API in batches (opts.BatchSize, at most 10,000), for when the site holds the embedded
// store. Records are checked here first, so bad lines are reported with their line numbers;
// the API needs an assignment id or a time on each record. Without worker_id (or
// opts.WorkerID) the API token is the reporter. Duplicates counts repeats within a batch.
func ImportToAPI(ctx context.Context, c *Client, r io.Reader, opts ImportOptions) (FileReport, error) {
	if c == nil {
		return FileReport{File: opts.Name}, ErrNoAPI
	}
	if opts.BatchSize <= 0 || opts.BatchSize > 10_000 {
		opts.BatchSize = 10_000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := CheckDefaults(opts.Platform, opts.Currency); err != nil {
		return FileReport{File: opts.Name}, fmt.Errorf("ingest: %s: %w", opts.Name, unwrapPrefix(err))
	}
	rd, cr, rep, err := openImport(r, opts)
	if err != nil {
		return rep, err
	}
	defer closeReader(rd)
	var (
		batch []Input
		lines []int
	)
	send := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := c.Post(ctx, batch)
		var ae *APIError
		if errors.As(err, &ae) && len(ae.Problems) > 0 {
			// The site refused the batch whole: report its problems by line, each refused record
			// counted once however many problems it has; nothing was stored.
			byIndex := map[int][]Problem{}
			var order []int
			for _, p := range ae.Problems {
				if p.Index >= 0 && p.Index < len(lines) {
					if _, seen := byIndex[p.Index]; !seen {
						order = append(order, p.Index)
					}
					byIndex[p.Index] = append(byIndex[p.Index], Problem{Field: p.Field, Message: p.Message})
				}
			}
			for _, i := range order {
				rep.reject(lines[i], byIndex[i]...)
			}
			err = fmt.Errorf("the site refused a batch of %d records (lines %d-%d): %w", len(batch), lines[0], lines[len(lines)-1], err)
		}
		if err != nil {
			return err
		}
		rep.Stored += res.Stored
		rep.Duplicates += res.Duplicates
		batch, lines = batch[:0], lines[:0]
		if opts.Progress != nil {
			opts.Progress(ImportProgress{Bytes: cr.n.Load(), Read: rep.Read})
		}
		return nil
	}
	now := opts.Now().UTC()
	for {
		// The defaults are filled in the record as sent: the site applies no import defaults.
		it, _, ok, err := nextChecked(rd, &opts, now, &rep, checkIdentified)
		if err == io.EOF {
			break
		}
		if err != nil {
			return rep, err
		}
		if !ok {
			continue
		}
		if strings.TrimSpace(string(it.Input.WorkerID)) == "" && opts.WorkerID != "" {
			it.Input.WorkerID = Text(opts.WorkerID)
		}
		batch = append(batch, it.Input)
		lines = append(lines, it.Line)
		if len(batch) == opts.BatchSize {
			if err := send(); err != nil {
				return rep, fmt.Errorf("ingest: %s: %w", opts.Name, err)
			}
		}
	}
	if err := send(); err != nil {
		return rep, fmt.Errorf("ingest: %s: %w", opts.Name, err)
	}
	return rep, nil
}

// ErrNoAPI is returned by ImportToAPI without a client.
var ErrNoAPI = errors.New("ingest: no API client")
