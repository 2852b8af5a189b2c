package mturk

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/hitwage/hitwage/internal/collect"
	"github.com/hitwage/hitwage/internal/config"
	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store"
)

// JobName is the schedule name of the listing crawl.
const JobName = "listings"

// Job returns the scheduled listing crawl: each run crawls once with a copy of c and logs
// its summary. A run in which some pages failed stores what it got and returns an error
// naming the failures, so /healthz shows them.
func Job(spec string, c Crawler) schedule.Job {
	return schedule.Job{Name: JobName, Spec: spec, Run: func(ctx context.Context) error {
		run := c
		sum, err := run.Run(ctx)
		log := run.Log
		log.Info("listing crawl done", slog.String("crawl_id", sum.CrawlID), slog.Int("pages", sum.Pages),
			slog.Int("groups", sum.Groups), slog.Int("new_groups", sum.NewGroups), slog.Int("errors", sum.Errors),
			slog.Int("requests", sum.Requests), slog.Duration("took", sum.Duration))
		if err != nil {
			return err
		}
		if sum.Errors > 0 {
			return fmt.Errorf("mturk: %d of %d pages failed (see the log for their URLs)", sum.Errors, sum.Errors+sum.Pages)
		}
		return nil
	}}
}

// NewCrawler builds a Crawler from the listing settings, reading the worker cookie (if
// any) from the configured file or the HITWAGE_MTURK_COOKIE variable.
func NewCrawler(s *store.Store, l config.Listings, log *slog.Logger) (*Crawler, error) {
	if strings.TrimSpace(l.BaseURL) == "" {
		return nil, ErrNoSite
	}
	cookie, err := collect.LoadCookie(l.CookieFile)
	if err != nil {
		return nil, err
	}
	return &Crawler{
		Store: s, BaseURL: l.BaseURL, Pages: l.Pages, PageSize: l.PageSize, Requesters: l.Requesters, Log: log,
		Fetch: collect.Options{UserAgent: l.UserAgent, Interval: l.Interval, MaxRetries: retries(l.MaxRetries), Cookie: cookie, Log: log},
	}, nil
}

// retries maps the config's "0 retries" to collect's "none" (collect's zero means default).
func retries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// ScheduledJob returns the listing crawl job when the schedule gives it a spec.
func ScheduledJob(s *store.Store, sc *config.Schedule, log *slog.Logger) (schedule.Job, bool, error) {
	spec := sc.Spec(JobName)
	if spec == "" {
		return schedule.Job{}, false, nil
	}
	c, err := NewCrawler(s, sc.Listings, log)
	if err != nil {
		return schedule.Job{}, false, err
	}
	return Job(spec, *c), true, nil
}
