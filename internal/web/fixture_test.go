package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/demo"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web"
)

// Hostile text a requester or worker could send; it must come out escaped everywhere.
const (
	hostileID    = "AHOSTILE0000001"
	hostileName  = `<script>alert("pwn")</script> O'Brien & "Sons" ` + "\u202e" + `gnp.exe`
	hostileTitle = `<img src=x onerror=alert(1)> Survey "quoted" & <b>bold</b>`
	hostileGroup = "3HOSTILEGROUP00000000000000001"
)

type site struct {
	base  string
	store *store.Store
	dir   *lookup.Directory
	deps  web.Deps
}

var fixtureNow = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// loadedSite serves the site on a store holding the demo data plus one hostile requester,
// with wages computed and the directory loaded.
func loadedSite(t *testing.T) site {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, s, h, demo.Options{Records: 3000, Now: fixtureNow}); err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	for i := 0; i < 12; i++ {
		acc := fixtureNow.Add(-time.Duration(i+2) * time.Hour)
		fin := acc.Add(10 * time.Minute)
		recs = append(recs, records.Record{
			RequesterID: hostileID, RequesterName: hostileName, Title: hostileTitle, HitSetID: hostileGroup,
			AssignmentID: fmt.Sprintf("3HOSTILEASSIGN%016d", i), Reporter: h.Reporter("worker", fmt.Sprintf("AWORKER%08d", i%6)),
			Reward: decimal.RequireFromString("1.00"), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 600,
			Status: records.Approved, AllottedSeconds: 3600, Source: "test", ReceivedAt: fin,
		})
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, `INSERT INTO requesters (requester_id, name, first_seen, updated_at) VALUES ({id:String}, {n:String}, now64(3), now64(3))`,
		store.Args{"id": hostileID, "n": hostileName}); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, `INSERT INTO reviews (requester_id, reporter, pay, fairness, communication, promptness, text, created_at, updated_at, deleted)
		VALUES ({id:String}, 'r1', 2, 3, 4, 5, {txt:String}, now64(3), now64(3), 0)`, store.Args{"id": hostileID, "txt": `</textarea><script>alert(2)</script>`}); err != nil {
		t.Fatal(err)
	}
	return serveComputed(t, s)
}

// serveComputed computes the wage figures of the records in s, loads the directory from them
// and serves the site on it.
func serveComputed(t *testing.T, s *store.Store) site {
	t.Helper()
	deps := computedDeps(t, s)
	return site{base: serveDeps(t, deps), store: s, dir: deps.Directory, deps: deps}
}

// computedDeps computes the wage figures of the records in s and loads the directory from them:
// the site's Store, Wages and Directory.
func computedDeps(t *testing.T, s *store.Store) web.Deps {
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
	return web.Deps{Store: s, Wages: w, Directory: d}
}
