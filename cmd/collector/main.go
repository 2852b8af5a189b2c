// Command collector gathers data into the hitwage store and runs maintenance commands.
//
//	collector migrate [--retry N]      apply schema migrations
//	collector demo                     load the demo data set into an empty store
//
// Every command takes the store flags: --data DIR (embedded) or --clickhouse DSN (server).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/hitwage/hitwage/internal/config"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// command is one collector subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout io.Writer) error
}

// commands are every collector command, by name; each runs from the file named for it.
var commands = map[string]command{
	"migrate":       {"apply schema migrations and print the schema version", cmdMigrate},
	"demo":          {"load the demo data set into an empty store", cmdDemo},
	"disagreements": {"list tasks whose reports by other reporters disagree with the one counted: disagreements [--limit N]", cmdDisagreements},
	"export":        {"write a research export (records, workers, requesters, weeks) as CSV, NDJSON or Parquet", cmdExport},
	"forum":         {"crawl forum threads of HIT exports: forum --base-url URL --thread PATH...", cmdForum},
	"import":        {"import task records from saved histories (MTurk Suite, HIT Database, saved MTurk pages, Prolific downloads) or hitwage's CSV/NDJSON: import [--format F] [--map ...] [--platform P] [--currency C] [--date D] [--researcher ID] [--studies FILE] [--api URL --token T] FILE...", cmdImport},
	"listings":      {"crawl a saved or mirrored MTurk HIT group list (--base-url) into listing snapshots (--once, or --every 5m)", cmdListings},
	"report":        {"write a platform's wage report of a week (2026-W47) or month (2026-11)", cmdReport},
	"reviews":       {"moderate reviews: reviews flagged [--all | --own] | reviews restore [--platform P] REQUESTER_ID REVIEW_ID", cmdReviews},
	"tokens":        {"manage API tokens: tokens create --label NAME [--platform prolific] [--relay] | tokens list | tokens revoke ID", cmdTokens},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := dispatch(ctx, os.Args[1:], os.Stdout)
	stop()
	store.ShutdownEmbedded()
	if err != nil {
		fmt.Fprintln(os.Stderr, "collector:", err)
		os.Exit(1)
	}
}

func dispatch(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return fmt.Errorf("name a command")
		}
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		usage(os.Stderr)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(ctx, args[1:], stdout)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: collector <command> [--data DIR | --clickhouse DSN] [flags]")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

// openStore parses the common flags plus a command's own and returns a migrated store.
func openStore(ctx context.Context, name string, args []string, extra func(fs *flag.FlagSet)) (*config.Config, *store.Store, *flag.FlagSet, error) {
	cfg, fs, err := parseFlags(name, args, extra)
	if err != nil {
		return nil, nil, nil, err
	}
	s, err := openConfigured(ctx, name, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	return cfg, s, fs, nil
}

// parseFlags parses the common flags plus a command's own, for a command that opens the
// store only in some modes (import --api does not).
func parseFlags(name string, args []string, extra func(fs *flag.FlagSet)) (*config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("collector "+name, flag.ContinueOnError)
	cfg := config.Bind(fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return cfg, fs, nil
}

// openConfigured validates cfg and opens its store, migrated unless the command is migrate (on
// a cluster, checked to be migrated: store.Prepare).
func openConfigured(ctx context.Context, name string, cfg *config.Config) (*store.Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return nil, lockedHint(err, name)
	}
	if name != "migrate" {
		if _, err := s.Prepare(ctx); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return s, nil
}

// hasher returns the reporter pseudonym hasher keyed with the configured secret.
func hasher(cfg *config.Config) (*records.Hasher, error) {
	key, err := cfg.Secret()
	if err != nil {
		return nil, err
	}
	return records.NewHasher(key)
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	var retry int
	_, s, _, err := openStore(ctx, "migrate", args, func(fs *flag.FlagSet) {
		fs.IntVar(&retry, "retry", 0, "re-run this half-done migration version")
	})
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.Migrate(ctx, store.MigrateOptions{Retry: retry})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d (%s store at %s)\n", v, s.Mode(), s.Location())
	return nil
}

// lockedHint explains the one-process rule of the embedded store when the web process holds it.
func lockedHint(err error, name string) error {
	if errors.Is(err, store.ErrDataLocked) && name == "import" {
		return fmt.Errorf("%w\nThe web process holds this data directory while it runs: send the records to it instead with "+
			"`collector import --api http://ADDR --token TOKEN FILE...`, or stop it to import directly", err)
	}
	if errors.Is(err, store.ErrDataLocked) {
		return fmt.Errorf("%w\nThe embedded store allows one process per data directory, and the web process holds it while it runs: "+
			"stop it to run `collector %s`, or use a ClickHouse server (--clickhouse) that both can share", err, name)
	}
	return err
}
