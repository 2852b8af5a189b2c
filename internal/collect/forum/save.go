package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// Summary says what a crawl stored.
type Summary struct {
	Posts    int
	Exports  int
	Findings int
	Records  int
}

// Save stores the records of posts and one forum_posts row per post with what was not
// understood; authors are stored only as keyed hashes.
func Save(ctx context.Context, s *store.Store, h *records.Hasher, posts []Post, now time.Time) (Summary, error) {
	now = now.UTC().Truncate(time.Millisecond)
	found, notes := Analyze(posts)
	recs := Records(found, h, now)
	if err := records.Insert(ctx, s, recs); err != nil {
		return Summary{}, fmt.Errorf("forum: %w", err)
	}
	sum := Summary{Posts: len(posts), Findings: len(found), Records: len(recs)}
	if len(notes) == 0 {
		return sum, nil
	}
	b, err := s.PrepareBatch(ctx, "forum_posts", "post_url", "thread_url", "author", "posted_at", "exports", "records", "unparsed", "crawled_at")
	if err != nil {
		return sum, fmt.Errorf("forum: %w", err)
	}
	for _, n := range notes {
		sum.Exports += n.Exports
		var posted *time.Time
		if !n.Post.PostedAt.IsZero() {
			t := n.Post.PostedAt
			posted = &t
		}
		if err := b.Append(n.Post.URL, n.Post.ThreadURL, AuthorPseudonym(h, n.Post), posted,
			uint16(min(n.Exports, 65535)), uint16(min(n.Findings, 65535)), n.Unparsed, now); err != nil {
			_ = b.Abort()
			return sum, fmt.Errorf("forum: %w", err)
		}
	}
	if err := b.Send(); err != nil {
		return sum, fmt.Errorf("forum: %w", err)
	}
	return sum, nil
}
