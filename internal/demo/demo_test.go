package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func digest(t *testing.T, s *store.Store) (uint64, string, string) {
	var n uint64
	var pay, keys string
	if err := s.QueryRow(context.Background(), `SELECT count(), toString(sum(reward)), toString(groupBitXor(cityHash64(record_key, reporter, status))) FROM task_records`, nil, &n, &pay, &keys); err != nil {
		t.Fatal(err)
	}
	return n, pay, keys
}

func TestDemoIsDeterministicAndLabelled(t *testing.T) {
	ctx := context.Background()
	h, _ := records.NewHasher([]byte("demo-test-key-0123456789"))
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	a, b := storetest.New(t), storetest.New(t)
	for _, s := range []*store.Store{a, b} {
		sum, err := demo.Load(ctx, s, h, demo.Options{Records: 1500, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Records != 1500 || sum.Requesters != 40 || sum.Snapshots == 0 {
			t.Fatalf("summary %+v", sum)
		}
		if !s.IsDemo(ctx) {
			t.Fatal("the store must be marked as demo data")
		}
	}
	na, pa, ka := digest(t, a)
	nb, pb, kb := digest(t, b)
	if na != nb || pa != pb || ka != kb {
		t.Fatalf("same seed, different data: %d %s %s vs %d %s %s", na, pa, ka, nb, pb, kb)
	}
	if _, err := demo.Load(ctx, a, h, demo.Options{Records: 10, Now: now}); err == nil {
		t.Fatal("demo data must go only into an empty store")
	}
}
