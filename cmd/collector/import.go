package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/hitwage/hitwage/internal/ingest"
)

func init() {
	commands["import"] = command{"import task records from CSV or NDJSON files: import [--map ...] [--platform P] [--currency C] [--api URL --token T] FILE...", cmdImport}
}

func cmdImport(ctx context.Context, args []string, stdout io.Writer) error {
	var (
		mapping, delim, worker, api, token string
		plat, currency                     string
		batch, listMax                     int
	)
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&mapping, "map", "", `rename columns to record fields: "Requester ID=requester_id,Time Taken=duration_seconds"`)
		fs.StringVar(&delim, "delimiter", "", `CSV delimiter (",", ";", "\t" or "|"); default: detected from the header`)
		fs.StringVar(&worker, "worker-id", "", "whose history the files are (hashed, never stored); default: each file (or the API token) is the reporter")
		fs.StringVar(&plat, "platform", "", "platform of the records that name none (no platform column): mturk or prolific; default mturk")
		fs.StringVar(&currency, "currency", "", "currency of the records that name none (ISO 4217, e.g. GBP); default each record's platform's")
		fs.IntVar(&batch, "batch", 0, "records per insert (default 75,000) or per API request (default and most 10,000)")
		fs.IntVar(&listMax, "show", 20, "rejected lines to print per file")
		fs.StringVar(&api, "api", "", "send the records to this running site's API instead of opening the store (for when the site holds --data)")
		fs.StringVar(&token, "token", os.Getenv("HITWAGE_TOKEN"), "API token for --api (env HITWAGE_TOKEN)")
	}
	cfg, fs, err := parseFlags("import", args, flags)
	if err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return errors.New("import: name one or more files (flags go before the files)")
	}
	m, err := ingest.ParseMapping(mapping)
	if err != nil {
		return err
	}
	var d rune
	switch delim {
	case "":
	case `\t`, "tab", "\t":
		d = '\t'
	case ",", ";", "|":
		d = rune(delim[0])
	default:
		return fmt.Errorf("import: --delimiter %q: use one of , ; | or \\t", delim)
	}
	if err := ingest.CheckDefaults(plat, currency); err != nil {
		return err
	}
	var do func(r io.Reader, opts ingest.ImportOptions) (ingest.FileReport, error)
	if api != "" {
		// The site owns the store: the store flags are accepted and ignored.
		if token == "" {
			return errors.New("import: --api needs --token (or HITWAGE_TOKEN); create one with `collector tokens create`")
		}
		client := &ingest.Client{BaseURL: api, Token: token}
		do = func(r io.Reader, opts ingest.ImportOptions) (ingest.FileReport, error) {
			return ingest.ImportToAPI(ctx, client, r, opts)
		}
	} else {
		s, err := openConfigured(ctx, "import", cfg)
		if err != nil {
			return err
		}
		defer s.Close()
		h, err := hasher(cfg)
		if err != nil {
			return err
		}
		do = func(r io.Reader, opts ingest.ImportOptions) (ingest.FileReport, error) {
			return ingest.Import(ctx, s, h, r, opts)
		}
	}
	var failed []string
	for _, name := range files {
		rep, err := importOne(name, ingest.ImportOptions{Mapping: m, Delimiter: d, WorkerID: worker, Platform: plat, Currency: currency, BatchSize: batch}, do)
		printReport(stdout, rep, listMax)
		if err != nil {
			fmt.Fprintf(os.Stderr, "import: %s: %v\n", name, err)
			failed = append(failed, name)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("import: %d of %d files failed: %v", len(failed), len(files), failed)
	}
	return nil
}

func importOne(name string, opts ingest.ImportOptions, do func(io.Reader, ingest.ImportOptions) (ingest.FileReport, error)) (ingest.FileReport, error) {
	f, err := os.Open(name)
	if err != nil {
		return ingest.FileReport{File: name}, err
	}
	defer f.Close()
	opts.Name = name
	if st, err := f.Stat(); err == nil && isatty.IsTerminal(os.Stderr.Fd()) {
		p := &progress{name: name, size: st.Size(), start: time.Now()}
		opts.Progress = p.update
		defer p.done()
	}
	return do(f, opts)
}

func printReport(w io.Writer, rep ingest.FileReport, listMax int) {
	fmt.Fprintf(w, "%s: %s, %d read, %d stored, %d duplicates, %d rejected\n",
		rep.File, orUnknown(string(rep.Format)), rep.Read, rep.Stored, rep.Duplicates, rep.Rejected)
	if len(rep.Ignored) > 0 {
		fmt.Fprintf(w, "  ignored columns (map them with --map): %q\n", rep.Ignored)
	}
	for i, p := range rep.Problems {
		if i == listMax {
			fmt.Fprintf(w, "  ... and %d more problems\n", len(rep.Problems)-listMax)
			break
		}
		if p.Field != "" {
			fmt.Fprintf(w, "  line %d: %s %s\n", p.Line, p.Field, p.Message)
		} else {
			fmt.Fprintf(w, "  line %d: %s\n", p.Line, p.Message)
		}
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unreadable"
	}
	return s
}

// progress draws one updating line on a terminal.
type progress struct {
	name  string
	size  int64
	start time.Time
	last  time.Time
	drawn bool
}

func (p *progress) update(ip ingest.ImportProgress) {
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.drawn = now, true
	pct := 0.0
	if p.size > 0 {
		pct = 100 * float64(ip.Bytes) / float64(p.size)
	}
	rate := float64(ip.Read) / max(now.Sub(p.start).Seconds(), 0.001)
	const width = 30
	filled := min(width, int(pct/100*width))
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = '-'
		if i < filled {
			bar[i] = '#'
		}
	}
	fmt.Fprintf(os.Stderr, "\r%s [%s] %5.1f%%  %d records  %.0f/s ", p.name, bar, pct, ip.Read, rate)
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
}
