package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// ErrExportUnsupported reports an Export on a transport that can't stream raw formats yet.
var ErrExportUnsupported = errors.New("store: streaming exports run on the embedded store only")

var formatRe = regexp.MustCompile(`^[A-Za-z]+$`)

// Export runs a SELECT and streams ClickHouse's own output in format (CSVWithNames,
// TSVWithNames, JSONEachRow, Parquet, ...) to w as it is produced, in bounded memory. It uses a
// connection of its own, so other queries go on meanwhile. Values are bound as in Query.
func (s *Store) Export(ctx context.Context, query string, args Args, format string, w io.Writer) error {
	if !formatRe.MatchString(format) {
		return fmt.Errorf("store: export: bad format %q", format)
	}
	e, ok := s.tr.(*embedded)
	if !ok {
		return ErrExportUnsupported
	}
	params, err := encodeArgs(args)
	if err != nil {
		return queryError(query, err)
	}
	c, err := openChdb(s.cfg.DataDir)
	if err != nil {
		return err
	}
	defer c.closeRaw()
	if _, err := c.query("USE "+e.db, "TSV", nil); err != nil {
		return fmt.Errorf("store: export: %w", err)
	}
	err = c.stream(ctx, query, format, params, func(b []byte) error {
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return queryError(query, err)
	}
	return nil
}
