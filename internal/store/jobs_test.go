package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestJobsLeaveAConnection: while jobs hold every connection of their share, another job's
// statement waits for one (here until its context ends), and the site's statements still run.
func TestJobsLeaveAConnection(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	release, err := s.HoldJobShare(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { release() }()
	var one uint8
	if err := s.QueryRow(ctx, "SELECT 1", nil, &one); err != nil || one != 1 {
		t.Fatalf("the site's query while jobs hold their share: %d, %v", one, err)
	}
	jctx, cancel := context.WithTimeout(store.Job(ctx), 50*time.Millisecond)
	defer cancel()
	if err := s.QueryRow(jctx, "SELECT 1", nil, &one); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a job's query with the share taken: %v; want it to wait for a connection", err)
	}
	release()
	release = func() {}
	if err := s.QueryRow(store.Job(ctx), "SELECT 1", nil, &one); err != nil {
		t.Fatalf("a job's query once the share is free: %v", err)
	}
}
