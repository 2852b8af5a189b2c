package forum

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hitwage/hitwage/internal/config"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store"
)

// JobName is the scheduled forum crawl's name in the schedule configuration.
const JobName = "forum"

// ScheduledJob returns the forum crawl as a scheduled job when the configuration schedules it
// (schedule: forum: "@hourly", with a forum: section), and false when it does not: nothing
// crawls a public forum unless asked to. Each run crawls the configured threads and stores
// what they report, as `collector forum` does; a re-crawl replaces, never adds.
func ScheduledJob(s *store.Store, h *records.Hasher, sc *config.Schedule, log *slog.Logger) (schedule.Job, bool, error) {
	spec := sc.Spec(JobName)
	if spec == "" {
		return schedule.Job{}, false, nil
	}
	f := sc.Forum
	if f.BaseURL == "" || len(f.Threads) == 0 {
		return schedule.Job{}, false, errors.New("forum: the schedule runs the forum crawl, but the config's forum: section gives no base_url or no threads")
	}
	opts := Options{BaseURL: f.BaseURL, Threads: f.Threads, MaxPages: f.MaxPages, Delay: f.Delay}
	return schedule.Job{Name: JobName, Spec: spec, Run: func(ctx context.Context) error {
		posts, errs := Crawl(ctx, opts)
		sum, err := Save(ctx, s, h, posts, time.Now())
		log.Info("forum crawl done", slog.Int("posts", sum.Posts), slog.Int("exports", sum.Exports),
			slog.Int("reported_times", sum.Findings), slog.Int("records", sum.Records), slog.Int("errors", len(errs)))
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return fmt.Errorf("forum: %d of %d threads stopped early: %w", len(errs), len(opts.Threads), errors.Join(errs...))
		}
		return nil
	}}, true, nil
}
