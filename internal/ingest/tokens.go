package ingest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// Token is a reporter's API token as stored: its public ID and label, never the secret.
type Token struct {
	ID        string     `json:"id"`
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	Platform  string     `json:"platform,omitempty"` // the one platform it reports for; "" every platform
	// Relay marks a token the operator declared a relay (a forum crawl's, a script sending many
	// workers' tasks): its records count each worker it names as a reporter. Every other token is
	// one reporter, however many worker IDs it names (docs/methodology.md).
	Relay bool `json:"relay,omitempty"`
	hash  string
}

// Allows reports whether the token may report tasks and reviews of platform p.
func (t Token) Allows(p platform.ID) bool { return t.Platform == "" || t.Platform == string(p) }

// Errors of token handling.
var (
	ErrUnauthorized = errors.New("ingest: missing, unknown or revoked token")
	ErrNoToken      = errors.New("ingest: no such token")
)

// tokenPrefix starts every token, so one pasted in the wrong place is recognisable.
const tokenPrefix = "hwt_"

// Tokens issues, lists, revokes and checks bearer tokens. It keeps the token table in
// memory and re-reads it when it is older than MaxAge, or on an unknown token at most once
// per MissInterval, so tokens created by another process are seen without a query per request.
type Tokens struct {
	s            *store.Store
	MaxAge       time.Duration // re-read the table after this long; default 30s (revocations take effect within it)
	MissInterval time.Duration // at most one re-read per this interval on unknown tokens; default 2s

	mu     sync.Mutex
	byHash map[string]Token
	loaded time.Time
}

// NewTokens returns the token registry on s.
func NewTokens(s *store.Store) *Tokens {
	return &Tokens{s: s, MaxAge: 30 * time.Second, MissInterval: 2 * time.Second}
}

// Create issues a token with a label and returns the secret (shown once) and its record.
func (t *Tokens) Create(ctx context.Context, label string) (string, Token, error) {
	return t.CreateFor(ctx, label, "")
}

// CreateFor issues a token that reports for platform p only ("" every platform).
func (t *Tokens) CreateFor(ctx context.Context, label string, p platform.ID) (string, Token, error) {
	return t.create(ctx, label, p, false)
}

// CreateRelay issues a declared relay token (see Token.Relay) for platform p ("" every platform).
func (t *Tokens) CreateRelay(ctx context.Context, label string, p platform.ID) (string, Token, error) {
	return t.create(ctx, label, p, true)
}

func (t *Tokens) create(ctx context.Context, label string, p platform.ID, relay bool) (string, Token, error) {
	if p != "" && platform.Get(p) == nil {
		return "", Token{}, fmt.Errorf("ingest: unknown platform %q: one of %s", p, strings.Join(platform.IDs(), ", "))
	}
	label = strings.TrimSpace(label)
	if label == "" || len(label) > 200 {
		return "", Token{}, errors.New("ingest: a token needs a label of 1-200 characters")
	}
	raw := make([]byte, 38)
	if _, err := rand.Read(raw); err != nil {
		return "", Token{}, fmt.Errorf("ingest: make token: %w", err)
	}
	id := hex.EncodeToString(raw[:6])
	secret := tokenPrefix + id + "_" + hex.EncodeToString(raw[6:])
	now := time.Now().UTC().Truncate(time.Millisecond)
	tok := Token{ID: id, Label: label, CreatedAt: now, Platform: string(p), Relay: relay, hash: hashToken(secret)}
	if err := t.write(ctx, tok, now); err != nil {
		return "", Token{}, err
	}
	t.forget()
	return secret, tok, nil
}

// List returns every token, oldest first, revoked ones included.
func (t *Tokens) List(ctx context.Context) ([]Token, error) {
	rows, err := t.s.Query(ctx, `SELECT token_id, token_hash, label, created_at, revoked_at, toString(platform), relay
		FROM ingest_tokens FINAL ORDER BY created_at, token_id`, nil)
	if err != nil {
		return nil, fmt.Errorf("ingest: list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var tok Token
		if err := rows.Scan(&tok.ID, &tok.hash, &tok.Label, &tok.CreatedAt, &tok.RevokedAt, &tok.Platform, &tok.Relay); err != nil {
			return nil, fmt.Errorf("ingest: list tokens: %w", err)
		}
		out = append(out, tok)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ingest: list tokens: %w", err)
	}
	return out, nil
}

// Get returns the live (not revoked) token with id, or ErrUnauthorized.
func (t *Tokens) Get(ctx context.Context, id string) (Token, error) {
	list, err := t.List(ctx)
	if err != nil {
		return Token{}, err
	}
	for _, tok := range list {
		if tok.ID == id && tok.RevokedAt == nil {
			return tok, nil
		}
	}
	return Token{}, ErrUnauthorized
}

// Revoke marks a token revoked; requests with it are refused from then on (in another
// process, within MaxAge).
func (t *Tokens) Revoke(ctx context.Context, id string) (Token, error) {
	list, err := t.List(ctx)
	if err != nil {
		return Token{}, err
	}
	for _, tok := range list {
		if tok.ID != id {
			continue
		}
		if tok.RevokedAt != nil {
			return tok, nil
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		tok.RevokedAt = &now
		if err := t.write(ctx, tok, now); err != nil {
			return Token{}, err
		}
		t.forget()
		return tok, nil
	}
	return Token{}, fmt.Errorf("%w: %q", ErrNoToken, id)
}

func (t *Tokens) write(ctx context.Context, tok Token, at time.Time) error {
	err := t.s.Insert(ctx, "ingest_tokens", []string{"token_id", "token_hash", "label", "created_at", "revoked_at", "updated_at", "platform", "relay"}, 1,
		func(int) []any {
			return []any{tok.ID, tok.hash, tok.Label, tok.CreatedAt, tok.RevokedAt, at, tok.Platform, tok.Relay}
		})
	if err != nil {
		return fmt.Errorf("ingest: save token: %w", err)
	}
	return nil
}

// Authenticate returns the live token whose secret is given (the value after "Bearer ").
func (t *Tokens) Authenticate(ctx context.Context, secret string) (Token, error) {
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return Token{}, ErrUnauthorized
	}
	h := hashToken(secret)
	t.mu.Lock()
	defer t.mu.Unlock()
	age := time.Since(t.loaded)
	if t.byHash == nil || age > t.MaxAge {
		if err := t.reload(ctx); err != nil {
			return Token{}, err
		}
	}
	tok, ok := t.byHash[h]
	if !ok && time.Since(t.loaded) > t.MissInterval {
		if err := t.reload(ctx); err != nil {
			return Token{}, err
		}
		tok, ok = t.byHash[h]
	}
	if !ok || tok.RevokedAt != nil {
		return Token{}, ErrUnauthorized
	}
	return tok, nil
}

// reload reads the token table; the caller holds mu.
func (t *Tokens) reload(ctx context.Context) error {
	list, err := t.List(ctx)
	if err != nil {
		return err
	}
	m := make(map[string]Token, len(list))
	for _, tok := range list {
		m[tok.hash] = tok
	}
	t.byHash, t.loaded = m, time.Now()
	return nil
}

// forget drops the cache, so this process sees its own changes at once.
func (t *Tokens) forget() {
	t.mu.Lock()
	t.byHash = nil
	t.mu.Unlock()
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
