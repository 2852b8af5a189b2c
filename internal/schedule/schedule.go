// Package schedule runs hitwage's periodic jobs (crawls, score refreshes, reports) with
// robfig/cron: specs are read in UTC whatever the host's time zone, a run still going when its
// next turn comes is skipped, not stacked, a job's panic is its run's error (the process goes
// on), and the last run of every job is kept for /healthz.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/hitwage/hitwage/internal/store"
)

// Job is one scheduled task.
type Job struct {
	Name string                          // e.g. "listings"
	Spec string                          // cron spec, e.g. "@every 5m" or "0 3 * * 1"
	Run  func(ctx context.Context) error // the work; it should honour ctx
}

// Status is what /healthz shows of a job.
type Status struct {
	Name        string    `json:"name"`
	Spec        string    `json:"spec"`
	Running     bool      `json:"running"`
	Runs        int       `json:"runs"`
	Skipped     int       `json:"skipped_overlaps"`
	LastStart   time.Time `json:"last_start,omitzero"`
	LastSeconds float64   `json:"last_duration_seconds"`
	LastError   string    `json:"last_error,omitempty"`
	Next        time.Time `json:"next,omitzero"`
}

// Scheduler owns the cron runner and the jobs' statuses.
type Scheduler struct {
	c    *cron.Cron
	log  *slog.Logger
	ctx  context.Context
	stop context.CancelFunc

	mu     sync.Mutex
	status map[string]*Status
	ids    map[string]cron.EntryID
	wg     sync.WaitGroup
}

// New returns a stopped scheduler. Specs are read in UTC: "0 6 * * 1" is Mondays 06:00 UTC, as
// the docs promise, on a host in any time zone.
func New(log *slog.Logger) *Scheduler {
	ctx, stop := context.WithCancel(context.Background())
	return &Scheduler{c: cron.New(cron.WithLocation(time.UTC)), log: log, ctx: ctx, stop: stop, status: map[string]*Status{}, ids: map[string]cron.EntryID{}}
}

// Add registers a job; a bad spec is an error naming the job.
func (s *Scheduler) Add(j Job) error {
	st := &Status{Name: j.Name, Spec: j.Spec}
	id, err := s.c.AddFunc(j.Spec, func() { s.RunNow(j) })
	if err != nil {
		return fmt.Errorf("schedule: job %s: bad spec %q: %w", j.Name, j.Spec, err)
	}
	s.mu.Lock()
	s.status[j.Name] = st
	s.ids[j.Name] = id
	s.mu.Unlock()
	return nil
}

// RunNow runs a job at once unless it is already running (then the turn is counted as skipped).
// A panic in the job ends that run with the error "panic: ...", logged with its stack.
func (s *Scheduler) RunNow(j Job) {
	s.mu.Lock()
	st := s.status[j.Name]
	if st == nil {
		st = &Status{Name: j.Name, Spec: j.Spec}
		s.status[j.Name] = st
	}
	if st.Running {
		st.Skipped++
		s.mu.Unlock()
		s.log.Info("job still running; skipped", slog.String("job", j.Name))
		return
	}
	st.Running = true
	st.LastStart = time.Now().UTC()
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	start := time.Now()
	err := s.run(j)
	d := time.Since(start)

	s.mu.Lock()
	st.Running = false
	st.Runs++
	st.LastSeconds = d.Seconds()
	st.LastError = ""
	if err != nil {
		st.LastError = err.Error()
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Error("job failed", slog.String("job", j.Name), slog.Duration("took", d), slog.String("err", err.Error()))
	} else {
		s.log.Info("job done", slog.String("job", j.Name), slog.Duration("took", d))
	}
}

// run runs the job once, turning a panic into its error: a job runs on cron's goroutine, where a
// panic would end the whole process (the site with it), and the job would stay "running".
func (s *Scheduler) run(j Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
			s.log.Error("job panicked", slog.String("job", j.Name), slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
		}
	}()
	return j.Run(store.Job(s.ctx)) // a job's statements never take the site's last connection
}

// Start begins running jobs on their schedules.
func (s *Scheduler) Start() { s.c.Start() }

// Stop stops scheduling, cancels running jobs and waits for them to return.
func (s *Scheduler) Stop() {
	<-s.c.Stop().Done()
	s.stop()
	s.wg.Wait()
}

// Statuses returns every job's status, by name.
func (s *Scheduler) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(s.status))
	for name, st := range s.status {
		c := *st
		if id, ok := s.ids[name]; ok {
			c.Next = s.c.Entry(id).Next
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
