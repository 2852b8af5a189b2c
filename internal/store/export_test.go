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
