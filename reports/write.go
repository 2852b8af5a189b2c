package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/schedule"
)

// Files of a written report, inside <dir>/<period>/ (dir: the platform's folder, Dir).
const (
	MarkdownFile = "report.md"
	HTMLFile     = "report.html"
	AllCSVFile   = "report.csv" // every table in one long CSV
)

// Files returns a report's rendered files by name: the Markdown, the HTML fragment, the long CSV
// and one <table>.csv per table.
func (r *Report) Files() (map[string][]byte, error) {
	md, err := r.Markdown()
	if err != nil {
		return nil, err
	}
	html, err := r.HTML()
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{MarkdownFile: md, HTMLFile: html}
	var all bytes.Buffer
	if err := r.AllCSV(&all); err != nil {
		return nil, err
	}
	files[AllCSVFile] = all.Bytes()
	for _, t := range r.Tables {
		var b bytes.Buffer
		if err := t.CSV(&b); err != nil {
			return nil, err
		}
		files[t.Name+".csv"] = b.Bytes()
	}
	return files, nil
}

// Write renders r into dir/<period>/, replacing an earlier rendering whole: the files are written
// to a new folder that then takes the old one's place, so readers never see half a report.
func Write(dir string, r *Report) error {
	files, err := r.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, "."+r.Period.Name+".tmp-")
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	defer os.RemoveAll(tmp)
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return fmt.Errorf("reports: write %s: %w", name, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	final := filepath.Join(dir, r.Period.Name)
	old := final + ".old"
	_ = os.RemoveAll(old)
	if err := os.Rename(final, old); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("reports: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	_ = os.RemoveAll(old)
	return nil
}

// Entry is one written report in a reports folder.
type Entry struct {
	Period Period
}

// List returns the reports written under dir, newest period first (monthly before weekly on ties).
func List(dir string) ([]Entry, error) {
	des, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	var out []Entry
	for _, de := range des {
		if !de.IsDir() {
			continue
		}
		p, err := ParsePeriod(de.Name())
		if err != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, de.Name(), MarkdownFile)); err != nil {
			continue
		}
		out = append(out, Entry{Period: p})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Period, out[j].Period
		if !a.To.Equal(b.To) {
			return a.To.After(b.To)
		}
		return a.Kind == Monthly && b.Kind != Monthly
	})
	return out, nil
}

// DemoLabel ends the title of a report built from the demo data set (and so its citation).
const DemoLabel = "(demo data: made up, not real wages)"

// demoStore reports whether b's store holds the generated demo data set. The site's jobs (Job,
// RefreshJob, EnsureAll) write no report of it: the reports folder is published at /reports/ beside
// real reports, and made-up wages must not be read or cited as real ones. `collector report` writes
// one only into another folder, labelled (DemoLabel).
func (b *Builder) demoStore(ctx context.Context) bool { return b.Store.IsDemo(ctx) }

// Job returns the scheduled job that writes the last complete period of kind for every platform,
// each into its folder under root (Dir: MTurk's in root, Prolific's in root/prolific), at
// "0 6 * * 1" (weekly, Mondays 06:00 UTC) or "0 6 1 * *" (monthly). b's Platform is ignored. On a
// store holding the demo data set it writes nothing.
func Job(b *Builder, root, kind string, now func() time.Time) schedule.Job {
	spec := "0 6 * * 1"
	if kind == Monthly {
		spec = "0 6 1 * *"
	}
	return schedule.Job{Name: "report-" + kind, Spec: spec, Run: func(ctx context.Context) error {
		if b.demoStore(ctx) {
			return nil
		}
		t := now()
		return everyPlatform(b, root, func(pb *Builder, dir string) error { return pb.WriteLast(ctx, dir, kind, t) })
	}}
}

// everyPlatform runs f with b's copy for each platform and the platform's reports folder under
// root; a platform's failure does not keep the others' reports from being written.
func everyPlatform(b *Builder, root string, f func(pb *Builder, dir string) error) error {
	var errs []error
	for _, p := range platform.All() {
		if err := f(b.ForPlatform(p.ID), Dir(root, p.ID)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Short, err))
		}
	}
	return errors.Join(errs...)
}

// WriteLast builds and writes the last period of kind completed by now. A platform that had closed
// before the period began gets no report of it unless it has records then: its archive is not
// padded with a "no data" report every week.
func (b *Builder) WriteLast(ctx context.Context, dir, kind string, now time.Time) error {
	p := LastComplete(kind, now)
	r, err := b.Build(ctx, p)
	if err != nil {
		return err
	}
	if r.NoData && b.closedBefore(p) {
		return nil
	}
	return Write(dir, r)
}

// closedBefore reports whether the platform had closed before p began (it closed at the end of
// its closing day).
func (b *Builder) closedBefore(p Period) bool {
	pl := b.plat()
	return pl.Archive() && !p.From.Before(pl.Closed.AddDate(0, 0, 1))
}

// EnsureLast writes the last complete week's and month's reports of b's platform when dir lacks
// them, so a new site has reports before the first scheduled run.
func (b *Builder) EnsureLast(ctx context.Context, dir string, now time.Time) error {
	for _, kind := range []string{Weekly, Monthly} {
		p := LastComplete(kind, now)
		if _, err := os.Stat(filepath.Join(dir, p.Name, MarkdownFile)); err == nil {
			continue
		}
		if err := b.WriteLast(ctx, dir, kind, now); err != nil {
			return err
		}
	}
	return nil
}

// EnsureAll is EnsureLast for every platform, each in its folder under root (Dir); on a store
// holding the demo data set it writes nothing.
func EnsureAll(ctx context.Context, b *Builder, root string, now time.Time) error {
	if b.demoStore(ctx) {
		return nil
	}
	return everyPlatform(b, root, func(pb *Builder, dir string) error { return pb.EnsureLast(ctx, dir, now) })
}
