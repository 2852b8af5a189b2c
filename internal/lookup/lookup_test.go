package lookup_test

import (
	"context"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func loaded(t testing.TB) (*store.Store, *lookup.Directory) {
	t.Helper()
	s := storetest.New(t)
	ctx := context.Background()
	h, _ := records.NewHasher([]byte("lookup-test-key-0123456789"))
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 3000, Now: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return s, directory(t, s)
}

// directory recomputes the wage figures of what s holds and returns a directory refreshed from them.
func directory(t testing.TB, s *store.Store) *lookup.Directory {
	t.Helper()
	ctx := context.Background()
	w := wages.New(s, wages.Config{})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	d := lookup.New(s, w, nil)
	if err := d.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRefreshMatchesStore(t *testing.T) {
	s, d := loaded(t)
	ctx := context.Background()
	var n uint64
	if err := s.QueryRow(ctx, "SELECT uniqExact(requester_id) FROM requesters", nil, &n); err != nil {
		t.Fatal(err)
	}
	if d.Len() != int(n) {
		t.Fatalf("directory has %d requesters, store %d", d.Len(), n)
	}
	// Every requester's record count equals its deduplicated records in the store.
	for _, r := range d.All()[:5] {
		var c uint64
		if err := s.QueryRow(ctx, "SELECT count() FROM task_records FINAL WHERE requester_id = {r:String}", store.Args{"r": r.ID}, &c); err != nil {
			t.Fatal(err)
		}
		if r.Wages.Records != c {
			t.Errorf("%s: %d records in directory, %d in store", r.ID, r.Wages.Records, c)
		}
	}
	var reviewed uint64
	if err := s.QueryRow(ctx, "SELECT uniqExact(requester_id) FROM reviews", nil, &reviewed); err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, r := range d.All() {
		if r.Reviews.Count > 0 {
			got++
			if r.Reviews.Pay < 1 || r.Reviews.Pay > 5 {
				t.Errorf("%s: review pay average %v outside 1-5", r.ID, r.Reviews.Pay)
			}
		}
	}
	if got != int(reviewed) {
		t.Errorf("%d requesters with reviews, store has %d", got, reviewed)
	}
}

func TestSearch(t *testing.T) {
	_, d := loaded(t)
	some := d.All()[3]
	if got := d.Search(platform.MTurk, some.ID, 5); len(got) != 1 || got[0] != some {
		t.Fatalf("exact id search: %v", got)
	}
	if got := d.Search(platform.MTurk, some.ID[:6], 50); len(got) == 0 || !contains(got, some) {
		t.Fatalf("id prefix search did not find %s", some.ID)
	}
	first := some.Name[:4]
	for _, r := range d.Search(platform.MTurk, first, 100) {
		if r == some {
			goto typo
		}
	}
	t.Fatalf("name prefix %q did not find %q", first, some.Name)
typo:
	// One letter wrong in the first word still finds it.
	w := []rune(some.Name)
	end := 0
	for end < len(w) && w[end] != ' ' {
		end++
	}
	word := string(w[:end])
	if len([]rune(word)) >= 4 {
		bad := []rune(word)
		bad[1] = 'x'
		if got := d.Search(platform.MTurk, string(bad), 100); !contains(got, some) {
			t.Errorf("fuzzy search %q did not find %q", string(bad), some.Name)
		}
	}
	if got := d.Search(platform.MTurk, "zzzzqqqq", 10); len(got) != 0 {
		t.Errorf("nonsense query matched %d", len(got))
	}
}

func TestRanked(t *testing.T) {
	_, d := loaded(t)
	best, worst := d.Ranked(platform.MTurk, 5, 3, false), d.Ranked(platform.MTurk, 5, 3, true)
	if len(best) == 0 || len(worst) == 0 {
		t.Fatal("no ranked requesters")
	}
	for i := 1; i < len(best); i++ {
		if *best[i].Wages.EffectiveHourly > *best[i-1].Wages.EffectiveHourly {
			t.Fatal("best payers out of order")
		}
	}
	if *worst[0].Wages.EffectiveHourly > *best[0].Wages.EffectiveHourly {
		t.Fatal("worst payer pays more than the best")
	}
	for _, r := range append(best, worst...) {
		if r.Wages.Reporters < 3 {
			t.Fatalf("%s ranked with %d reporters", r.ID, r.Wages.Reporters)
		}
	}
}

func contains(rs []*lookup.Requester, r *lookup.Requester) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
