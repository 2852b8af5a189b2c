package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/collect/forum"
)

func cmdForum(ctx context.Context, args []string, stdout io.Writer) error {
	var opts forum.Options
	cfg, fs, err := parseFlags("forum", args, func(fs *flag.FlagSet) {
		fs.StringVar(&opts.BaseURL, "base-url", "", "the forum's address, e.g. https://forum.example (required)")
		fs.Func("thread", "a thread path or URL on the forum; repeat, or list after the flags", func(v string) error {
			opts.Threads = append(opts.Threads, v)
			return nil
		})
		fs.IntVar(&opts.MaxPages, "max-pages", 20, "pages to read per thread, following the next-page link")
		fs.DurationVar(&opts.Delay, "delay", time.Second, "pause between two requests to the forum")
	})
	if err != nil {
		return err
	}
	opts.Threads = append(opts.Threads, fs.Args()...)
	if opts.BaseURL == "" || len(opts.Threads) == 0 {
		return errors.New("forum: give --base-url and at least one --thread")
	}
	s, err := openConfigured(ctx, "forum", cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := hasher(cfg)
	if err != nil {
		return err
	}
	posts, errs := forum.Crawl(ctx, opts)
	sum, err := forum.Save(ctx, s, h, posts, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d posts read, %d HIT exports, %d reported times, %d task records stored\n",
		sum.Posts, sum.Exports, sum.Findings, sum.Records)
	for _, e := range errs {
		fmt.Fprintln(os.Stderr, "forum:", strings.TrimPrefix(e.Error(), "forum: "))
	}
	if len(errs) > 0 {
		return fmt.Errorf("forum: %d of %d threads stopped early", len(errs), len(opts.Threads))
	}
	return nil
}
