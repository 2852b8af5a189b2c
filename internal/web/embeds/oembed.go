package embeds

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

// OEmbed answers the oEmbed "rich" type for a requester page URL.
func (h *Handler) OEmbed(c *fiber.Ctx) error {
	if err := h.site.DirectoryReady(); err != nil {
		return err
	}
	raw := c.Query("url")
	u, err := url.Parse(raw)
	if raw == "" || err != nil {
		return site.BadRequest("url", "url is required: a hitwage requester page URL")
	}
	// A provider answers for its own pages only: another site's URL with a requester path is not ours.
	if base, err := url.Parse(h.site.Deps.BaseURL); h.site.Deps.BaseURL != "" && err == nil && !strings.EqualFold(u.Host, base.Host) {
		return &site.Error{Status: fiber.StatusNotFound, Code: "not_found", Field: "url", Message: "url is not a page of this site: " + h.site.Deps.BaseURL + "/requesters/ID"}
	}
	key, ok := site.RequesterKeyOfPath(u.Path)
	if !ok {
		return site.BadRequest("url", "url must be a requester page: "+h.site.Deps.BaseURL+"/requesters/ID or "+h.site.Deps.BaseURL+"/prolific/researchers/ID")
	}
	if f := c.Query("format", "json"); f != "json" {
		return &site.Error{Status: fiber.StatusNotImplemented, Code: "unsupported_format", Field: "format", Message: "only format=json is served"}
	}
	// maxwidth and maxheight bound the card (oEmbed 1.0, 2.2); a card cannot be drawn smaller than
	// site.CardMinWidth by site.CardHeight, so a tighter bound has no answer (404, as the spec allows).
	width := site.CardWidth
	for _, p := range []struct {
		name string
		min  int
		set  func(int)
	}{{"maxwidth", site.CardMinWidth, func(v int) { width = min(width, v) }}, {"maxheight", site.CardHeight, func(int) {}}} {
		raw := c.Query(p.name)
		if raw == "" {
			continue
		}
		v, err := strconv.Atoi(raw)
		if err != nil || v <= 0 {
			return site.BadRequest(p.name, p.name+" must be a whole number of pixels")
		}
		if v < p.min {
			return &site.Error{Status: fiber.StatusNotFound, Code: "too_small", Field: p.name,
				Message: fmt.Sprintf("the card needs at least %d by %d pixels", site.CardMinWidth, site.CardHeight)}
		}
		p.set(v)
	}
	r, ok := h.site.Deps.Directory.Get(key)
	if !ok {
		_, id := platform.Split(key)
		return &site.Error{Status: fiber.StatusNotFound, Code: "not_found", Field: "url", Message: "hitwage has no reports of requester " + id + " yet"}
	}
	return site.SendJSON(c, fiber.Map{
		"version": "1.0", "type": "rich", "provider_name": "hitwage", "provider_url": h.site.Deps.BaseURL,
		"title": h.site.EmbedLabel() + ": " + r.Name, "width": width, "height": site.CardHeight,
		"html": h.site.CardIframe(r, width),
	}, 600)
}
