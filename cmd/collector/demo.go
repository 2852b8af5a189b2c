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
		fs.IntVar(&o.Requesters, "requesters", 40, "MTurk requesters to generate")
		fs.IntVar(&o.Records, "records", 20_000, "MTurk task records to generate (up to MTurk's close on 2026-09-30)")
		fs.IntVar(&o.Reporters, "reporters", 300, "distinct MTurk reporting workers")
		fs.IntVar(&o.Researchers, "researchers", 20, "Prolific researchers to generate")
		fs.IntVar(&o.Submissions, "submissions", 0, "Prolific submissions to generate, up to now (default records / 4)")
		fs.IntVar(&o.Participants, "participants", 150, "distinct Prolific reporting participants")
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
	fmt.Fprintf(stdout, "demo data loaded: MTurk (an archive to 2026-09-30): %d requesters, %d HIT groups, %d snapshots, %d task records, %d reviews; "+
		"Prolific: %d researchers, %d studies, %d submissions, %d reviews\n",
		sum.Requesters, sum.Groups, sum.Snapshots, sum.Records, sum.Reviews,
		sum.Researchers, sum.Studies, sum.Submissions, sum.ProlificReviews)
	return nil
}
