package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

func cmdImport(ctx context.Context, args []string, stdout io.Writer) error {
	var (
		mapping, delim, worker, api, token string
		plat, currency, format, date       string
		researcher, studiesFile            string
		batch, listMax                     int
	)
	flags := func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "", "the files' format; default detected: "+formatNames())
		fs.StringVar(&mapping, "map", "", `rename columns to record fields: "Requester ID=requester_id,Time Taken=duration_seconds"`)
		fs.StringVar(&delim, "delimiter", "", `CSV delimiter (",", ";", "\t" or "|"); default: detected from the header`)
		fs.StringVar(&worker, "worker-id", "", "whose history the files are (hashed, never stored); default: each file (or the API token) is the reporter")
		fs.StringVar(&plat, "platform", "", "platform of the records that name none (no platform column): mturk or prolific; default mturk")
		fs.StringVar(&currency, "currency", "", "currency of the records that name none (ISO 4217, e.g. GBP); default each record's platform's")
		fs.StringVar(&date, "date", "", "YYYY-MM-DD: the date of saved MTurk status-details pages whose file name does not say it")
		fs.StringVar(&researcher, "researcher", "", "Prolific: the researcher id every row of a submission-history CSV belongs to")
		fs.StringVar(&studiesFile, "studies", "", "Prolific: a saved participant/studies JSON file that attributes a submission-history CSV's studies to researchers (also stored as study listings)")
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
	forced, err := histories.ParseFormat(format)
	if err != nil {
		return fmt.Errorf("import: --format: %w", err)
	}
	if date != "" {
		if _, err := time.Parse("2006-01-02", date); err != nil {
			return fmt.Errorf("import: --date %q: use YYYY-MM-DD", date)
		}
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
	hopts := histories.Options{Date: date, Researcher: researcher}
	if studiesFile != "" {
		if hopts.Studies, err = readStudies(studiesFile); err != nil {
			return err
		}
	}
	// Saved queue pages give accept times to the tasks the other files name: read them first.
	formats, err := detectFiles(files, forced)
	if err != nil {
		return err
	}
	if hopts.Queue, err = queueAccepts(files, formats); err != nil {
		return err
	}
	imp := &importer{stdout: stdout, listMax: listMax}
	if api != "" {
		// The site owns the store: the store flags are accepted and ignored.
		if token == "" {
			return errors.New("import: --api needs --token (or HITWAGE_TOKEN); create one with `collector tokens create`")
		}
		client := &ingest.Client{BaseURL: api, Token: token}
		imp.do = func(r io.Reader, opts ingest.ImportOptions) (ingest.FileReport, error) {
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
		imp.s, imp.h = s, h
		imp.do = func(r io.Reader, opts ingest.ImportOptions) (ingest.FileReport, error) {
			return ingest.Import(ctx, s, h, r, opts)
		}
		if len(hopts.Studies) > 0 {
			n, bad, err := histories.StoreStudies(ctx, s, "import:"+filepath.Base(studiesFile), time.Now(), hopts.Studies)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: %d study listings stored, %d left out\n", studiesFile, n, bad)
		}
	}
	var failed []string
	for _, name := range files {
		opts := ingest.ImportOptions{Name: name, Mapping: m, Delimiter: d, WorkerID: worker, Platform: plat, Currency: currency, BatchSize: batch}
		if err := imp.file(ctx, name, formats[name], hopts, opts); err != nil {
			fmt.Fprintf(os.Stderr, "import: %s: %v\n", name, err)
			failed = append(failed, fmt.Sprintf("%s: %v", name, strings.TrimPrefix(err.Error(), "ingest: "+name+": ")))
		}
		if ctx.Err() != nil {
			break
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("import: %d of %d files failed: %s", len(failed), len(files), strings.Join(failed, "; "))
	}
	return nil
}

func formatNames() string {
	var names []string
	for _, f := range histories.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// detectFiles names each file's format, forced or detected from its first bytes ("" is
// hitwage's own CSV, NDJSON or JSON, which ingest.Open tells apart): once, for every use of it.
func detectFiles(files []string, forced histories.Format) (map[string]histories.Format, error) {
	out := make(map[string]histories.Format, len(files))
	for _, name := range files {
		if forced != "" {
			out[name] = forced
			continue
		}
		head, err := withFile(name, func(f *os.File) ([]byte, error) {
			b := make([]byte, histories.SniffBytes)
			n, err := io.ReadFull(f, b)
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				err = nil
			}
			return b[:n], err
		})
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		out[name] = histories.Detect(name, head)
	}
	return out, nil
}

// queueAccepts reads the accept times of the files that are saved MTurk queue pages.
func queueAccepts(files []string, formats map[string]histories.Format) ([]histories.Accept, error) {
	var out []histories.Accept
	for _, name := range files {
		if formats[name] != histories.Queue {
			continue
		}
		accepts, err := withFile(name, func(f *os.File) ([]histories.Accept, error) {
			var opened histories.Opened
			rd, err := histories.Opener(histories.Queue, histories.Options{Name: name}, ingest.ReadOptions{}, &opened)(f)
			if err != nil {
				return nil, err
			}
			for {
				if _, err := rd.Next(); err == io.EOF {
					break
				} else if err != nil {
					return nil, err
				}
			}
			return opened.Reader.Accepts(), nil
		})
		if err != nil {
			return nil, fmt.Errorf("import: %s: %w", name, err)
		}
		out = append(out, accepts...)
	}
	return out, nil
}

func readStudies(name string) ([]histories.Study, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("import: --studies: %w", err)
	}
	defer f.Close()
	st, err := histories.ReadStudies(f)
	if err != nil {
		return nil, fmt.Errorf("import: --studies %s: %w", name, err)
	}
	return st, nil
}

// importer imports files one by one; a file that cannot be read to its end stores nothing of
// itself (see file).
type importer struct {
	stdout  io.Writer
	listMax int
	do      func(io.Reader, ingest.ImportOptions) (ingest.FileReport, error)
	s       *store.Store // nil with --api
	h       *records.Hasher
}

func (imp *importer) file(ctx context.Context, name string, format histories.Format, hopts histories.Options, opts ingest.ImportOptions) error {
	hopts.Name = name
	var opened histories.Opened
	opts.Open = histories.Opener(format, hopts, ingest.ReadOptions{Mapping: opts.Mapping, Delimiter: opts.Delimiter}, &opened)
	// A JSON document (a backup, a saved page) cut off in a copy is refused before any of it is
	// stored: a byte scan, several times cheaper than parsing it twice. Whatever else stops the
	// reading half-way, Import takes back what the file stored.
	if histories.Document(format) {
		if _, err := withFile(name, func(f *os.File) (struct{}, error) { return struct{}{}, histories.Complete(f) }); err != nil {
			return fmt.Errorf("%s: %w (nothing of this file was stored)", format, err)
		}
	}
	rep, err := withFile(name, func(f *os.File) (ingest.FileReport, error) {
		if st, err := f.Stat(); err == nil && isatty.IsTerminal(os.Stderr.Fd()) {
			p := newProgress(name, st.Size())
			opts.Progress = p.update
			defer p.done()
		}
		return imp.do(f, opts)
	})
	printReport(imp.stdout, rep, imp.listMax)
	if err != nil {
		return err
	}
	rd := opened.Reader
	good := rep.Read - rep.Rejected
	if rep.Untimed > 0 {
		fmt.Fprintf(imp.stdout, "  %d of the records have no time on task: they count for approvals and volume, never for wages\n", rep.Untimed)
	}
	held := false // the file holds something besides task records
	if rd != nil {
		if _, why := rd.Skipped(); len(why) > 0 {
			for _, w := range why {
				fmt.Fprintf(imp.stdout, "  %s\n", w)
			}
		}
		if len(rd.Accepts()) > 0 {
			held = true
			fmt.Fprintf(imp.stdout, "  %d accept times read: MTurk's saved pages hold no submit time, so they give no time on task\n", len(rd.Accepts()))
		}
		days, studies := len(rd.Days()), len(rd.Studies())
		held = held || days > 0 || studies > 0
		switch {
		case days+studies == 0:
		case imp.s == nil:
			fmt.Fprintf(imp.stdout, "  %d days of daily statistics and %d study listings not sent: --api takes task records only\n", days, studies)
		default:
			x, err := histories.StoreExtras(ctx, imp.s, rd, ingest.FileReporter(imp.h, name, opts.WorkerID), "", "import:"+filepath.Base(name), time.Now())
			if err != nil {
				return err
			}
			if days > 0 {
				fmt.Fprintf(imp.stdout, "  %d days of the worker's daily statistics kept (to cross-check, never counted as tasks); %d with an unreadable date left out\n", x.Days, x.BadDays)
			}
			if studies > 0 {
				fmt.Fprintf(imp.stdout, "  %d study listings stored, %d left out (no valid id, researcher or reward)\n", x.Studies, x.BadStudies)
			}
		}
	}
	switch {
	case rep.Rejected > 0 && good == 0:
		return fmt.Errorf("all %d records rejected: nothing stored", rep.Read)
	case rep.Rejected > 0:
		return fmt.Errorf("%d of %d records rejected (the others were stored)", rep.Rejected, rep.Read)
	case good == 0 && !held:
		return errors.New("no records could be stored")
	}
	return nil
}

func withFile[T any](name string, do func(*os.File) (T, error)) (T, error) {
	f, err := os.Open(name)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	return do(f)
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

// progress draws one updating bar on a terminal (schollz/progressbar): bytes of the file read,
// records and records a second.
type progress struct {
	bar  *progressbar.ProgressBar
	name string
	last time.Time
}

func newProgress(name string, size int64) *progress {
	return &progress{name: filepath.Base(name), bar: progressbar.NewOptions64(size, progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(filepath.Base(name)), progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(), progressbar.OptionSetRenderBlankState(true))}
}

func (p *progress) update(ip ingest.ImportProgress) {
	_ = p.bar.Set64(ip.Bytes)
	if now := time.Now(); now.Sub(p.last) >= 200*time.Millisecond {
		p.last = now
		p.bar.Describe(fmt.Sprintf("%s: %d records", p.name, ip.Read))
	}
}

func (p *progress) done() { _ = p.bar.Finish() }
