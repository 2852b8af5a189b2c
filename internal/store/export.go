package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// ErrExportUnsupported reports an Export on a transport that can't stream raw formats yet.
var ErrExportUnsupported = errors.New("store: streaming exports run on the embedded store only")

// streamable are the output formats whose chunks concatenate into one valid output: chDB
// formats each streamed chunk (about 65,000 rows) on its own, so a format with a file header or
// footer (Parquet, JSON, XML, ...) would come out as several files. Header rows of the
// ...WithNames formats are written once.
var streamable = map[string]int{ // format -> header lines
	"CSV": 0, "CSVWithNames": 1, "CSVWithNamesAndTypes": 2,
	"TSV": 0, "TabSeparated": 0, "TSVWithNames": 1, "TSVWithNamesAndTypes": 2, "TSVRaw": 0,
	"JSONEachRow": 0, "JSONLines": 0, "NDJSON": 0, "JSONCompactEachRow": 0, "JSONStringsEachRow": 0,
	"RowBinary": 0, "Native": 0,
}

// Export runs a SELECT and streams ClickHouse's own output in a row format (CSVWithNames,
// TSVWithNames, JSONEachRow, ...; see streamable) to w as it is produced, in bounded memory.
// Whole-file formats such as Parquet are refused: write them with INSERT INTO FUNCTION file().
// It uses a connection of its own, so other queries go on meanwhile. Values are bound as in Query.
func (s *Store) Export(ctx context.Context, query string, args Args, format string, w io.Writer) error {
	header, ok := streamable[format]
	if !ok {
		return fmt.Errorf("store: export: format %q can't be streamed chunk by chunk; use a row format (CSV, TSV, JSONEachRow, ...)", format)
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
	first := true
	err = c.stream(ctx, query, format, params, func(b []byte) error {
		if !first {
			for i := 0; i < header; i++ {
				nl := bytes.IndexByte(b, '\n')
				if nl < 0 {
					return errors.New("export: a chunk without its header rows")
				}
				b = b[nl+1:]
			}
		}
		first = false
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return queryError(query, err)
	}
	return nil
}
