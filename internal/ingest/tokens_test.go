package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	tokens := ingest.NewTokens(s)
	secret, tok, err := tokens.Create(ctx, "alice's script")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "hwt_"+tok.ID+"_") || len(secret) < 60 {
		t.Fatalf("secret %q for id %q", secret, tok.ID)
	}
	// Only a hash is stored.
	var n uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM ingest_tokens WHERE position(token_hash, {s:String}) > 0 OR token_hash = {s:String}",
		map[string]any{"s": secret}, &n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("the token secret is stored")
	}
	got, err := tokens.Authenticate(ctx, secret)
	if err != nil || got.ID != tok.ID || got.Label != "alice's script" {
		t.Fatalf("authenticate: %+v %v", got, err)
	}
	for _, bad := range []string{"", "hwt_", secret + "x", strings.Replace(secret, "hwt_", "xyz_", 1)} {
		if _, err := tokens.Authenticate(ctx, bad); !errors.Is(err, ingest.ErrUnauthorized) {
			t.Fatalf("authenticate(%q): %v", bad, err)
		}
	}

	// Another process (here: another registry on the same store) creates a token: it is
	// found on the first request that uses it, after the short negative cache.
	other := ingest.NewTokens(s)
	secret2, _, err := other.Create(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	tokens.MissInterval = 0
	if _, err := tokens.Authenticate(ctx, secret2); err != nil {
		t.Fatalf("token created elsewhere: %v", err)
	}

	if _, err := other.Revoke(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Revoke(ctx, "nope"); !errors.Is(err, ingest.ErrNoToken) {
		t.Fatalf("revoke unknown: %v", err)
	}
	tokens.MaxAge = 0 // a revocation elsewhere is seen once the cache is older than MaxAge
	time.Sleep(time.Millisecond)
	if _, err := tokens.Authenticate(ctx, secret); !errors.Is(err, ingest.ErrUnauthorized) {
		t.Fatalf("revoked token: %v", err)
	}
	list, err := tokens.List(ctx)
	if err != nil || len(list) != 2 || list[0].ID != tok.ID || list[0].RevokedAt == nil || list[1].RevokedAt != nil {
		t.Fatalf("list %+v %v", list, err)
	}
}

func TestLimiter(t *testing.T) {
	l := ingest.NewLimiter(1, 2)
	for i := 0; i < 2; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("third request: %v %v", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another token is limited too")
	}
}

// BenchmarkLimiterAllow: one request through the per-token limiter, over 1,000 tokens.
func BenchmarkLimiterAllow(b *testing.B) {
	l := ingest.NewLimiter(1e9, 1e9)
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("token-%d", i)
	}
	i := 0
	for b.Loop() {
		l.Allow(keys[i%len(keys)])
		i++
	}
}
