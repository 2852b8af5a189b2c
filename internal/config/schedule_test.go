package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	c := Bind(fs)
	return c, fs.Parse(args)
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "hitwage.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScheduleFromFileAndFlags(t *testing.T) {
	file := writeFile(t, `
schedule:
  listings: "@every 5m"
  reports: "0 3 * * 1"
listings:
  base_url: http://127.0.0.1:9
  pages: 7
  interval: 2s
`)
	c, err := parse(t, "--config", file, "--schedule", "reports=off", "--schedule", "scores=@hourly")
	if err != nil {
		t.Fatal(err)
	}
	s := c.Schedule
	if s.Spec("listings") != "@every 5m" || s.Spec("reports") != "" || s.Spec("scores") != "@hourly" || s.Spec("none") != "" {
		t.Errorf("specs: listings %q reports %q scores %q", s.Spec("listings"), s.Spec("reports"), s.Spec("scores"))
	}
	if got := strings.Join(s.Jobs(), ","); got != "listings,scores" {
		t.Errorf("Jobs = %s", got)
	}
	l := s.Listings
	if l.BaseURL != "http://127.0.0.1:9" || l.Pages != 7 || l.Interval != 2*time.Second || l.PageSize != 100 || l.Requesters != 25 || l.MaxRetries != 5 {
		t.Errorf("listings = %+v; file values over defaults", l)
	}
}

func TestScheduleDefaultsToNoJobs(t *testing.T) {
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Schedule.Jobs()) != 0 || c.Schedule.Spec("listings") != "" || c.Schedule.Listings.Interval != time.Second {
		t.Errorf("defaults: %+v", c.Schedule)
	}
	empty := writeFile(t, "")
	if _, err := parse(t, "--config", empty); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestScheduleErrors(t *testing.T) {
	cases := map[string]struct {
		file string
		args []string
		want string
	}{
		"bad spec in file":  {file: "schedule:\n  listings: \"every five\"\n", want: "schedule.listings: bad cron spec"},
		"unknown key":       {file: "schedule:\n  listings: \"@hourly\"\nlistngs:\n  pages: 2\n", want: "line 3"},
		"wrong type":        {file: "listings:\n  pages: many\n", want: "line 2"},
		"too fast":          {file: "listings:\n  interval: 10ms\n", want: "listings.interval"},
		"bad flag spec":     {args: []string{"--schedule", "listings=@sometimes"}, want: "bad cron spec"},
		"flag without name": {args: []string{"--schedule", "@hourly"}, want: "name=spec"},
		"missing file":      {args: []string{"--config", "/nonexistent/hitwage.yaml"}, want: "/nonexistent/hitwage.yaml"},
		"page size too big": {file: "listings:\n  page_size: 500\n", want: "page_size"},
		"forum too fast":    {file: "forum:\n  delay: 10ms\n", want: "forum.delay"},
		"forum not a url":   {file: "forum:\n  base_url: forum.example\n", want: "forum.base_url"},
		"forum unknown key": {file: "forum:\n  thread: [/t/1]\n", want: "line 2"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			args := c.args
			var path string
			if c.file != "" {
				path = writeFile(t, c.file)
				args = []string{"--config", path}
			}
			_, err := parse(t, args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v; want it to contain %q", err, c.want)
			}
			if path != "" && !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v; want it to name %s", err, path)
			}
		})
	}
}

func TestForumSettings(t *testing.T) {
	file := writeFile(t, `
schedule:
  forum: "@hourly"
forum:
  base_url: http://127.0.0.1:9
  threads: [/threads/a.1, /threads/b.2]
  delay: 2s
`)
	c, err := parse(t, "--config", file)
	if err != nil {
		t.Fatal(err)
	}
	f := c.Schedule.Forum
	if c.Schedule.Spec("forum") != "@hourly" || f.BaseURL != "http://127.0.0.1:9" || len(f.Threads) != 2 ||
		f.Threads[1] != "/threads/b.2" || f.Delay != 2*time.Second || f.MaxPages != 20 {
		t.Errorf("forum = %+v (spec %q); file values over defaults", f, c.Schedule.Spec("forum"))
	}
}
