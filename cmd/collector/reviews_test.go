package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// Moderators see a hidden review whole (reviews flagged), every flagged one (--all) and the
// possibly-own ones (--own), and restore a hidden one.
func TestReviewsModeration(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	h, err := records.NewHasher([]byte("collector-reviews-test-key0"))
	if err != nil {
		t.Fatal(err)
	}
	const rid = "AMODERATED00001"
	for tok, text := range map[string]string{"tokA": "Buy followers\nat spam.example", "tokB": "Honest words"} {
		if err := reviews.Save(ctx, s, reviews.AuthorOf(h, tok, "", false), reviews.Input{RequesterID: rid, Pay: reviews.Rating(2), Text: text}, t0); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]string{}
	rows, err := s.Query(ctx, `SELECT text, review_id FROM live_reviews`, nil)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var text, id string
		if err := rows.Scan(&text, &id); err != nil {
			t.Fatal(err)
		}
		ids[text] = id
	}
	rows.Close()
	spam := ids["Buy followers\nat spam.example"]
	for _, f := range []string{"f1", "f2", "f3"} {
		if _, err := reviews.Flag(ctx, s, rid, spam, f, "spam", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := reviews.Flag(ctx, s, rid, ids["Honest words"], "f1", "other", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}

	var out strings.Builder
	if err := listModeration(ctx, s, reviews.ListHidden, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "mturk") || !strings.Contains(lines[1], rid) || !strings.Contains(lines[1], spam) ||
		!strings.Contains(lines[1], " 3 ") || !strings.Contains(lines[1], "hidden") || !strings.Contains(lines[1], "spam") ||
		!strings.Contains(lines[1], "2/-/-/-") || !strings.HasSuffix(lines[1], "Buy followers at spam.example") {
		t.Fatalf("hidden list:\n%s", out.String())
	}
	out.Reset()
	if err := listModeration(ctx, s, reviews.ListFlagged, &out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 3 || !strings.Contains(out.String(), "shown") {
		t.Fatalf("flagged list (want a header and 2 reviews, the hidden first):\n%s", out.String())
	}
	out.Reset()
	if err := listModeration(ctx, s, reviews.ListOwn, &out); err != nil || out.String() != "no possibly-own reviews\n" {
		t.Fatalf("own list %q %v", out.String(), err)
	}

	out.Reset()
	if err := restoreReview(ctx, s, rid, spam, &out); err != nil || !strings.Contains(out.String(), "restored") {
		t.Fatalf("restore: %q %v", out.String(), err)
	}
	out.Reset()
	if err := listModeration(ctx, s, reviews.ListHidden, &out); err != nil || out.String() != "no hidden reviews\n" {
		t.Fatalf("hidden after the restore: %q %v", out.String(), err)
	}
	if err := restoreReview(ctx, s, rid, "000000000000000000000000", &out); err == nil || !strings.Contains(err.Error(), "no live review") {
		t.Fatalf("restoring no review: %v", err)
	}
}

// The command runs against a store and says what is wrong with its arguments before opening one.
func TestReviewsCommand(t *testing.T) {
	dir := withDemo(t)
	var out strings.Builder
	if err := dispatch(context.Background(), []string{"reviews", "flagged", "--data", dir}, &out); err != nil || out.String() != "no hidden reviews\n" {
		t.Fatalf("reviews flagged on the demo store: %q %v", out.String(), err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"reviews"}, "name an action"},
		{[]string{"reviews", "hide"}, `unknown action "hide"`},
		{[]string{"reviews", "flagged", "--clickhouse", "not-a-dsn", "--all", "--own"}, "--all or --own, not both"},
		{[]string{"reviews", "restore", "--clickhouse", "not-a-dsn", "AREQ00000000001"}, "name the requester's id and the review's id"},
		{[]string{"reviews", "restore", "--clickhouse", "not-a-dsn", "--platform", "toloka", "AREQ00000000001", "x"}, "--platform"},
		{[]string{"reviews", "restore", "--clickhouse", "not-a-dsn", "--platform", "prolific", "AREQ00000000001", "x"}, "is not a Prolific"},
	} {
		err := dispatch(context.Background(), c.args, &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one saying %q", c.args, err, c.want)
		}
	}
}
