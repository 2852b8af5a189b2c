package web_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/hitwage/hitwage/internal/ingest"
)

// zeros reads as n zero bytes without holding them.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), z.n)]
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

// compress codes r's bytes with a Content-Encoding.
func compress(t *testing.T, coding string, r io.Reader) []byte {
	t.Helper()
	var b bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "deflate":
		w = zlib.NewWriter(&b)
	case "br":
		w = brotli.NewWriterLevel(&b, brotli.BestSpeed)
	}
	if _, err := io.Copy(w, r); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bombs are 256 MiB of zeros in each coding (a few hundred KiB at most), made once.
var bombs = struct {
	sync.Mutex
	m map[string][]byte
}{m: map[string][]byte{}}

func bomb(t *testing.T, coding string) []byte {
	bombs.Lock()
	defer bombs.Unlock()
	if b, ok := bombs.m[coding]; ok {
		return b
	}
	b := compress(t, coding, &zeros{256 << 20})
	bombs.m[coding] = b
	return b
}

// postCoded posts a coded body with a token (as a bearer header on the API, a form field on pages).
func (e *ingestEnv) postCoded(t *testing.T, path, contentType, coding string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Content-Encoding", coding)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header, b}
}

// postRoutes are every POST route, with the body type each takes.
var postRoutes = []struct{ path, contentType string }{
	{"/api/v1/reports", "application/json"},
	{"/api/v1/reviews", "application/json"},
	{"/requesters/A3HWTESTREQ0001/review", "application/x-www-form-urlencoded"},
	{"/me", "application/x-www-form-urlencoded"},
	{"/api/v1/studies", "application/json"},
	{"/contribute/token", "application/x-www-form-urlencoded"},
	{"/contribute/upload", "multipart/form-data; boundary=x"},
	{"/contribute/confirm", "application/x-www-form-urlencoded"},
	{"/contribute/mine", "application/x-www-form-urlencoded"},
	{"/contribute/delete", "application/x-www-form-urlencoded"},
}

// A compression bomb (256 MiB of zeros in a few hundred KiB) posted to any POST route is refused
// with a 413 once its decoded bytes pass the route's limit: nothing inflates it whole, before or
// after the token check.
func TestCompressionBombIsRefused(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	for _, coding := range []string{"gzip", "deflate", "br"} {
		b := bomb(t, coding)
		for _, r := range postRoutes {
			if coding != "gzip" && r.path != "/api/v1/reports" { // the largest limit
				continue
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			a := e.postCoded(t, r.path, r.contentType, coding, b)
			runtime.ReadMemStats(&after)
			t.Logf("%s %s (%d bytes): %d, %.1f MiB allocated", coding, r.path, len(b), a.status, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
			decodeErr(t, a, 413, "body_too_large")
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("%s bomb to %s: %d MiB allocated", coding, r.path, grew>>20)
			}
		}
	}
	if n := e.count(t, "", nil); n != 0 {
		t.Fatalf("%d records stored", n)
	}
}

// Coded bodies within the limit reach the routes decoded; other codings are a 415, and a body
// that is not what its Content-Encoding says is a 400.
func TestCodedBodies(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	for i, coding := range []string{"gzip", "deflate", "br"} {
		body := compress(t, coding, strings.NewReader("["+rec(i+1, "")+"]"))
		if a := e.postCoded(t, "/api/v1/reports", "application/json", coding, body); a.status != 200 {
			t.Fatalf("%s report: %d %s", coding, a.status, a.body)
		}
	}
	// Two codings, applied gzip first: undone in reverse.
	twice := compress(t, "br", bytes.NewReader(compress(t, "gzip", strings.NewReader("["+rec(4, "")+"]"))))
	if a := e.postCoded(t, "/api/v1/reports", "application/json", "gzip, br", twice); a.status != 200 {
		t.Fatalf("gzip, br report: %d %s", a.status, a.body)
	}
	if n := e.count(t, "", nil); n != 4 {
		t.Fatalf("%d records stored, want 4", n)
	}
	review := compress(t, "gzip", strings.NewReader(`{"requester_id":"A3HWTESTREQ0001","pay":4,"text":"Paid fairly."}`))
	if a := e.postCoded(t, "/api/v1/reviews", "application/json", "gzip", review); a.status != 200 {
		t.Fatalf("gzip review: %d %s", a.status, a.body)
	}

	er := decodeErr(t, e.postCoded(t, "/api/v1/reports", "application/json", "compress", []byte("x")), 415, "unsupported_encoding")
	if er.Error.Field != "Content-Encoding" || !strings.Contains(er.Error.Message, `"compress"`) {
		t.Fatalf("415 body %+v", er)
	}
	decodeErr(t, e.postCoded(t, "/api/v1/reviews", "application/json", "gzip, zstd", review), 415, "unsupported_encoding")
	decodeErr(t, e.postCoded(t, "/api/v1/reviews", "application/json", "gzip, gzip, gzip", review), 415, "unsupported_encoding")
	decodeErr(t, e.postCoded(t, "/api/v1/reports", "application/json", "gzip", []byte("["+rec(9, "")+"]")), 400, "bad_request")
	if n := e.count(t, "", nil); n != 4 {
		t.Fatalf("%d records stored, want 4", n)
	}
}
