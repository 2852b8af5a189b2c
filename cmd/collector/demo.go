package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/records"
)

func cmdDemo(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, s, _, err := openStore(ctx, "demo", args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	key, err := cfg.Secret()
	if err != nil {
		return err
	}
	h, err := records.NewHasher(key)
	if err != nil {
		return err
	}
	sum, err := demo.Load(ctx, s, h, demo.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo data loaded: %d requesters, %d HIT groups, %d snapshots, %d task records, %d reviews\n",
		sum.Requesters, sum.Groups, sum.Snapshots, sum.Records, sum.Reviews)
	return nil
}
