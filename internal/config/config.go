// Package config holds hitwage's one typed configuration, read from flags and the
// environment once in main and passed down.
package config

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// Config is everything the binaries need to run.
type Config struct {
	Store      store.Config
	Addr       string          // web listen address; default 127.0.0.1:8080
	SecretFile string          // key for reporter pseudonyms; default DATA/reporter.key (env HITWAGE_SECRET_FILE)
	Demo       bool            // load the demo data set into an empty store; default false
	Jobs       bool            // run the scheduled jobs in this process; default true for web on the embedded store
	BaseURL    string          // public URL of the site, for embeds and links; default http://ADDR
	AccessLog  bool            // log one line per HTTP request; default true
	NewToken   string          // create a reporting token with this label at start and print it; default "" (none)
	Schedule   Schedule        // job cron specs and listing crawl settings (--config FILE, --schedule name=spec); default no jobs
	RatesFile  string          // the currency table figures convert through (--rates, env HITWAGE_RATES); default the shipped one
	Rates      *platform.Rates // RatesFile as read by Validate

	OpsAddr        string  // address of the operations endpoints, detailed /healthz and /metrics (--ops-addr, env HITWAGE_OPS_ADDR); default "" (none)
	OpsPublic      bool    // serve the operations endpoints on the site's address too (--ops-public); default false
	StoreSlots     int     // anonymous store-querying requests served at once (--store-slots); default 0: the store's connections less one for the jobs; negative: no bound
	ClientRate     float64 // store-querying requests a second per client address (--client-rate); default 2; 0 or less: no per-client limit
	ClientBurst    int     // a client's burst above ClientRate (--client-burst); default 30
	Exports        int     // research exports streaming at once (--exports); default 2
	ClientIPHeader string  // header a reverse proxy puts the client's address in (--client-ip-header, env HITWAGE_CLIENT_IP_HEADER); default "": the connection's
}

// Bind registers the store flags every binary takes on fs and returns the Config they fill.
func Bind(fs *flag.FlagSet) *Config {
	c := &Config{}
	fs.StringVar(&c.Store.DataDir, "data", envOr("HITWAGE_DATA", "./data"), "embedded store data directory (env HITWAGE_DATA)")
	fs.StringVar(&c.Store.DSN, "clickhouse", os.Getenv("HITWAGE_CLICKHOUSE"), "ClickHouse server DSN clickhouse://user:pass@host:9000/db; empty = embedded (env HITWAGE_CLICKHOUSE)")
	fs.StringVar(&c.Store.Cluster, "cluster", os.Getenv("HITWAGE_CLUSTER"), "ClickHouse cluster name for ON CLUSTER DDL (server mode)")
	fs.DurationVar(&c.Store.QueryTimeout, "query-timeout", 30*time.Second, "timeout of one store query")
	fs.StringVar(&c.SecretFile, "secret-file", os.Getenv("HITWAGE_SECRET_FILE"), "file with the key for reporter pseudonyms; default DATA/reporter.key, created on first use")
	fs.StringVar(&c.RatesFile, "rates", os.Getenv("HITWAGE_RATES"), "currency table (CSV: version,currency,usd_per_unit) that figures convert amounts through; default the table shipped with hitwage (env HITWAGE_RATES)")
	c.Schedule.Bind(fs)
	return c
}

// BindWeb adds the web binary's flags.
func (c *Config) BindWeb(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", envOr("HITWAGE_ADDR", "127.0.0.1:8080"), "listen address (env HITWAGE_ADDR)")
	fs.BoolVar(&c.Demo, "demo", false, "load the demo data set when the store is empty")
	fs.BoolVar(&c.Jobs, "jobs", true, "run the scheduled jobs in this process")
	fs.BoolVar(&c.AccessLog, "access-log", true, "log one line per HTTP request")
	fs.StringVar(&c.NewToken, "new-token", "", "create a reporting token with this label at start and print it once (the embedded store can't be opened by `collector tokens` while the site runs)")
	fs.StringVar(&c.BaseURL, "base-url", os.Getenv("HITWAGE_BASE_URL"), "public URL of the site (for embeds); default http://ADDR")
	fs.StringVar(&c.OpsAddr, "ops-addr", os.Getenv("HITWAGE_OPS_ADDR"), "listen address of the operations endpoints, the detailed /healthz and /metrics, e.g. 127.0.0.1:9090; empty: none (env HITWAGE_OPS_ADDR)")
	fs.BoolVar(&c.OpsPublic, "ops-public", false, "serve the detailed /healthz and /metrics on the site's address too; without it the site's /healthz says only ok or not ok")
	fs.IntVar(&c.StoreSlots, "store-slots", 0, "anonymous requests that query the store served at once, the rest answered 429; 0: the store's connections less one for the jobs (3 embedded, 9 server); -1: no bound")
	fs.Float64Var(&c.ClientRate, "client-rate", 2, "requests that query the store a second per client address (IPv6: per /64), over which it is answered 429; 0: no per-client limit")
	fs.IntVar(&c.ClientBurst, "client-burst", 30, "requests that query the store a client address may make at once above --client-rate")
	fs.IntVar(&c.Exports, "exports", 2, "research exports streamed at once; more are answered 429")
	fs.StringVar(&c.ClientIPHeader, "client-ip-header", os.Getenv("HITWAGE_CLIENT_IP_HEADER"), "behind a reverse proxy: the header it puts the client's address in (X-Real-IP, or X-Forwarded-For: its last address), for --client-rate; default: the connection's address (env HITWAGE_CLIENT_IP_HEADER)")
}

// Validate checks the config once, after flags are parsed.
func (c *Config) Validate() error {
	if c.Store.DSN != "" && !strings.HasPrefix(c.Store.DSN, "clickhouse://") {
		return errors.New("config: --clickhouse must look like clickhouse://user:pass@host:9000/db")
	}
	if c.Store.DSN == "" && c.Store.DataDir == "" {
		return errors.New("config: --data must name a directory")
	}
	if c.BaseURL == "" && c.Addr != "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	r, err := platform.LoadRates(c.RatesFile)
	if err != nil {
		return fmt.Errorf("config: --rates: %w", err)
	}
	c.Rates = r
	return nil
}

// Secret returns the reporter key, creating a random one on first use.
func (c *Config) Secret() ([]byte, error) {
	path := c.SecretFile
	if path == "" {
		path = filepath.Join(c.Store.DataDir, "reporter.key")
	}
	b, err := os.ReadFile(path)
	if err == nil {
		key := []byte(strings.TrimSpace(string(b)))
		if len(key) < 16 {
			return nil, fmt.Errorf("config: %s holds a %d-byte key; want at least 16 bytes", path, len(key))
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("config: read key %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("config: key directory: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("config: make key: %w", err)
	}
	key := []byte(fmt.Sprintf("%x", raw))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return c.Secret()
		}
		return nil, fmt.Errorf("config: write key %s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.Write(append(key, '\n')); err != nil {
		return nil, fmt.Errorf("config: write key %s: %w", path, err)
	}
	return key, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
