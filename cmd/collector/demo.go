package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/hitwage/hitwage/internal/demo"
)

func cmdDemo(ctx context.Context, args []string, stdout io.Writer) error {
	var o demo.Options
	cfg, s, _, err := openStore(ctx, "demo", args, func(fs *flag.FlagSet) {
		fs.IntVar(&o.Requesters, "requesters", 40, "requesters to generate")
		fs.IntVar(&o.Records, "records", 20_000, "task records to generate")
		fs.IntVar(&o.Reporters, "reporters", 300, "distinct reporting workers")
	})
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := hasher(cfg)
	if err != nil {
		return err
	}
	sum, err := demo.Load(ctx, s, h, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo data loaded: %d requesters, %d HIT groups, %d snapshots, %d task records, %d reviews\n",
		sum.Requesters, sum.Groups, sum.Snapshots, sum.Records, sum.Reviews)
	return nil
}
