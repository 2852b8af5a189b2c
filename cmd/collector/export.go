package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/reports"
)

// cmdExport streams one research export to a file (with FILE.about.json beside it) or stdout.
//
//	collector export [--platform mturk|prolific] --dataset records|workers|requesters|weeks --format parquet [--from 2026-11-01] [--to 2026-12-01] [--k 5] [--out FILE]
func cmdExport(ctx context.Context, args []string, stdout io.Writer) error {
	var o export.Options
	var plat, from, to, out string
	var recompute bool
	cfg, _, err := parseFlags("export", args, func(fs *flag.FlagSet) {
		fs.StringVar(&plat, "platform", string(platform.Default), "the platform exported: "+strings.Join(platform.IDs(), " or "))
		fs.StringVar(&o.Dataset, "dataset", "records", "records, workers, requesters or weeks (see docs/data-dictionary.md)")
		fs.StringVar(&o.Format, "format", "csv", "csv, ndjson or parquet")
		fs.StringVar(&from, "from", "", "start of the range, inclusive: 2026-11-01 or an RFC 3339 time; moved back to its Monday")
		fs.StringVar(&to, "to", "", "end of the range, exclusive; moved on to the next Monday unless it is one (whole ISO weeks)")
		fs.IntVar(&o.K, "k", export.MinK, "fewest distinct reporters behind a published row or cell (at least 5)")
		fs.StringVar(&out, "out", "", "file to write (and FILE.about.json with the stamp and citation); default stdout")
		fs.BoolVar(&recompute, "recompute", true, "recompute the wage figures first (requesters and weeks read them)")
	})
	if err != nil {
		return err
	}
	o.Platform = platform.ID(plat)
	if o.From, err = export.ParseTime("from", from); err != nil {
		return flagError(err)
	}
	if o.To, err = export.ParseTime("to", to); err != nil {
		return flagError(err)
	}
	s, err := openConfigured(ctx, "export", cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	e := &export.Exporter{Store: s, Revision: reports.Revision(version), BaseURL: os.Getenv("HITWAGE_BASE_URL")}
	about, err := e.About(ctx, &o)
	if err != nil {
		return flagError(err)
	}
	if recompute && (o.Dataset == "requesters" || o.Dataset == "weeks") {
		// NoRecordCache: nothing in this command would read it, and it would stay on disk.
		if err := wages.New(s, wages.Config{Rates: cfg.Rates, NoRecordCache: true}).Recompute(ctx); err != nil {
			return err
		}
	}
	if out == "" {
		bw := bufio.NewWriterSize(stdout, 1<<20)
		if err := e.Write(ctx, o, bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	// Written beside the final name and renamed at the end: no half-written export under its name.
	tmp := out + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := e.Write(ctx, o, bw); err != nil {
		_ = f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	meta, err := json.MarshalIndent(struct {
		export.About
		Columns []export.Column `json:"columns"`
	}{about, columnsOf(o.Dataset)}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out+".about.json", append(meta, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s export written to %s (%s)\n", platform.Get(o.Platform).Short, o.Dataset, out, about.Stamp)
	return nil
}

func columnsOf(name string) []export.Column {
	for _, d := range export.Datasets {
		if d.Name == name {
			return d.Columns
		}
	}
	return nil
}

// flagError names the flag at fault in an export option error.
func flagError(err error) error {
	var oe *export.OptionError
	if errors.As(err, &oe) {
		return fmt.Errorf("--%s: %s", oe.Field, oe.Msg)
	}
	return err
}
