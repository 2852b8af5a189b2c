package site

import (
	"errors"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/export"
)

// Error is an error with an HTTP status, a machine-readable code and, for bad input, the field at fault.
type Error struct {
	Status  int          `json:"-"`
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Field   string       `json:"field,omitempty"`
	Details []FieldError `json:"errors,omitempty"`
}

// FieldError names one bad field of one record in a request.
type FieldError struct {
	Index   *int   `json:"index,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// BadRequest is a 400 that names the field at fault.
func BadRequest(field, msg string) *Error {
	return &Error{Status: fiber.StatusBadRequest, Code: "bad_request", Field: field, Message: msg}
}

// NotFound is a 404 for the named thing.
func NotFound(msg string) *Error {
	return &Error{Status: fiber.StatusNotFound, Code: "not_found", Message: msg}
}

var errorPage = template.Must(template.New("error").Parse(`<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Status}} · hitwage</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>{{.Status}}</h1><p>{{.Message}}</p><p><a href="/">hitwage home</a></p></body></html>`))

// AnswerOf is the *Error err is answered with; ok is false for an unexpected error (a 500).
func AnswerOf(err error) (we *Error, ok bool) {
	var fe *fiber.Error
	switch {
	case errors.As(err, &we):
		return we, true
	case errors.As(err, &fe):
		return &Error{Status: fe.Code, Code: strings.ToLower(strings.ReplaceAll(fiberCode(fe.Code), " ", "_")), Message: fe.Message}, true
	}
	return &Error{Status: fiber.StatusInternalServerError, Code: "internal", Message: "internal error; it has been logged"}, false
}

// HandleError answers JSON for the API and for clients that ask for it, HTML otherwise.
func (s *Site) HandleError(c *fiber.Ctx, err error) error {
	we, ok := AnswerOf(err)
	if !ok {
		s.Deps.Log.Error("request failed", "path", c.Path(), "err", err.Error())
	}
	c.Status(we.Status)
	// A request line or headers over the read buffer (16 KiB) were never parsed, so the path is not
	// known: such a request is a script's (a long list of ids), and gets JSON naming the URL.
	if we.Status == fiber.StatusRequestHeaderFieldsTooLarge {
		we.Field, we.Message = "url", "the URL and headers exceed 16 KiB: ask for fewer ids at a time"
		return c.JSON(fiber.Map{"error": we})
	}
	if wantsJSON(c) {
		return c.JSON(fiber.Map{"error": we})
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return errorPage.Execute(c.Response().BodyWriter(), we)
}

func fiberCode(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestEntityTooLarge:
		return "body_too_large"
	case fiber.StatusTooManyRequests:
		return "rate_limited"
	}
	if status >= 500 {
		return "internal"
	}
	return "bad_request"
}

func wantsJSON(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/requesters" || p == "/oembed" || strings.HasSuffix(p, ".php") ||
		strings.Contains(c.Get(fiber.HeaderAccept), "application/json")
}

// OptionError answers a bad export or date-range option as a 400 naming it (a 404 for an unknown dataset).
func OptionError(err error) error {
	var oe *export.OptionError
	if errors.As(err, &oe) {
		if oe.Field == "dataset" {
			return NotFound("no export dataset: " + oe.Msg)
		}
		return BadRequest(oe.Field, oe.Msg)
	}
	return err
}
