package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/hitwage/hitwage/internal/ingest"
)

// cmdDisagreements shows moderators the tasks another reporter reported differently (a shorter
// time, another status or pay) from the report that counts: a requester reporting its own
// assignments shows up here.
func cmdDisagreements(ctx context.Context, args []string, stdout io.Writer) error {
	limit := 100
	cfg, _, err := parseFlags("disagreements", args, func(fs *flag.FlagSet) {
		fs.IntVar(&limit, "limit", 100, "how many tasks to list, newest corroboration first")
	})
	if err != nil {
		return err
	}
	if limit <= 0 {
		return fmt.Errorf("disagreements: --limit %d: want a positive number", limit)
	}
	s, err := openConfigured(ctx, "disagreements", cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	ds, err := ingest.Disagreements(ctx, s, limit)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		fmt.Fprintln(stdout, "no disagreeing reports")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REQUESTER\tTASK\tCOUNTED (TOKEN STATUS SECONDS REWARD RECEIVED)\tOTHER (TOKEN STATUS SECONDS REWARD RECEIVED)")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s\t%s\t%s %s %d %s %s\t%s %s %d %s %s\n", d.RequesterID, d.RecordKey,
			orImport(d.CountedVia), d.CountedStatus, d.CountedSeconds, d.CountedReward, d.CountedReceived,
			orImport(d.OtherVia), d.OtherStatus, d.OtherSeconds, d.OtherReward, d.OtherReceived)
	}
	return tw.Flush()
}

// orImport names a record's token, or says it came from an import.
func orImport(via string) string {
	if via == "" {
		return "(import)"
	}
	return via
}
