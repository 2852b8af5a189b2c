package forum_test

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/collect/forum"
	"github.com/hitwage/hitwage/internal/config"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func scheduleFrom(t *testing.T, yaml string) *config.Schedule {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hitwage.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c := config.Bind(fs)
	if err := fs.Parse([]string{"--config", path}); err != nil {
		t.Fatal(err)
	}
	return &c.Schedule
}

// TestScheduledJob: the forum crawl runs from the schedule only when configured, and a run
// stores the threads' reported tasks as `collector forum` does.
func TestScheduledJob(t *testing.T) {
	srv, hits := forumServer(t)
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("forum-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	if _, ok, err := forum.ScheduledJob(s, h, scheduleFrom(t, "forum:\n  base_url: "+srv.URL+"\n"), log); ok || err != nil {
		t.Fatalf("unscheduled: ok %v err %v, want no job", ok, err)
	}
	if _, _, err := forum.ScheduledJob(s, h, scheduleFrom(t, "schedule:\n  forum: \"@hourly\"\n"), log); err == nil ||
		!strings.Contains(err.Error(), "base_url") {
		t.Fatalf("scheduled without a forum: section: %v", err)
	}
	sc := scheduleFrom(t, "schedule:\n  forum: \"@hourly\"\nforum:\n  base_url: "+srv.URL+
		"\n  threads: [/threads/hit-thread-week-48.7001]\n  delay: 100ms\n")
	job, ok, err := forum.ScheduledJob(s, h, sc, log)
	if err != nil || !ok || job.Spec != "@hourly" || job.Name != "forum" {
		t.Fatalf("job %+v ok %v err %v", job, ok, err)
	}
	for range 2 { // a second run replaces, never adds
		if err := job.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var n uint64
	if err := s.QueryRow(context.Background(), "SELECT count() FROM task_records FINAL", nil, &n); err != nil || n != 5 {
		t.Fatalf("%d records (%v), want 5", n, err)
	}
	if v, ok := hits.Load("/threads/hit-thread-week-48.7001/page-2"); !ok || *(v.(*int)) != 2 {
		t.Errorf("page 2 not read once a run: %v", v)
	}
}
