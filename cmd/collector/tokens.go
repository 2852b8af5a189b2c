package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
)

func cmdTokens(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("tokens: name an action: create --label NAME, list, or revoke ID")
	}
	action, args := args[0], args[1:]
	var label, plat string
	var relay bool
	var extra func(fs *flag.FlagSet)
	switch action {
	case "create":
		extra = func(fs *flag.FlagSet) {
			fs.StringVar(&label, "label", "", "who or what the token is for (required)")
			fs.StringVar(&plat, "platform", "", "the one platform the token reports for (mturk, prolific); default every platform")
			fs.BoolVar(&relay, "relay", false, "declare the token a relay (a forum crawl, a script sending many workers' tasks): each worker it names counts as a reporter; otherwise the token counts as one")
		}
	case "list", "revoke":
	default:
		return fmt.Errorf("tokens: unknown action %q (create, list, revoke)", action)
	}
	cfg, fs, err := parseFlags("tokens "+action, args, extra)
	if err != nil {
		return err
	}
	switch {
	case action == "create" && label == "":
		return errors.New("tokens create: --label NAME is required")
	case action == "revoke" && fs.NArg() != 1:
		return errors.New("tokens revoke: name one token ID (see tokens list)")
	}
	s, err := openConfigured(ctx, "tokens "+action, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	tokens := ingest.NewTokens(s)
	switch action {
	case "create":
		create := tokens.CreateFor
		if relay {
			create = tokens.CreateRelay
		}
		secret, tok, err := create(ctx, label, platform.ID(plat))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token %s (%s) created. Its secret is shown only this once; keep it:\n\n  %s\n\n", tok.ID, tok.Label, secret)
		fmt.Fprintln(stdout, "Send it as the header  Authorization: Bearer <secret>  to POST /api/v1/reports.")
		return nil
	case "list":
		list, err := tokens.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLABEL\tPLATFORM\tKIND\tCREATED\tREVOKED")
		for _, t := range list {
			revoked, plat, kind := "-", t.Platform, "reporter"
			if t.Relay {
				kind = "relay"
			}
			if t.RevokedAt != nil {
				revoked = t.RevokedAt.Format(time.RFC3339)
			}
			if plat == "" {
				plat = "all"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Label, plat, kind, t.CreatedAt.Format(time.RFC3339), revoked)
		}
		return tw.Flush()
	default: // revoke
		tok, err := tokens.Revoke(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token %s (%s) revoked at %s\n", tok.ID, tok.Label, tok.RevokedAt.Format(time.RFC3339))
		return nil
	}
}
