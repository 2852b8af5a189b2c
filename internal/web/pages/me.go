package pages

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web/site"
)

// The /me page shows a worker their own wage figures, as GET /api/v1/me/wages does, for a
// worker who pastes their token: a plain form posted to itself, answered private and never
// cached; the token is never echoed back and no cookie is set.

// meForm is the /me page's state: the form's values, why a request was refused, the figures.
type meForm struct {
	WorkerID, From, To string
	Error, ErrorField  string
	Period             string
	Figures            []wages.Figures // one per platform and currency the worker was paid in
}

// Me renders the empty /me form.
func (h *Handler) Me(c *fiber.Ctx) error {
	return h.renderMe(c, fiber.StatusOK, &meForm{})
}

// PostMe shows a worker their own figures for the token the form carries.
func (h *Handler) PostMe(c *fiber.Ctx) error {
	f := &meForm{WorkerID: strings.TrimSpace(c.FormValue("worker_id")), From: c.FormValue("from"), To: c.FormValue("to")}
	refuse := func(err error) error {
		var e *site.Error
		if !errors.As(err, &e) {
			return err
		}
		f.Error, f.ErrorField = e.Message, e.Field
		if e.Field == "Authorization" {
			f.ErrorField = "token"
			f.Error = "That token is unknown or revoked: paste the whole token your script reports with."
		}
		if e.Status == fiber.StatusTooManyRequests {
			f.Error = "Too many requests with this token; try again in a minute."
		}
		return h.renderMe(c, e.Status, f)
	}
	if err := h.site.MyWagesEnabled(); err != nil {
		return refuse(err)
	}
	tok, err := h.formToken(c)
	if err != nil {
		return refuse(err)
	}
	figs, r, err := h.site.MyWagesOf(c.UserContext(), nil, tok, f.WorkerID, f.From, f.To)
	if err != nil {
		return refuse(err)
	}
	f.Figures = figs
	switch {
	case r.From.IsZero() && r.To.IsZero():
		f.Period = "All your reported tasks"
	case r.To.IsZero():
		f.Period = "Your tasks since " + r.From.Format("2006-01-02")
	case r.From.IsZero():
		f.Period = "Your tasks before " + r.To.Format("2006-01-02")
	default:
		f.Period = "Your tasks from " + r.From.Format("2006-01-02") + " to " + r.To.Format("2006-01-02")
	}
	return h.renderMe(c, fiber.StatusOK, f)
}

// renderMe draws the page, private and never cached: it may hold one worker's figures.
func (h *Handler) renderMe(c *fiber.Ctx, status int, f *meForm) error {
	c.Status(status)
	if err := h.render(c, "me", "Your own wages", f); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return nil
}
