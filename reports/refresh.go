package reports

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hitwage/hitwage/internal/schedule"
)

//go:embed fingerprint.sql
var fingerprintSQL string

// Workers report tasks late and MTurk decides them late (approvals come days after submission),
// so a period's figures keep changing for a while after its report is written. Refresh rewrites
// a recent report when its period's records changed since: the report carries the fingerprint of
// the records it was built from (the about table's "data fingerprint").

// refreshWindow is how long after its end a period's report is still refreshed.
var refreshWindow = map[string]time.Duration{Weekly: 8 * 7 * 24 * time.Hour, Monthly: 92 * 24 * time.Hour}

// fingerprintRow names the about table's row holding the fingerprint.
const fingerprintRow = "data fingerprint"

// fingerprint is the fingerprint of p's task records now.
func (b *Builder) fingerprint(ctx context.Context, p Period) (string, error) {
	var fp string
	if err := b.Store.QueryRow(ctx, fingerprintSQL, b.rangeArgs(p), &fp); err != nil {
		return "", fmt.Errorf("reports: fingerprint: %w", err)
	}
	return fp, nil
}

// Refresh rewrites the reports of b's platform in dir (its folder, Dir) whose period ended less than the refresh window before now
// (8 weeks for weekly, about 3 months for monthly reports) and whose records changed since they
// were written, and returns the periods it rewrote. A report written before fingerprints existed
// is rewritten once.
func (b *Builder) Refresh(ctx context.Context, dir string, now time.Time) ([]string, error) {
	entries, err := List(dir)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, e := range entries {
		p := e.Period
		if now.Sub(p.To) > refreshWindow[p.Kind] {
			continue
		}
		fp, err := b.fingerprint(ctx, p)
		if err != nil {
			return done, err
		}
		if written, _ := writtenFingerprint(filepath.Join(dir, p.Name)); written == fp {
			continue
		}
		r, err := b.build(ctx, p, fp)
		if err != nil {
			return done, err
		}
		if err := Write(dir, r); err != nil {
			return done, err
		}
		done = append(done, p.Name)
	}
	return done, nil
}

// writtenFingerprint reads the fingerprint a written report carries; "" when it has none.
func writtenFingerprint(folder string) (string, error) {
	f, err := os.Open(filepath.Join(folder, "about.csv"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return "", err
	}
	for _, row := range rows {
		if len(row) == 2 && row[0] == fingerprintRow {
			return row[1], nil
		}
	}
	return "", nil
}

// RefreshJob returns the scheduled job that refreshes every platform's recent reports, each in its
// folder under root (Dir), daily at 06:30 UTC. b's Platform is ignored. On a store holding the demo
// data set it writes nothing.
func RefreshJob(b *Builder, root string, now func() time.Time) schedule.Job {
	return schedule.Job{Name: "report-refresh", Spec: "30 6 * * *", Run: func(ctx context.Context) error {
		if b.demoStore(ctx) {
			return nil
		}
		t := now()
		return everyPlatform(b, root, func(pb *Builder, dir string) error {
			_, err := pb.Refresh(ctx, dir, t)
			return err
		})
	}}
}
