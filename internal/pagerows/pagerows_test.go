package pagerows_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/pagerows"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// setup loads a small demo market (reviews included) and computes its figures.
func setup(t *testing.T) (*store.Store, *wages.Wages, *records.Hasher, *pagerows.Keeper) {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("pagerows-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Seed: 7, Requesters: 12, Reporters: 40, Records: 3000, Researchers: 3, Participants: 20, Submissions: 400}); err != nil {
		t.Fatal(err)
	}
	w := wages.New(s, wages.Config{NoRecordCache: true})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	return s, w, h, pagerows.New(s, w)
}

// requesterIDs lists the requesters with figures.
func requesterIDs(t *testing.T, w *wages.Wages) map[string]time.Time {
	t.Helper()
	figs, err := w.Requesters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, f := range figs {
		out[f.RequesterID] = f.ComputedAt
	}
	return out
}

// live reads what a page reads when no row is kept.
func live(t *testing.T, s *store.Store, w *wages.Wages, id string) pagerows.Parts {
	t.Helper()
	rows, err := pagerows.Live(context.Background(), s, w, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	return rows[id].Parts
}

// sameJSON compares parts as the page and the API would show them (times to the instant).
func sameJSON(t *testing.T, label string, got, want pagerows.Parts) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\nkept %s\nlive %s", label, g, w)
	}
}

// TestRowsAreTheLiveReads: after a recompute, Refresh keeps a row for every requester with
// figures, and each row holds what the live reads return, made from the requester's current
// figures; a second Refresh finds nothing stale.
func TestRowsAreTheLiveReads(t *testing.T) {
	ctx := context.Background()
	s, w, _, k := setup(t)
	ids := requesterIDs(t, w)
	n, err := k.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < len(ids) {
		t.Errorf("Refresh made %d rows, %d requesters have figures", n, len(ids))
	}
	var withReviews, withGroups, withSources int
	for id, at := range ids {
		row, ok, err := k.Read(ctx, id)
		if err != nil || !ok {
			t.Fatalf("row of %s: ok %v, %v", id, ok, err)
		}
		if !row.FiguresAt.Equal(at) {
			t.Errorf("%s: row made from figures of %v, the requester's are of %v", id, row.FiguresAt, at)
		}
		sameJSON(t, id, row.Parts, live(t, s, w, id))
		if !reflect.DeepEqual(row.Bins, live(t, s, w, id).Bins) {
			t.Errorf("%s: bins differ", id)
		}
		if len(row.Reviews) > 0 {
			withReviews++
		}
		if len(row.Groups) > 0 {
			withGroups++
		}
		if len(row.Sources) > 0 {
			withSources++
		}
	}
	if withReviews == 0 || withGroups == 0 || withSources == 0 {
		t.Errorf("rows with reviews %d, groups %d, sources %d: the market should give every kind", withReviews, withGroups, withSources)
	}
	if n, err := k.Refresh(ctx); err != nil || n != 0 {
		t.Errorf("second Refresh made %d rows (%v), want 0", n, err)
	}
	if _, ok, err := k.Read(ctx, "ANOSUCHREQUESTER"); ok || err != nil {
		t.Errorf("row of an unknown requester: ok %v, %v", ok, err)
	}
}

// TestStaleRows: a review stored by anyone, and figures computed again, make a requester's row
// stale, and Refresh makes that one again; Changed makes it at once.
func TestStaleRows(t *testing.T) {
	ctx := context.Background()
	s, w, h, k := setup(t)
	if _, err := k.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var id string
	for rid := range requesterIDs(t, w) {
		if id == "" || rid < id {
			id = rid
		}
	}
	// Another process stores a review: the next Refresh makes this requester's row again.
	a := reviews.AuthorOf(h, "tok-one", "", false)
	in := reviews.Input{RequesterID: id, Pay: reviews.Rating(2), Text: "Paid <b>late</b>, first note"}
	if err := reviews.Save(ctx, s, a, in, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if n, err := k.Refresh(ctx); err != nil || n != 1 {
		t.Fatalf("Refresh after a review made %d rows (%v), want 1", n, err)
	}
	row, ok, err := k.Read(ctx, id)
	if err != nil || !ok || len(row.Reviews) == 0 || row.Reviews[0].Text != in.Text {
		t.Fatalf("row after the review: ok %v, %v, reviews %+v", ok, err, row.Reviews)
	}
	sameJSON(t, "after a review", row.Parts, live(t, s, w, id))

	// This process stores one: MarkChanged puts the old row out of use, Remake makes it at once.
	in.Text = "Paid late, second note"
	if err := reviews.Save(ctx, s, a, in, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	k.MarkChanged(id)
	if _, ok, err := k.Read(ctx, id); ok || err != nil {
		t.Fatalf("the row made before the change is read: ok %v, %v", ok, err)
	}
	if err := k.Remake(ctx, id); err != nil {
		t.Fatal(err)
	}
	row, ok, err = k.Read(ctx, id)
	if err != nil || !ok || row.Reviews[0].Text != in.Text {
		t.Fatalf("row after Remake: ok %v, %v, reviews %+v", ok, err, row.Reviews)
	}

	// Figures computed again: every row is stale until made again, and says so by FiguresAt.
	before := requesterIDs(t, w)[id]
	time.Sleep(5 * time.Millisecond) // a new computed_at, to the millisecond
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	now := requesterIDs(t, w)
	if now[id].Equal(before) {
		t.Fatal("the recompute kept the computation time")
	}
	if row, _, _ := k.Read(ctx, id); row.FiguresAt.Equal(now[id]) {
		t.Error("a row made before the recompute claims its figures")
	}
	if n, err := k.Refresh(ctx); err != nil || n < len(now) {
		t.Errorf("Refresh after a recompute made %d rows (%v), want every requester's (%d)", n, err, len(now))
	}
	row, ok, err = k.Read(ctx, id)
	if err != nil || !ok || !row.FiguresAt.Equal(now[id]) {
		t.Errorf("row after the refresh: ok %v, %v, figures of %v, want %v", ok, err, row.FiguresAt, now[id])
	}
}

// TestReadsShareStatements: pages asked at once each get their own requester's row, through
// statements that each hold one store slot (BoundReads); a read whose page has gone ends at once,
// and a refused slot is the read's error, not a missing row.
func TestReadsShareStatements(t *testing.T) {
	ctx := context.Background()
	s, w, _, k := setup(t)
	if _, err := k.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var (
		mu               sync.Mutex
		holding, most, n int
		refuse           bool
	)
	k.BoundReads(func(context.Context) (func(), error) {
		mu.Lock()
		defer mu.Unlock()
		if refuse {
			return nil, errors.New("busy")
		}
		holding++
		n++
		most = max(most, holding)
		return func() { mu.Lock(); holding--; mu.Unlock() }, nil
	})
	ids := requesterIDs(t, w)
	var wg sync.WaitGroup
	for range 4 {
		for id, at := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				row, ok, err := k.Read(ctx, id)
				if err != nil || !ok || !row.FiguresAt.Equal(at) {
					t.Errorf("row of %s: ok %v, %v, figures of %v, want %v", id, ok, err, row.FiguresAt, at)
					return
				}
				if len(row.Groups) > 0 && row.Groups[0].RequesterID != id {
					t.Errorf("row of %s holds %s's groups", id, row.Groups[0].RequesterID)
				}
			}()
		}
	}
	wg.Wait()
	if most > 2 || n == 0 || n >= 4*len(ids) {
		t.Errorf("%d statements for %d reads, at most %d slots held at once (want shared statements, at most 2 slots)", n, 4*len(ids), most)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	for id := range ids {
		if _, ok, err := k.Read(gone, id); ok || err == nil {
			t.Errorf("read for a page that has gone: ok %v, %v", ok, err)
		}
		break
	}
	mu.Lock()
	refuse = true
	mu.Unlock()
	for id := range ids {
		if _, ok, err := k.Read(ctx, id); ok || err == nil {
			t.Errorf("read without a slot: ok %v, %v", ok, err)
		}
		break
	}
	_ = s
}

// TestRefreshesAtOnce: refreshes asked at once make every stale row once between them.
func TestRefreshesAtOnce(t *testing.T) {
	ctx := context.Background()
	_, w, _, k := setup(t)
	ids := requesterIDs(t, w)
	var wg sync.WaitGroup
	var total atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := k.Refresh(ctx)
			if err != nil {
				t.Error(err)
			}
			total.Add(int64(n))
		}()
	}
	wg.Wait()
	if total.Load() < int64(len(ids)) || total.Load() >= 4*int64(len(ids)) {
		t.Errorf("refreshes at once made %d rows for %d requesters", total.Load(), len(ids))
	}
	for id := range ids {
		if _, ok, err := k.Read(ctx, id); !ok || err != nil {
			t.Errorf("row of %s after the refreshes: ok %v, %v", id, ok, err)
		}
	}
}
