package site

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/ingest"
)

// Authenticate checks the bearer token and its rate limit.
func (s *Site) Authenticate(c *fiber.Ctx) (ingest.Token, error) {
	secret, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="hitwage"`)
		return ingest.Token{}, &Error{Status: fiber.StatusUnauthorized, Code: "unauthorized", Field: "Authorization",
			Message: "send your token as Authorization: Bearer TOKEN (tokens come from `collector tokens create`)"}
	}
	return s.CheckToken(c, secret)
}

// CheckToken authenticates a token secret, however the client sent it (header or form), and
// applies the token's rate limit. Callers have checked that the server takes reports (s.Deps.Ingest).
func (s *Site) CheckToken(c *fiber.Ctx, secret string) (ingest.Token, error) {
	ing := s.Deps.Ingest
	tok, err := ing.Tokens.Authenticate(c.UserContext(), secret)
	if errors.Is(err, ingest.ErrUnauthorized) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="hitwage", error="invalid_token"`)
		return tok, &Error{Status: fiber.StatusUnauthorized, Code: "unauthorized", Field: "Authorization", Message: "unknown or revoked token"}
	}
	if err != nil {
		return tok, err
	}
	if ok, wait := ing.Allow(tok); !ok {
		secs := int(math.Ceil(wait.Seconds()))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(secs, 1)))
		return tok, &Error{Status: fiber.StatusTooManyRequests, Code: "rate_limited",
			Message: "too many requests for this token; retry after " + strconv.Itoa(max(secs, 1)) + " s"}
	}
	return tok, nil
}
