package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"
)

// Schedule is the scheduled jobs' configuration: a cron spec per job and the listing
// crawl's settings, from a YAML file (--config hitwage.yaml) and flags; flags win.
// A job without a spec does not run: nothing crawls a public site unless asked to.
//
//	schedule:
//	  listings: "@every 5m"      # robfig/cron: "@every 5m", "*/10 * * * *", "@hourly"
//	listings:
//	  base_url: https://mirror.example   # required: MTurk's worker site closed on 2026-09-30
//	  pages: 3
//	  page_size: 100
//	  requesters: 25
//	  interval: 1s
//	  cookie_file: /etc/hitwage/mturk-cookie
//	forum:                       # with schedule: forum: "@hourly"
//	  base_url: https://forum.example
//	  threads: [/threads/daily-hit-thread.123/]
//	  max_pages: 20
//	  delay: 1s
type Schedule struct {
	File     string   // the YAML file read, "" when none
	Listings Listings // the listing crawl's settings
	Forum    Forum    // the forum crawl's settings

	file  map[string]string // specs from the file
	flags map[string]string // specs from --schedule
}

// Listings configures the listing crawl (collector listings and the scheduled "listings" job).
type Listings struct {
	BaseURL    string        `yaml:"base_url"`    // a mirror or saved copy of MTurk's worker site; no default (it closed)
	Pages      int           `yaml:"pages"`       // list pages per crawl; default 3
	PageSize   int           `yaml:"page_size"`   // groups per page; default 100
	Requesters int           `yaml:"requesters"`  // requester project lists per crawl; default 25
	Interval   time.Duration `yaml:"interval"`    // minimum time between requests; default 1s
	MaxRetries int           `yaml:"max_retries"` // retries of one page; default 5
	UserAgent  string        `yaml:"user_agent"`  // default names hitwage and its contact URL
	CookieFile string        `yaml:"cookie_file"` // worker cookie file; default env HITWAGE_MTURK_COOKIE
}

// Forum configures the scheduled "forum" job, which crawls forum threads of HIT exports as
// `collector forum` does.
type Forum struct {
	BaseURL  string        `yaml:"base_url"`  // the forum's address; required when the job is scheduled
	Threads  []string      `yaml:"threads"`   // thread paths or URLs on the forum; at least one
	MaxPages int           `yaml:"max_pages"` // pages per thread, following the next-page link; default 20
	Delay    time.Duration `yaml:"delay"`     // pause between two requests; default 1s
}

// Validate checks the forum settings; errors name the setting.
func (f Forum) Validate() error {
	switch {
	case f.MaxPages < 1:
		return errors.New("max_pages: want at least 1")
	case f.Delay < 100*time.Millisecond:
		return errors.New("delay: want at least 100ms; be gentle with a shared site")
	case f.BaseURL != "" && !strings.HasPrefix(f.BaseURL, "http://") && !strings.HasPrefix(f.BaseURL, "https://"):
		return errors.New("base_url: want an http:// or https:// address")
	}
	return nil
}

// fileSchema is the YAML document; unknown keys are errors with their line.
type fileSchema struct {
	Schedule map[string]string `yaml:"schedule"`
	Listings Listings          `yaml:"listings"`
	Forum    Forum             `yaml:"forum"`
}

// Bind registers --config and --schedule on fs. --config is read as soon as it is parsed.
func (s *Schedule) Bind(fs *flag.FlagSet) {
	s.Listings = Listings{Pages: 3, PageSize: 100, Requesters: 25, Interval: time.Second, MaxRetries: 5}
	s.Forum = Forum{MaxPages: 20, Delay: time.Second}
	fs.Func("config", "YAML file with job schedules and listing and forum crawl settings (see internal/config/schedule.go)", s.Load)
	fs.Func("schedule", `a job's cron spec as name=spec, e.g. --schedule 'listings=@every 5m'; repeatable; "off" disables`, s.set)
}

// Load reads a YAML config file; errors name the file and line.
func (s *Schedule) Load(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	doc := fileSchema{Listings: s.Listings, Forum: s.Forum}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	for name, spec := range doc.Schedule {
		if err := checkSpec(name, spec); err != nil {
			return fmt.Errorf("config: %s: schedule.%w", path, err)
		}
	}
	if err := doc.Listings.Validate(); err != nil {
		return fmt.Errorf("config: %s: listings.%w", path, err)
	}
	if err := doc.Forum.Validate(); err != nil {
		return fmt.Errorf("config: %s: forum.%w", path, err)
	}
	s.File, s.file, s.Listings, s.Forum = path, doc.Schedule, doc.Listings, doc.Forum
	return nil
}

func (s *Schedule) set(v string) error {
	name, spec, ok := strings.Cut(v, "=")
	name, spec = strings.TrimSpace(name), strings.TrimSpace(spec)
	if !ok || name == "" {
		return fmt.Errorf("want name=spec, e.g. listings=@every 5m")
	}
	if err := checkSpec(name, spec); err != nil {
		return err
	}
	if s.flags == nil {
		s.flags = map[string]string{}
	}
	s.flags[name] = spec
	return nil
}

// Spec is a job's cron spec ("" when the job is not scheduled).
func (s *Schedule) Spec(job string) string {
	spec, ok := s.flags[job]
	if !ok {
		spec = s.file[job]
	}
	if strings.EqualFold(spec, "off") {
		return ""
	}
	return spec
}

// Jobs lists the names of the scheduled jobs, sorted.
func (s *Schedule) Jobs() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range []map[string]string{s.flags, s.file} {
		for name := range m {
			if !seen[name] && s.Spec(name) != "" {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// checkSpec parses a spec the way the scheduler will.
func checkSpec(name, spec string) error {
	if spec == "" || strings.EqualFold(spec, "off") {
		return nil
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		return fmt.Errorf("%s: bad cron spec %q: %w", name, spec, err)
	}
	return nil
}

// Validate checks the listing settings; errors name the setting.
func (l Listings) Validate() error {
	switch {
	case l.Pages < 1:
		return errors.New("pages: want at least 1")
	case l.PageSize < 1 || l.PageSize > 100:
		return errors.New("page_size: want 1 to 100")
	case l.Requesters < 0:
		return errors.New("requesters: want 0 or more")
	case l.Interval < 100*time.Millisecond:
		return errors.New("interval: want at least 100ms; be gentle with a shared site")
	case l.MaxRetries < 0:
		return errors.New("max_retries: want 0 or more")
	}
	return nil
}
