package web

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"

	"github.com/hitwage/hitwage/internal/ingest"
)

// handleReports stores a batch of task records from an authenticated reporter and answers
// only once they are in the store.
func (a *App) handleReports(c *fiber.Ctx) error {
	ing := a.deps.Ingest
	if ing == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "ingest_disabled", Message: "this server does not accept reports"}
	}
	if n := c.Request().Header.ContentLength(); n > ing.Config().MaxBodyBytes {
		return tooLarge(ing)
	}
	tok, err := a.authenticate(c)
	if err != nil {
		return err
	}
	res, err := ing.Submit(c.UserContext(), tok, c.Body())
	var inv *ingest.InvalidError
	switch {
	case errors.As(err, &inv):
		details := make([]FieldError, len(inv.Problems))
		fields := make([]string, len(inv.Problems))
		for i, p := range inv.Problems {
			details[i] = FieldError{Index: &p.Index, Field: p.Field, Message: p.Message}
			fields[i] = p.Field
		}
		status, field := problemStatus(fields)
		return &Error{Status: status, Code: "invalid_records", Field: field, Details: details,
			Message: plural(len(inv.Problems), "problem") + " in " + plural(inv.Received, "record") + "; nothing was stored"}
	case errors.Is(err, ingest.ErrBodyTooLarge):
		return tooLarge(ing)
	case errors.Is(err, ingest.ErrTooMany):
		return &Error{Status: fiber.StatusRequestEntityTooLarge, Code: "too_many_records", Field: "body",
			Message: "at most " + strconv.Itoa(ing.Config().MaxRecords) + " records per request"}
	case errors.Is(err, ingest.ErrBadBody):
		return &Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: strings.TrimPrefix(err.Error(), "ingest: ")}
	case err != nil:
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

func tooLarge(ing *ingest.Service) error {
	return &Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body",
		Message: "the body is over " + strconv.Itoa(ing.Config().MaxBodyBytes) + " bytes; send smaller batches"}
}

// authenticate checks the bearer token and its rate limit.
func (a *App) authenticate(c *fiber.Ctx) (ingest.Token, error) {
	secret, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="hitwage"`)
		return ingest.Token{}, &Error{Status: fiber.StatusUnauthorized, Code: "unauthorized", Field: "Authorization",
			Message: "send your token as Authorization: Bearer TOKEN (tokens come from `collector tokens create`)"}
	}
	return a.checkToken(c, secret)
}

// checkToken authenticates a token secret, however the client sent it (header or form), and
// applies the token's rate limit. Callers have checked that the server takes reports (a.deps.Ingest).
func (a *App) checkToken(c *fiber.Ctx, secret string) (ingest.Token, error) {
	ing := a.deps.Ingest
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

// workerSiteCORS lets userscripts on the worker site call the write endpoints (reports, reviews)
// with a token; read endpoints allow any origin instead.
func (a *App) workerSiteCORS(methods string) fiber.Handler {
	origins := ingest.DefaultCORSOrigins
	if a.deps.Ingest != nil {
		origins = a.deps.Ingest.Config().CORSOrigins
	}
	return cors.New(cors.Config{
		AllowOrigins:  strings.Join(origins, ","),
		AllowMethods:  methods,
		AllowHeaders:  "Authorization,Content-Type",
		ExposeHeaders: "Retry-After",
		MaxAge:        86400,
	})
}
