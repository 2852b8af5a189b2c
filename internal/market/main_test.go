package market_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// snap is one crafted listing snapshot.
type snap struct {
	at       time.Time
	crawl    string
	group    string
	req      string
	title    string
	reward   string
	allotted uint32
	hits     uint32
}

func insertSnaps(t *testing.T, s *store.Store, snaps []snap) {
	t.Helper()
	b, err := s.PrepareBatch(context.Background(), "listing_snapshots", "crawled_at", "crawl_id", "hit_set_id", "requester_id",
		"requester_name", "title", "description", "keywords", "reward", "currency", "assignment_duration_seconds",
		"assignable_hits", "created_at", "expires_at", "qualifications", "source")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range snaps {
		if err := b.Append(x.at, x.crawl, x.group, x.req, "Name of "+x.req, x.title, "", "", decimal.RequireFromString(x.reward),
			"USD", x.allotted, x.hits, nil, nil, "[]", "test"); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
}
