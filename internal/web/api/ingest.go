package api

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/web/site"
)

// PostReports stores a batch of task records from an authenticated reporter and answers
// only once they are in the store.
func (h *Handler) PostReports(c *fiber.Ctx) error {
	ing := h.site.Deps.Ingest
	if ing == nil {
		return &site.Error{Status: fiber.StatusServiceUnavailable, Code: "ingest_disabled", Message: "this server does not accept reports"}
	}
	if n := c.Request().Header.ContentLength(); n > ing.Config().MaxBodyBytes {
		return ReportsTooLarge(ing)
	}
	tok, err := h.site.Authenticate(c)
	if err != nil {
		return err
	}
	res, err := ing.Submit(c.UserContext(), tok, c.Body())
	var inv *ingest.InvalidError
	switch {
	case errors.As(err, &inv):
		details := make([]site.FieldError, len(inv.Problems))
		fields := make([]string, len(inv.Problems))
		for i, p := range inv.Problems {
			details[i] = site.FieldError{Index: &p.Index, Field: p.Field, Message: p.Message}
			fields[i] = p.Field
		}
		status, field := site.ProblemStatus(fields)
		return &site.Error{Status: status, Code: "invalid_records", Field: field, Details: details,
			Message: site.Plural(len(inv.Problems), "problem") + " in " + site.Plural(inv.Received, "record") + "; nothing was stored"}
	case errors.Is(err, ingest.ErrBodyTooLarge):
		return ReportsTooLarge(ing)
	case errors.Is(err, ingest.ErrTooMany):
		return &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "too_many_records", Field: "body",
			Message: "at most " + strconv.Itoa(ing.Config().MaxRecords) + " records per request"}
	case errors.Is(err, ingest.ErrBadBody):
		return &site.Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: strings.TrimPrefix(err.Error(), "ingest: ")}
	case err != nil:
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

// ReportsTooLarge is the 413 of a batch of reports over the ingest service's body limit.
func ReportsTooLarge(ing *ingest.Service) error {
	return &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body",
		Message: "the body is over " + strconv.Itoa(ing.Config().MaxBodyBytes) + " bytes; send smaller batches"}
}

// WorkerSiteCORS lets userscripts on the worker site call the write endpoints (reports, reviews)
// with a token; read endpoints allow any origin instead.
func (h *Handler) WorkerSiteCORS(methods string) fiber.Handler {
	origins := ingest.DefaultCORSOrigins
	if h.site.Deps.Ingest != nil {
		origins = h.site.Deps.Ingest.Config().CORSOrigins
	}
	return cors.New(cors.Config{
		AllowOrigins:  strings.Join(origins, ","),
		AllowMethods:  methods,
		AllowHeaders:  "Authorization,Content-Type",
		ExposeHeaders: "Retry-After",
		MaxAge:        86400,
	})
}
