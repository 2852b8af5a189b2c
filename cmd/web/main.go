// Command web serves the hitwage site and, on the embedded store, runs the scheduled jobs.
//
//	web --addr 127.0.0.1:8080 --data ./data [--demo]
//	web --clickhouse clickhouse://user:pass@host:9000/db
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hitwage/hitwage/internal/collect/forum"
	"github.com/hitwage/hitwage/internal/collect/mturk"
	"github.com/hitwage/hitwage/internal/config"
	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/pagerows"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web"
	"github.com/hitwage/hitwage/reports"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("web", flag.ContinueOnError)
	cfg := config.Bind(fs)
	cfg.BindWeb(fs)
	staleShare := fs.Float64("stale-share", 0.01, "the update job recomputes a requester once its new records reach this share of those its figures count; 0: on every new record")
	noRecordCache := fs.Bool("no-record-cache", false, "embedded store: keep no copy of the records on disk between full recomputes (about 100 bytes a record); updates then read them from every part of the store, slower")
	reportsDir := fs.String("reports-dir", "", "folder of the wage reports; default DATA/reports (./reports-out with --clickhouse)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if math.IsNaN(*staleShare) || *staleShare < 0 || *staleShare > 1 {
		return fmt.Errorf("--stale-share %v: want a share from 0 to 1", *staleShare)
	}
	limits, err := webLimits(cfg)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	s, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer store.ShutdownEmbedded()
	defer s.Close()
	v, err := s.Prepare(ctx)
	if err != nil {
		return err
	}
	log.Info("store ready", slog.String("mode", string(s.Mode())), slog.String("at", s.Location()), slog.Int("schema_version", v))

	key, err := cfg.Secret()
	if err != nil {
		return err
	}
	hasher, err := records.NewHasher(key)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := loadDemo(ctx, s, hasher, log); err != nil {
			return err
		}
	}

	if *staleShare == 0 {
		*staleShare = -1 // wages.Config: negative is "every requester that received records"
	}
	w := wages.New(s, wages.Config{StaleShare: *staleShare, NoRecordCache: *noRecordCache, Rates: cfg.Rates})
	defer w.Close() // the records cache is on disk; the next process would only drop it
	rt := ratings.New(s, w, ratings.Config{Target: w.Target()})
	figs := &figures{s: s, w: w, r: rt, dir: lookup.New(s, w, lookup.RatingsScorer{R: rt})}
	recomputed, err := figs.start(ctx)
	if err != nil {
		return fmt.Errorf("compute wages and scores: %w", err)
	}
	log.Info("figures ready", slog.Int("requesters", figs.dir.Len()))
	softMemoryLimit(log, true)
	// Requester pages' rows are made after the start, in the background: until a row is made from
	// the figures the directory shows, its page reads its parts live. Not when the warm recompute
	// follows (it stamps every requester anew, and its reload makes the rows), nor by a process
	// without jobs on a server, which reads the rows the job runner makes.
	builds := cfg.Jobs || s.Mode() == store.Embedded // on a server, the job runner makes the rows
	figs.pages = pagerows.New(s, w)
	figs.pages.MarkOnly = !builds
	if builds && (!cfg.Jobs || figs.warm(recomputed) == nil) {
		go figs.keepPages(store.Job(ctx))
	}

	if *reportsDir == "" {
		*reportsDir = reports.DefaultDir(cfg.Store.DataDir, s.Mode() == store.Server)
	}
	rb := &reports.Builder{Store: s, Wages: w, Grades: reports.GradesOf(rt), Revision: reports.Revision(version), BaseURL: cfg.BaseURL}

	var sched *schedule.Scheduler
	if cfg.Jobs {
		sched = schedule.New(log)
		for _, j := range figs.jobs() {
			if err := sched.Add(j); err != nil {
				return err
			}
		}
		// The listing crawl runs here on the embedded store; in server mode `collector listings --every` runs it.
		if job, ok, err := mturk.ScheduledJob(s, &cfg.Schedule, log); err != nil {
			return err
		} else if ok && s.Mode() == store.Embedded {
			if err := sched.Add(job); err != nil {
				return err
			}
		}
		// So does the forum crawl, when the config schedules it and names the threads.
		if job, ok, err := forum.ScheduledJob(s, hasher, &cfg.Schedule, log); err != nil {
			return err
		} else if ok && s.Mode() == store.Embedded {
			if err := sched.Add(job); err != nil {
				return err
			}
		}
		// Every platform's reports, each in its folder (reports.Dir): MTurk's in the reports folder
		// itself, Prolific's in its prolific/ subfolder.
		for _, kind := range []string{reports.Weekly, reports.Monthly} {
			if err := sched.Add(reports.Job(rb, *reportsDir, kind, time.Now)); err != nil {
				return err
			}
		}
		if err := sched.Add(reports.RefreshJob(rb, *reportsDir, time.Now)); err != nil {
			return err
		}
		go func() {
			if err := reports.EnsureAll(ctx, rb, *reportsDir, time.Now()); err != nil {
				log.Error("reports failed", slog.String("err", err.Error()))
			}
		}()
		sched.Start()
		defer sched.Stop()
		if j := figs.warm(recomputed); j != nil {
			go sched.RunNow(*j)
		}
	}

	ing := ingest.NewService(s, hasher, ingest.Config{})
	if cfg.NewToken != "" {
		secret, tok, err := ing.Tokens.Create(ctx, cfg.NewToken)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		fmt.Printf("new reporting token %s (%s): %s\nIt is shown only now; send it as Authorization: Bearer TOKEN.\n", tok.ID, tok.Label, secret)
	}
	defer func() { _ = ing.Close(context.Background()) }()

	app := web.New(web.Deps{Store: s, Scheduler: sched, Log: log, BaseURL: cfg.BaseURL, Version: version, Ingest: ing,
		Wages: w, Directory: figs.dir, AccessLog: cfg.AccessLog, Hasher: hasher, ReportsDir: *reportsDir,
		Limits: limits, OpsPublic: cfg.OpsPublic, Refresh: figs.requesters, Pages: figs.pages})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another hitwage running? pass another --addr)", cfg.Addr, err)
	}
	errc := make(chan error, 2)
	go func() { errc <- fmt.Errorf("listen on %s: %w", cfg.Addr, app.Listener(ln)) }()
	if cfg.OpsAddr != "" {
		oln, err := net.Listen("tcp", cfg.OpsAddr)
		if err != nil {
			_ = app.ShutdownWithTimeout(10 * time.Second)
			return fmt.Errorf("listen on --ops-addr %s: %w", cfg.OpsAddr, err)
		}
		ops := app.Ops()
		go func() { errc <- fmt.Errorf("listen on --ops-addr %s: %w", cfg.OpsAddr, ops.Listener(oln)) }()
		defer func() { _ = ops.ShutdownWithTimeout(5 * time.Second) }()
		fmt.Printf("operations endpoints (/healthz, /metrics) on http://%s\n", oln.Addr())
	}
	fmt.Printf("hitwage is serving on %s (store: %s %s)\n", cfg.BaseURL, s.Mode(), s.Location())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	return app.ShutdownWithTimeout(10 * time.Second)
}

// webLimits are the site's bounds on anonymous store reads (web.Limits), from the flags.
func webLimits(cfg *config.Config) (web.Limits, error) {
	if math.IsNaN(cfg.ClientRate) || math.IsInf(cfg.ClientRate, 0) {
		return web.Limits{}, fmt.Errorf("--client-rate %v: want requests a second, or 0 for no per-client limit", cfg.ClientRate)
	}
	if cfg.ClientBurst < 1 || cfg.Exports < 1 {
		return web.Limits{}, errors.New("--client-burst and --exports must be at least 1")
	}
	l := web.Limits{StoreSlots: cfg.StoreSlots, Rate: cfg.ClientRate, Burst: cfg.ClientBurst, Exports: cfg.Exports, ClientHeader: cfg.ClientIPHeader}
	if l.Rate <= 0 {
		l.Rate = -1 // web.Limits: negative is "no per-client limit", zero its default
	}
	return l, nil
}

func loadDemo(ctx context.Context, s *store.Store, h *records.Hasher, log *slog.Logger) error {
	var n uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM task_records", nil, &n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	sum, err := demo.Load(ctx, s, h, demo.Options{})
	if err != nil {
		return errors.Join(errors.New("loading demo data failed"), err)
	}
	log.Info("loaded demo data", slog.Int("requesters", sum.Requesters), slog.Int("groups", sum.Groups),
		slog.Int("snapshots", sum.Snapshots), slog.Int("records", sum.Records), slog.Int("reviews", sum.Reviews),
		slog.Int("prolific_researchers", sum.Researchers), slog.Int("prolific_studies", sum.Studies),
		slog.Int("prolific_submissions", sum.Submissions), slog.Int("prolific_reviews", sum.ProlificReviews))
	return nil
}
