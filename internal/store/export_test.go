package store

import (
	"context"
	"testing/fstest"
)

// MigrateFiles runs a migration set given as file name -> SQL, for tests of the runner itself.
func (s *Store) MigrateFiles(ctx context.Context, files map[string]string, opts MigrateOptions) (int, error) {
	fsys := fstest.MapFS{}
	for name, sql := range files {
		fsys["m/"+name] = &fstest.MapFile{Data: []byte(sql)}
	}
	ms, err := loadMigrations(fsys, "m")
	if err != nil {
		return 0, err
	}
	return s.migrate(ctx, ms, opts)
}

// HoldJobShare takes every connection of the jobs' share, as running jobs would, until release.
func (s *Store) HoldJobShare(ctx context.Context) (release func(), err error) {
	n := int64(max(s.Connections()-1, 1))
	if err := s.jobs.Acquire(ctx, n); err != nil {
		return nil, err
	}
	return func() { s.jobs.Release(n) }, nil
}

// RedactDSN is redactDSN, for its test.
var RedactDSN = redactDSN

// LayoutOf is layoutOf, for its test.
func (t Target) LayoutOf(tables map[string]string) error { return t.layoutOf(tables) }
