package mturk_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is a local stand-in for the worker site: it serves testdata pages and scripted
// faults, and records what arrived.
type site struct {
	t        testing.TB
	mu       sync.Mutex
	tries    map[string]int
	arrivals []time.Time
	agents   []string
	cookies  []string
	// faults maps a list page number to the answers of its first tries, in order:
	// "429" (with Retry-After: 7), "ratelimit" (the HTML page, status 200), "503", "login".
	faults map[string][]string
	// pages maps a list page number to a testdata file.
	pages map[string]string
	// always, when set, answers every request with this fault.
	always string
}

func newSite(t testing.TB) *site {
	return &site{t: t, tries: map[string]int{}, faults: map[string][]string{}, pages: map[string]string{}}
}

func (s *site) start() *httptest.Server {
	srv := httptest.NewServer(s)
	s.t.Cleanup(srv.Close)
	return srv
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.arrivals = append(s.arrivals, time.Now())
	s.agents = append(s.agents, r.UserAgent())
	s.cookies = append(s.cookies, r.Header.Get("Cookie"))
	key := r.URL.Path + "?" + r.URL.Query().Get("page_number")
	s.tries[key]++
	try := s.tries[key]
	page := r.URL.Query().Get("page_number")
	var fault string
	if r.URL.Path == "/" && try <= len(s.faults[page]) {
		fault = s.faults[page][try-1]
	}
	if s.always != "" {
		fault = s.always
	}
	s.mu.Unlock()

	if r.URL.Query().Get("format") != "json" {
		http.Error(w, "want format=json", http.StatusBadRequest)
		return
	}
	switch fault {
	case "429":
		w.Header().Set("Retry-After", "7")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case "503":
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	case "ratelimit":
		s.file(w, "rate-limit.html", "text/html; charset=utf-8")
		return
	case "login":
		s.file(w, "login.html", "text/html; charset=utf-8")
		return
	}
	switch {
	case r.URL.Path == "/":
		name, ok := s.pages[page]
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.file(w, name, "application/json")
	case r.URL.Path == "/requesters/A1TESTREQALPHA/projects":
		s.file(w, "requester-A1TESTREQALPHA.json", "application/json")
	case strings.HasPrefix(r.URL.Path, "/requesters/"):
		s.file(w, "requester-empty.json", "application/json")
	default:
		http.NotFound(w, r)
	}
}

func (s *site) file(w http.ResponseWriter, name, ctype string) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		s.t.Errorf("testdata: %v", err)
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write(b)
}

func (s *site) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.arrivals)
}

// minGap is the shortest time between two arrivals.
func (s *site) minGap() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	gap := time.Duration(1 << 62)
	for i := 1; i < len(s.arrivals); i++ {
		gap = min(gap, s.arrivals[i].Sub(s.arrivals[i-1]))
	}
	return gap
}

// span is the time from the first arrival to the last.
func (s *site) span() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.arrivals) < 2 {
		return 0
	}
	return s.arrivals[len(s.arrivals)-1].Sub(s.arrivals[0])
}

// maxPerSecond is the most arrivals in any one-second window.
func (s *site) maxPerSecond() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	best := 0
	for i := range s.arrivals {
		n := 0
		for j := i; j < len(s.arrivals) && s.arrivals[j].Sub(s.arrivals[i]) < time.Second; j++ {
			n++
		}
		best = max(best, n)
	}
	return best
}

// waits records the delays a crawl asked for instead of sleeping through them.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
