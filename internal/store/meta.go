package store

import (
	"context"
	"errors"
	"time"
)

// SetMeta records a key/value fact about the store (e.g. that it holds demo data).
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.Exec(ctx, `INSERT INTO meta (key, value, updated_at) VALUES ({k:String}, {v:String}, {t:DateTime64(3, 'UTC')})`,
		Args{"k": key, "v": value, "t": time.Now()})
}

// Meta reads a fact set with SetMeta; "" when unset.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.QueryRow(ctx, `SELECT argMax(value, updated_at) FROM meta WHERE key = {k:String} GROUP BY key`, Args{"k": key}, &v)
	if errors.Is(err, ErrNoRows) {
		return "", nil
	}
	return v, err
}

// IsDemo reports whether the store holds the generated demo data set.
func (s *Store) IsDemo(ctx context.Context) bool {
	v, err := s.Meta(ctx, "demo")
	return err == nil && v != ""
}
