package store

import (
	"context"

	"golang.org/x/sync/semaphore"
)

// jobKey marks a context as a scheduled job's (Job).
type jobKey struct{}

// Job marks ctx as a background job's (a recompute, a crawl, a report): its statements share at
// most all but one of the store's connections, so that however many statements jobs run at once,
// the site's page and API reads always have a connection to run on (they are bounded separately,
// web's Limits).
func Job(ctx context.Context) context.Context { return context.WithValue(ctx, jobKey{}, true) }

// IsJob reports whether ctx was marked by Job.
func IsJob(ctx context.Context) bool { v, _ := ctx.Value(jobKey{}).(bool); return v }

// Connections is how many statements the store runs at once: the embedded store's pool, or a
// server's connection pool (clickhouse-go's default).
func (s *Store) Connections() int {
	if s.cfg.DSN != "" {
		return serverConns
	}
	return poolSize
}

// serverConns is clickhouse-go's default pool (MaxIdleConns 5 + 5).
const serverConns = 10

// jobSlot waits for one of the job share's connections when ctx is a job's, and returns its
// release (a no-op for any other context).
func (s *Store) jobSlot(ctx context.Context) (func(), error) {
	if !IsJob(ctx) {
		return func() {}, nil
	}
	if err := s.jobs.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	return func() { s.jobs.Release(1) }, nil
}

func newJobShare(conns int) *semaphore.Weighted { return semaphore.NewWeighted(int64(max(conns-1, 1))) }
