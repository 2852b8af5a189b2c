package schedule_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/hitwage/hitwage/internal/schedule"
)

func TestOverlappingRunIsSkippedAndStatusKept(t *testing.T) {
	s := schedule.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	release := make(chan struct{})
	started := make(chan struct{})
	job := schedule.Job{Name: "slow", Spec: "@every 1h", Run: func(ctx context.Context) error {
		close(started)
		<-release
		return errors.New("boom")
	}}
	if err := s.Add(job); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.RunNow(job) }()
	<-started
	s.RunNow(job) // the first run still holds the job: this turn is skipped, not stacked
	close(release)
	wg.Wait()
	st := s.Statuses()
	if len(st) != 1 || st[0].Runs != 1 || st[0].Skipped != 1 || st[0].LastError != "boom" || st[0].Running {
		t.Fatalf("status = %+v", st)
	}
	s.Start()
	defer s.Stop()
	if st := s.Statuses(); st[0].Next.IsZero() {
		t.Fatal("the next run time should be known once started")
	}
	if err := s.Add(schedule.Job{Name: "bad", Spec: "every tuesday", Run: job.Run}); err == nil {
		t.Fatal("a bad spec must be refused")
	}
}
