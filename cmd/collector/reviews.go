package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store"
)

// cmdReviews is the moderators' view of reviews: the ones readers' flags hid (or flagged at
// all, or the ones the self-review rule marks), whole, and the restore that shows a hidden one
// again.
func cmdReviews(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("reviews: name an action: flagged [--all | --own], or restore [--platform P] REQUESTER_ID REVIEW_ID")
	}
	action, args := args[0], args[1:]
	var all, own bool
	var plat string
	var extra func(fs *flag.FlagSet)
	switch action {
	case "flagged":
		extra = func(fs *flag.FlagSet) {
			fs.BoolVar(&all, "all", false, "every review readers flagged, hidden or not (default: the hidden ones)")
			fs.BoolVar(&own, "own", false, "the reviews marked possibly the requester's own instead")
		}
	case "restore":
		extra = func(fs *flag.FlagSet) {
			fs.StringVar(&plat, "platform", "", "the requester's platform (mturk, prolific); default mturk")
		}
	default:
		return fmt.Errorf("reviews: unknown action %q (flagged, restore)", action)
	}
	cfg, fs, err := parseFlags("reviews "+action, args, extra)
	if err != nil {
		return err
	}
	var key, reviewID string
	switch action {
	case "flagged":
		if all && own {
			return errors.New("reviews flagged: --all or --own, not both")
		}
	case "restore":
		if fs.NArg() != 2 {
			return errors.New("reviews restore: name the requester's id and the review's id (see reviews flagged)")
		}
		p, err := platform.Parse(plat)
		if err != nil {
			return fmt.Errorf("reviews restore: --platform: %w", err)
		}
		if !p.ValidRequester(fs.Arg(0)) {
			return fmt.Errorf("reviews restore: %q is not a %s %s id (%s)", fs.Arg(0), p.Short, p.Requester, p.RequesterShape)
		}
		key, reviewID = platform.Key(p.ID, fs.Arg(0)), fs.Arg(1)
	}
	s, err := openConfigured(ctx, "reviews "+action, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if action == "restore" {
		return restoreReview(ctx, s, key, reviewID, stdout)
	}
	kind := reviews.ListHidden
	switch {
	case all:
		kind = reviews.ListFlagged
	case own:
		kind = reviews.ListOwn
	}
	return listModeration(ctx, s, kind, stdout)
}

// listModeration prints the reviews of one moderation list, one a line, text last.
func listModeration(ctx context.Context, s *store.Store, kind string, stdout io.Writer) error {
	list, err := reviews.Moderation(ctx, s, kind)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(stdout, "no %s reviews\n", map[string]string{reviews.ListHidden: "hidden", reviews.ListFlagged: "flagged",
			reviews.ListOwn: "possibly-own"}[kind])
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tREQUESTER\tREVIEW\tFLAGGERS\tSTATE\tREASONS\tLAST FLAG\tPAY/FAIR/COMM/PROMPT\tEDITED\tTEXT")
	for _, f := range list {
		p, id := platform.Split(f.RequesterID)
		var state []string
		if f.Hidden {
			state = append(state, "hidden")
		}
		if f.Own {
			state = append(state, "possibly-own")
		}
		if len(state) == 0 {
			state = append(state, "shown")
		}
		last, reasons := "-", f.Reasons
		if !f.LastFlag.IsZero() && f.LastFlag.Unix() > 0 {
			last = f.LastFlag.UTC().Format(time.RFC3339)
		}
		if reasons == "" {
			reasons = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", p, id, f.ReviewID, f.Flaggers, strings.Join(state, ","), reasons, last,
			stars(f.Pay, f.Fairness, f.Communication, f.Promptness), f.UpdatedAt.UTC().Format(time.RFC3339), excerpt(f.Text, 80))
	}
	return tw.Flush()
}

func restoreReview(ctx context.Context, s *store.Store, key, reviewID string, stdout io.Writer) error {
	err := reviews.Restore(ctx, s, key, reviewID, time.Now())
	if errors.Is(err, reviews.ErrNotFound) {
		return fmt.Errorf("reviews restore: %s has no live review %s (see reviews flagged)", key, reviewID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "review %s of %s restored: the flags sent before now no longer count\n", reviewID, key)
	return nil
}

// stars prints four ratings as 5/-/3/- (- is no rating).
func stars(v ...uint8) string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = "-"
		if x > 0 {
			out[i] = fmt.Sprint(x)
		}
	}
	return strings.Join(out, "/")
}

// excerpt is text on one line, cut to n characters.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n-1]) + "…"
}
