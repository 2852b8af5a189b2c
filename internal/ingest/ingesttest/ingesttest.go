// Package ingesttest serves the ingest API for tests: the real web app on loopback, with a
// token made for the test.
package ingesttest

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/web"
)

// Site starts the real web app with the ingest API over s on 127.0.0.1 and returns its base
// URL and the secret of a new ingest token. The site and the service stop when the test ends.
func Site(t testing.TB, s *store.Store, h *records.Hasher, cfg ingest.Config) (baseURL, secret string) {
	t.Helper()
	svc := ingest.NewService(s, h, cfg)
	secret, _, err := svc.Tokens.Create(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := web.New(web.Deps{Store: s, Version: "test", Ingest: svc})
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() {
		_ = app.ShutdownWithTimeout(5 * time.Second)
		_ = svc.Close(context.Background())
	})
	return "http://" + ln.Addr().String(), secret
}
