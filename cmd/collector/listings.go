package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/hitwage/hitwage/internal/collect/mturk"
	"github.com/hitwage/hitwage/internal/config"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/schedule"
)

// listingFlags are the listing crawl's own flags; set ones override the --config file.
type listingFlags struct {
	l     config.Listings
	once  bool
	every string
}

func (f *listingFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.l.BaseURL, "base-url", "", "root of a mirror or saved copy of MTurk's worker site (required: the site closed on "+mturkClosed()+")")
	fs.IntVar(&f.l.Pages, "pages", 3, "HIT group list pages per crawl")
	fs.IntVar(&f.l.PageSize, "page-size", 100, "HIT groups per page (1-100)")
	fs.IntVar(&f.l.Requesters, "requesters", 25, "requesters whose project list is fetched per crawl (0 = none)")
	fs.DurationVar(&f.l.Interval, "interval", time.Second, "minimum time between two requests (at least 100ms)")
	fs.IntVar(&f.l.MaxRetries, "max-retries", 5, "retries of one page on 429, 5xx and rate-limit pages")
	fs.StringVar(&f.l.CookieFile, "cookie-file", "", "file holding a worker's Cookie header value (default: env HITWAGE_MTURK_COOKIE); never logged or stored")
	fs.BoolVar(&f.once, "once", false, "crawl once and exit (the default without --every or a schedule)")
	fs.StringVar(&f.every, "every", "", `crawl on a schedule until interrupted: a duration ("5m") or a cron spec`)
}

// merge lays the flags given on the command line over the config file's settings.
func (f *listingFlags) merge(fs *flag.FlagSet, l config.Listings) config.Listings {
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "base-url":
			l.BaseURL = f.l.BaseURL
		case "pages":
			l.Pages = f.l.Pages
		case "page-size":
			l.PageSize = f.l.PageSize
		case "requesters":
			l.Requesters = f.l.Requesters
		case "interval":
			l.Interval = f.l.Interval
		case "max-retries":
			l.MaxRetries = f.l.MaxRetries
		case "cookie-file":
			l.CookieFile = f.l.CookieFile
		}
	})
	return l
}

func cmdListings(ctx context.Context, args []string, stdout io.Writer) error {
	var f listingFlags
	cfg, fs, err := parseFlags("listings", args, f.bind)
	if err != nil {
		return err
	}
	l := f.merge(fs, cfg.Schedule.Listings)
	spec, err := listingSpec(f, cfg.Schedule.Spec(mturk.JobName))
	if err != nil {
		return err
	}
	if err := checkListings(l); err != nil {
		return err
	}
	s, err := openConfigured(ctx, "listings", cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, err := mturk.NewCrawler(s, l, log)
	if err != nil {
		return err
	}
	tty := isatty.IsTerminal(os.Stderr.Fd())
	var progressMu sync.Mutex
	if tty {
		c.OnPage = func(p mturk.Progress) {
			progressMu.Lock()
			fmt.Fprintf(os.Stderr, "\rlistings: page %d/%d, %d groups, %d errors   ", p.Page, p.Of, p.Groups, p.Errors)
			progressMu.Unlock()
		}
	}
	crawl := func(ctx context.Context) error {
		sum, err := c.Run(ctx)
		if tty {
			fmt.Fprintln(os.Stderr)
		}
		printSummary(stdout, sum)
		return err
	}
	if spec == "" {
		return crawl(ctx)
	}

	// Scheduled: crawl now, then on the schedule; a run still going when the next is due is
	// skipped, not stacked. One crawl failing does not end the process.
	sched := schedule.New(log)
	job := schedule.Job{Name: mturk.JobName, Spec: spec, Run: crawl}
	if err := sched.Add(job); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listings: crawling %s on schedule %q; interrupt to stop\n", l.BaseURL, spec)
	sched.Start()
	go sched.RunNow(job)
	<-ctx.Done()
	sched.Stop()
	return nil
}

// listingSpec picks once or a schedule: --once, --every, else the config's listings spec.
func listingSpec(f listingFlags, configured string) (string, error) {
	switch {
	case f.once && f.every != "":
		return "", errors.New("listings: give --once or --every, not both")
	case f.once:
		return "", nil
	case f.every != "":
		if d, err := time.ParseDuration(f.every); err == nil {
			if d < time.Minute {
				return "", fmt.Errorf("listings: --every %s: want at least 1m between crawls", f.every)
			}
			return "@every " + d.String(), nil
		}
		return f.every, nil
	}
	return configured, nil
}

// checkListings checks the merged settings. There is no default site: MTurk's worker site closed,
// so what is crawled is a mirror or a saved copy the operator names.
func checkListings(l config.Listings) error {
	if err := l.Validate(); err != nil {
		return fmt.Errorf("listings: %w", err)
	}
	if l.BaseURL == "" {
		return fmt.Errorf("listings: no --base-url (or base_url in the config's listings: section): MTurk's worker site closed on %s, so name a mirror or a saved copy of it to crawl", mturkClosed())
	}
	if !strings.HasPrefix(l.BaseURL, "http://") && !strings.HasPrefix(l.BaseURL, "https://") {
		return fmt.Errorf("listings: --base-url %q: want an http(s) URL", l.BaseURL)
	}
	return nil
}

// mturkClosed is the day MTurk closed, as the platform registry has it.
func mturkClosed() string { return platform.Get(platform.MTurk).Closed.Format("2006-01-02") }

func printSummary(w io.Writer, s mturk.Summary) {
	fmt.Fprintf(w, "listings: crawl %s: %d pages fetched, %d groups seen, %d new groups, %d requesters, %d errors, %d requests (%d retries) in %s\n",
		s.CrawlID, s.Pages, s.Groups, s.NewGroups, s.Requesters, s.Errors, s.Requests, s.Retries, s.Duration.Round(time.Millisecond))
}
