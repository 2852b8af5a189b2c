package export_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestExportOnEachStore checks what each store does with an export (storetest.Each: the server run
// is skipped without HITWAGE_TEST_CLICKHOUSE): the embedded store streams every format and writes
// Parquet; a server refuses them all with store.ErrExportUnsupported (docs/scale-out.md) after the
// dataset's checks, which read the server, have passed.
func TestExportOnEachStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		pseudonyms := craftedOn(t, s)
		e := &export.Exporter{Store: s, Revision: "test", BaseURL: "https://hitwage.example", TempDir: t.TempDir()}
		ctx := context.Background()
		for _, format := range []string{"csv", "ndjson", "parquet"} {
			o := export.Options{Dataset: "records", Format: format}
			if _, err := e.About(ctx, &o); err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			err := e.Write(ctx, o, &b)
			if s.Mode() == store.Server {
				if !errors.Is(err, store.ErrExportUnsupported) {
					t.Errorf("%s on a server: want ErrExportUnsupported, got %v", format, err)
				}
				continue
			}
			if err != nil || b.Len() == 0 {
				t.Fatalf("%s: %d bytes, %v", format, b.Len(), err)
			}
			if format != "parquet" {
				checkPrivate(t, "records."+format, b.Bytes(), pseudonyms)
			}
		}
	})
}
