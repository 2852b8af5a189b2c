package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Client posts records to a hitwage site's ingest API, for a collector that cannot open the
// store itself (the embedded store has one process per data directory, and the site holds it).
type Client struct {
	BaseURL string        // the site, e.g. http://127.0.0.1:8080
	Token   string        // a token from `collector tokens create`
	HTTP    *http.Client  // default: a client with a 2-minute timeout
	MaxWait time.Duration // longest Retry-After honoured on 429; default 1m
	Retries int           // retries of a rate-limited request; default 10
}

// APIError is an error answer of the API.
type APIError struct {
	Status   int
	Code     string          `json:"code"`
	Message  string          `json:"message"`
	Problems []RecordProblem `json:"errors"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("ingest: API answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Post sends one batch and returns once the site has stored it. It waits and retries when
// the site says to slow down (429 with Retry-After).
func (c *Client) Post(ctx context.Context, batch []Input) (Result, error) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	for i := range batch {
		if err := enc.Encode(&batch[i]); err != nil {
			return Result{}, fmt.Errorf("ingest: encode record %d: %w", i, err)
		}
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 2 * time.Minute}
	}
	maxWait, retries := c.MaxWait, c.Retries
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	if retries <= 0 {
		retries = 10
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.BaseURL, "/")+"/api/v1/reports", bytes.NewReader(body.Bytes()))
		if err != nil {
			return Result{}, fmt.Errorf("ingest: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+c.Token)
		req.Header.Set("Content-Type", "application/x-ndjson")
		res, err := hc.Do(req)
		if err != nil {
			return Result{}, fmt.Errorf("ingest: post to %s: %w", c.BaseURL, err)
		}
		b, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
		res.Body.Close()
		if err != nil {
			return Result{}, fmt.Errorf("ingest: read answer: %w", err)
		}
		if res.StatusCode == http.StatusOK {
			var r Result
			if err := json.Unmarshal(b, &r); err != nil {
				return Result{}, fmt.Errorf("ingest: answer %q: %w", b, err)
			}
			return r, nil
		}
		var e struct {
			Error APIError `json:"error"`
		}
		_ = json.Unmarshal(b, &e)
		e.Error.Status = res.StatusCode
		if res.StatusCode == http.StatusTooManyRequests && attempt < retries {
			wait := time.Second
			if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && secs > 0 {
				wait = time.Duration(secs) * time.Second
			}
			t := time.NewTimer(min(wait, maxWait))
			select {
			case <-t.C:
				continue
			case <-ctx.Done():
				t.Stop()
				return Result{}, ctx.Err()
			}
		}
		if e.Error.Message == "" {
			e.Error.Message = strings.TrimSpace(string(b))
		}
		return Result{}, &e.Error
	}
}
