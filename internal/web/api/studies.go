package api

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

// POST /api/v1/studies: study listings a participant's userscript relays as Prolific's own app
// fetched them (participant/studies JSON, either schema). They become listing snapshots of their
// researchers, so a researcher's page can set what a study advertises beside what workers report.
// A listing is what every participant offered the study sees: nothing about the participant is
// in it, and the token that relayed it is not kept with it.

// MaxStudiesBody bounds a relayed studies list: a page of Prolific's studies is a few tens of KiB.
const MaxStudiesBody = 1 << 20

// studiesResult is the answer to a relayed studies list.
type studiesResult struct {
	Received int `json:"received"` // listings read
	Stored   int `json:"stored"`   // listings stored
	LeftOut  int `json:"left_out"` // listings without a valid id, researcher or reward in a currency Prolific pays in
}

// PostStudies stores the study listings a participant's userscript relays.
func (h *Handler) PostStudies(c *fiber.Ctx) error {
	if h.site.Deps.Ingest == nil {
		return &site.Error{Status: fiber.StatusServiceUnavailable, Code: "ingest_disabled", Message: "this server does not accept reports"}
	}
	if n := c.Request().Header.ContentLength(); n > MaxStudiesBody {
		return StudiesTooLarge()
	}
	tok, err := h.site.Authenticate(c)
	if err != nil {
		return err
	}
	if !tok.Allows(platform.Prolific) {
		return &site.Error{Status: fiber.StatusForbidden, Code: "wrong_platform", Field: "platform",
			Message: "this token reports for " + tok.Platform + ", not Prolific"}
	}
	body := c.Body()
	if len(body) > MaxStudiesBody {
		return StudiesTooLarge()
	}
	studies, err := histories.ReadStudies(bytes.NewReader(body))
	if err != nil {
		return site.BadRequest("body", "not a Prolific studies list ({\"results\": [...]}): "+strings.TrimPrefix(err.Error(), string(histories.ProlificStudy)+": "))
	}
	stored, bad, err := histories.StoreStudies(c.UserContext(), h.site.Deps.Store, market.RelayCrawl, h.site.Now(), studies)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(studiesResult{Received: len(studies), Stored: stored, LeftOut: bad})
}

// StudiesTooLarge is the 413 of a studies list over MaxStudiesBody.
func StudiesTooLarge() error {
	return &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body", Message: "a studies list is at most 1 MiB"}
}
