package schedule_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Tokyo on hosts without a zoneinfo database

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

// A host in Tokyo still runs the weekly report (reports.Job: "0 6 * * 1") on Mondays at 06:00 UTC,
// as the docs say, not at 06:00 Tokyo time (Sunday 21:00 UTC).
func TestSpecsAreUTC(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	local := time.Local
	time.Local = tokyo
	t.Cleanup(func() { time.Local = local })
	t.Setenv("TZ", "Asia/Tokyo")

	s := schedule.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := s.Add(schedule.Job{Name: "report-weekly", Spec: "0 6 * * 1", Run: func(context.Context) error { return nil }}); err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop()
	next := s.Statuses()[0].Next.UTC()
	if next.Weekday() != time.Monday || next.Hour() != 6 || next.Minute() != 0 || next.Second() != 0 {
		t.Fatalf("next weekly report at %s (%s), want a Monday 06:00 UTC", next, next.Weekday())
	}
}

// lockedBuffer is a log sink that jobs on cron's goroutines can write to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A job that panics on cron's goroutine ends its run with the error, logged; the process (here
// the test) goes on and so do the other jobs.
func TestPanickingJobIsRecovered(t *testing.T) {
	var logs lockedBuffer
	s := schedule.New(slog.New(slog.NewJSONHandler(&logs, nil)))
	ticks := make(chan struct{}, 1)
	jobs := []schedule.Job{
		{Name: "boom", Spec: "@every 1s", Run: func(context.Context) error { panic("kaput") }},
		{Name: "tick", Spec: "@every 1s", Run: func(context.Context) error {
			select {
			case ticks <- struct{}{}:
			default:
			}
			return nil
		}},
	}
	for _, j := range jobs {
		if err := s.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	s.Start()
	var boom schedule.Status
	for boom.Runs == 0 { // until a run of boom has ended
		<-ticks
		boom = s.Statuses()[0]
	}
	<-ticks // the scheduler still runs jobs after the panic
	s.Stop()
	if boom.Name != "boom" || boom.LastError != "panic: kaput" {
		t.Fatalf("status = %+v", boom)
	}
	if l := logs.String(); !strings.Contains(l, `"msg":"job panicked","job":"boom","panic":"kaput"`) || !strings.Contains(l, `"msg":"job failed","job":"boom"`) {
		t.Fatalf("log lacks the panic:\n%s", l)
	}

	// Run by hand (as collector listings does for its first crawl), the panic is the run's error
	// too, and the job is not left "running" (which would skip every later turn).
	runs := s.Statuses()[0].Runs
	s.RunNow(jobs[0])
	if st := s.Statuses()[0]; st.Runs != runs+1 || st.Skipped != 0 || st.Running || st.LastError != "panic: kaput" {
		t.Fatalf("status after RunNow = %+v", st)
	}
}
