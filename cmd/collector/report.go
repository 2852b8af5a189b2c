package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/reports"
)

// version is set at build time with -ldflags "-X main.version=..." (the Makefile does); reports and
// exports stamp it as their git revision.
var version = "dev"

// cmdReport builds one platform's report of one period and writes it to the platform's folder in
// the reports folder (MTurk's: DIR/<period>, Prolific's: DIR/prolific/<period>). A store holding
// the demo data set gets its reports written only into a folder named with --out outside the
// reports folder (the site publishes that one), labelled as demo data in their title and citation.
//
//	collector report [--platform mturk|prolific] [--period 2026-W47|2026-11] [--out DIR] [--base-url URL] [--print md|csv]
func cmdReport(ctx context.Context, args []string, stdout io.Writer) error {
	var plat, period, out, baseURL, print string
	cfg, _, err := parseFlags("report", args, func(fs *flag.FlagSet) {
		fs.StringVar(&plat, "platform", string(platform.Default), "the platform reported on: "+strings.Join(platform.IDs(), " or "))
		fs.StringVar(&period, "period", "", "ISO week (2026-W47) or month (2026-11); default the last complete week")
		fs.StringVar(&out, "out", "", "reports folder (a platform beyond MTurk writes into its subfolder, e.g. prolific/); default DATA/reports (./reports-out with --clickhouse); required, and outside that folder, on a store holding the demo data set")
		fs.StringVar(&baseURL, "base-url", "", "public URL of the site, for the report's permanent link (env HITWAGE_BASE_URL)")
		fs.StringVar(&print, "print", "", "also print the report to stdout: md (Markdown) or csv (all tables)")
	})
	if err != nil {
		return err
	}
	pl, err := platform.Parse(plat)
	if err != nil {
		return fmt.Errorf("--platform: %w", err)
	}
	p := reports.LastComplete(reports.Weekly, time.Now())
	if period != "" {
		if p, err = reports.ParsePeriod(period); err != nil {
			return fmt.Errorf("--period: %w", err)
		}
	}
	if print != "" && print != "md" && print != "csv" {
		return fmt.Errorf("--print must be md or csv, not %q", print)
	}
	s, err := openConfigured(ctx, "report", cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	folder := reports.DefaultDir(cfg.Store.DataDir, s.Mode() == store.Server)
	demo := s.IsDemo(ctx)
	if demo && (out == "" || within(out, folder)) {
		return fmt.Errorf("the store holds the demo data set (made-up requesters and reports): its reports are not written "+
			"into the reports folder %s, which the site publishes; name another folder with --out DIR", folder)
	}
	if out == "" {
		out = folder
	}
	if baseURL == "" {
		if baseURL = os.Getenv("HITWAGE_BASE_URL"); baseURL == "" {
			baseURL = "http://127.0.0.1:8080"
		}
	}
	// NoRecordCache: a command's recompute is its last; a cache would be a copy of every record left on disk.
	w := wages.New(s, wages.Config{Rates: cfg.Rates, NoRecordCache: true})
	rt := ratings.New(s, w, ratings.Config{Target: w.Target()})
	if err := rt.Recompute(ctx); err != nil {
		return err
	}
	b := &reports.Builder{Store: s, Wages: w, Grades: reports.GradesOf(rt), Revision: reports.Revision(version), BaseURL: baseURL,
		Platform: pl.ID}
	r, err := b.Build(ctx, p)
	if err != nil {
		return err
	}
	dir := reports.Dir(out, pl.ID)
	if err := reports.Write(dir, r); err != nil {
		return err
	}
	switch print {
	case "md":
		md, err := r.Markdown()
		if err != nil {
			return err
		}
		_, err = stdout.Write(md)
		return err
	case "csv":
		return r.AllCSV(stdout)
	}
	note := ""
	if demo {
		note = "; demo data, labelled so"
	}
	fmt.Fprintf(stdout, "%s report %s written to %s (%d records%s)\n", pl.Short, p.Name, filepath.Join(dir, p.Name), r.Stamp.Records, note)
	return nil
}

// within reports whether path is folder or lies inside it (compared as absolute, cleaned paths).
func within(path, folder string) bool {
	p, err1 := filepath.Abs(path)
	f, err2 := filepath.Abs(folder)
	if err1 != nil || err2 != nil {
		return true // can't tell: treat it as the reports folder
	}
	rel, err := filepath.Rel(f, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
