package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

// syncBuffer is a log sink the server's goroutines write to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// With the access log on, an export still streams: the log line must not read the answer's
// body, which would copy the whole stream into memory before its first byte is sent (and send it
// with a Content-Length instead of in chunks). However few its rows (here none), an export is
// sent as a stream, so the framing shows whether the stream survived the log.
func TestAccessLogKeepsExportsStreaming(t *testing.T) {
	var logs syncBuffer
	base := serveDeps(t, web.Deps{Store: storetest.New(t), AccessLog: true, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, f := range []string{"csv", "ndjson", "parquet"} {
		res, err := http.Get(base + "/api/v1/export/records." + f + "?from=2026-11-01&to=2026-12-01")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("records.%s: %d, %q, %v", f, res.StatusCode, body, err)
		}
		if res.ContentLength != -1 || len(res.TransferEncoding) != 1 || res.TransferEncoding[0] != "chunked" {
			t.Errorf("records.%s was buffered, not streamed: Content-Length %d, Transfer-Encoding %q", f, res.ContentLength, res.TransferEncoding)
		}
	}
	// The log line is still written, with no size for a streamed answer.
	if l := logs.String(); strings.Count(l, `msg="http request" method=GET path=/api/v1/export/records.`) != 3 || !strings.Contains(l, "status=200") || !strings.Contains(l, "bytes=-1") {
		t.Fatalf("access log:\n%s", l)
	}
}
