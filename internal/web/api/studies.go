package web

import (
	"bytes"
	"strings"

	"github.com/hitwage/hitwage/internal/web/site"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
)

// POST /api/v1/studies: study listings a participant's userscript relays as Prolific's own app
// fetched them (participant/studies JSON, either schema). They become listing snapshots of their
// researchers, so a researcher's page can set what a study advertises beside what workers report.
// A listing is what every participant offered the study sees: nothing about the participant is
// in it, and the token that relayed it is not kept with it.

// maxStudiesBody bounds a relayed studies list: a page of Prolific's studies is a few tens of KiB.
const maxStudiesBody = 1 << 20

// studiesResult is the answer to a relayed studies list.
type studiesResult struct {
	Received int `json:"received"` // listings read
	Stored   int `json:"stored"`   // listings stored
	LeftOut  int `json:"left_out"` // listings without a valid id, researcher or reward in a currency Prolific pays in
}

func (a *App) postStudies(c *fiber.Ctx) error {
	if a.site.Deps.Ingest == nil {
		return &site.Error{Status: fiber.StatusServiceUnavailable, Code: "ingest_disabled", Message: "this server does not accept reports"}
	}
	if n := c.Request().Header.ContentLength(); n > maxStudiesBody {
		return studiesTooLarge()
	}
	tok, err := a.site.Authenticate(c)
	if err != nil {
		return err
	}
	if !tok.Allows(platform.Prolific) {
		return &site.Error{Status: fiber.StatusForbidden, Code: "wrong_platform", Field: "platform",
			Message: "this token reports for " + tok.Platform + ", not Prolific"}
	}
	body := c.Body()
	if len(body) > maxStudiesBody {
		return studiesTooLarge()
	}
	studies, err := histories.ReadStudies(bytes.NewReader(body))
	if err != nil {
		return site.BadRequest("body", "not a Prolific studies list ({\"results\": [...]}): "+strings.TrimPrefix(err.Error(), string(histories.ProlificStudy)+": "))
	}
	stored, bad, err := histories.StoreStudies(c.UserContext(), a.site.Deps.Store, market.RelayCrawl, a.site.Now(), studies)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(studiesResult{Received: len(studies), Stored: stored, LeftOut: bad})
}

func studiesTooLarge() error {
	return &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body", Message: "a studies list is at most 1 MiB"}
}
