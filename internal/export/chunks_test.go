package export_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestManyChunks exports more rows than the engine streams in one chunk and checks that each format is
// still one well-formed file: one CSV header, one NDJSON object per row, and a Parquet file that reads
// back whole.
func TestManyChunks(t *testing.T) {
	const n = 200_000
	s := storetest.New(t)
	ctx := context.Background()
	if err := s.Exec(ctx, generateSQL, store.Args{"n": uint64(n)}); err != nil {
		t.Fatal(err)
	}
	e := &export.Exporter{Store: s}
	for _, f := range []string{"csv", "ndjson", "parquet"} {
		body := run(t, e, export.Options{Dataset: "records", Format: f})
		switch f {
		case "csv":
			if h := bytes.Count(body, []byte(`"reporter","requester_id"`)); h != 1 {
				t.Errorf("csv has %d header rows", h)
			}
			if l := bytes.Count(body, []byte("\n")); l != n+1 {
				t.Errorf("csv has %d lines, want %d", l, n+1)
			}
		case "ndjson":
			if l := bytes.Count(body, []byte("\n")); l != n {
				t.Errorf("ndjson has %d lines, want %d", l, n)
			}
		case "parquet":
			_, rows := parquetBack(t, s, body)
			if l := bytes.Count([]byte(rows), []byte("\n")); l != n {
				t.Errorf("parquet reads back %d rows, want %d", l, n)
			}
		}
	}
}
