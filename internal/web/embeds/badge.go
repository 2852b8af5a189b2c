package web

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"text/template"

	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/internal/web/view"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
)

// Embeds for forums: an SVG badge, an HTML card for iframes, oEmbed, and copy-ready snippets.
// Every embed escapes all text and may be framed by any site (they are made to be embedded).

func (a *App) embedRequester(c *fiber.Ctx) (*lookup.Requester, error) {
	return a.site.RequesterParam(c, "no requester ID")
}

var badgeSVG = template.Must(template.New("badge").Parse(`<svg xmlns="http://www.w3.org/2000/svg" width="{{.W}}" height="20" role="img" aria-label="{{.Label}}: {{.Value}}">
<title>{{.Label}}: {{.Value}}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="{{.W}}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="{{.LW}}" height="20" fill="#555"/><rect x="{{.LW}}" width="{{.VW}}" height="20" fill="{{.Color}}"/><rect width="{{.W}}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="{{.LX}}" y="14">{{.Label}}</text><text x="{{.VX}}" y="14">{{.Value}}</text></g>
</svg>`))

var gradeColors = map[string]string{"A": "#15803d", "B": "#65a30d", "C": "#ca8a04", "D": "#ea580c", "F": "#b91c1c"}

// badge is a shields-style SVG: grade and effective wage. Forums show it as an image, so every
// answer is an SVG: a well-formed id without figures is a 200 "no data yet" badge (the image means
// something, and image proxies drop non-200 answers), a malformed id is a 400 "bad requester id"
// badge, and a directory not loaded yet is a 503 "loading" badge.
func (a *App) badge(c *fiber.Ctx) error {
	r, err := a.embedRequester(c)
	var e *site.Error
	if errors.As(err, &e) {
		switch e.Status {
		case fiber.StatusNotFound:
			return sendBadge(c, fiber.StatusOK, a.site.EmbedLabel(), "no data yet", noDataColor, 600)
		case fiber.StatusBadRequest:
			return sendBadge(c, e.Status, "hitwage", "bad requester id", noDataColor, 0)
		default:
			return sendBadge(c, e.Status, "hitwage", "loading", noDataColor, 0)
		}
	}
	if err != nil {
		return err
	}
	value, color := "no data", noDataColor
	if w := r.Wages.EffectiveHourly; w != nil {
		value = platform.Symbol(r.Wages.Currency) + fmt.Sprintf("%.2f/h", *w)
	}
	if pl := platform.Get(r.Platform); pl != nil && pl.ID != platform.MTurk {
		value = pl.Short + " " + value // a badge says its platform where it is not the archive's
	}
	if r.Score != nil && r.Score.Grade != "" {
		value = r.Score.Grade + " · " + value
		color = gradeColors[r.Score.Grade]
	} else if r.Wages.EffectiveHourly != nil {
		color = "#08519c"
	}
	return sendBadge(c, fiber.StatusOK, a.site.EmbedLabel(), value, color, 3600)
}

const noDataColor = "#6b7280"

// sendBadge answers with a badge saying value, cached for maxAge seconds (not stored when 0).
func sendBadge(c *fiber.Ctx, status int, label, value, color string, maxAge int) error {
	lw, vw := 6*len(label)+12, 7*len([]rune(value))+12
	var buf bytes.Buffer
	err := badgeSVG.Execute(&buf, map[string]any{
		"Label": html.EscapeString(label), "Value": html.EscapeString(value), "Color": color,
		"W": lw + vw, "LW": lw, "VW": vw, "LX": lw / 2, "VX": lw + vw/2,
	})
	if err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	if maxAge > 0 {
		c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(maxAge))
	} else {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	return c.Send(buf.Bytes())
}

// card is the requester's card for iframes (any site may frame it). As the badge, every answer is a card that fits the
// frame: a well-formed id without figures is a 200 "no reports yet" card, a malformed id a 400 and a
// directory not loaded yet a 503 card saying so.
func (a *App) card(c *fiber.Ctx) error {
	r, err := a.embedRequester(c)
	var e *site.Error
	if errors.As(err, &e) {
		status, note, maxAge := e.Status, "hitwage is loading its figures; try again in a minute.", 0
		switch e.Status {
		case fiber.StatusNotFound:
			status, note, maxAge = fiber.StatusOK, "hitwage has no reports of this requester yet.", 600
		case fiber.StatusBadRequest:
			note = "This is not a requester ID."
		}
		return a.sendCard(c, status, "card-note.html", map[string]any{"Note": note, "Base": a.site.Deps.BaseURL}, maxAge)
	}
	if err != nil {
		return err
	}
	return a.sendCard(c, fiber.StatusOK, "card.html", map[string]any{"D": a.site.RequesterDoc(r), "Base": a.site.Deps.BaseURL, "Demo": a.site.Demo(c)}, 600)
}

// sendCard renders one of card.html's templates for an iframe, cached for maxAge seconds (not
// stored when 0).
func (a *App) sendCard(c *fiber.Ctx, status int, tmpl string, data map[string]any, maxAge int) error {
	var buf bytes.Buffer
	if err := view.Card(&buf, tmpl, data); err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors *; base-uri 'none'")
	if maxAge > 0 {
		c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(maxAge))
	} else {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Send(buf.Bytes())
}

// oembed answers the oEmbed "rich" type for a requester page URL.
func (a *App) oembed(c *fiber.Ctx) error {
	if err := a.site.DirectoryReady(); err != nil {
		return err
	}
	raw := c.Query("url")
	u, err := url.Parse(raw)
	if raw == "" || err != nil {
		return site.BadRequest("url", "url is required: a hitwage requester page URL")
	}
	// A provider answers for its own pages only: another site's URL with a requester path is not ours.
	if base, err := url.Parse(a.site.Deps.BaseURL); a.site.Deps.BaseURL != "" && err == nil && !strings.EqualFold(u.Host, base.Host) {
		return &site.Error{Status: fiber.StatusNotFound, Code: "not_found", Field: "url", Message: "url is not a page of this site: " + a.site.Deps.BaseURL + "/requesters/ID"}
	}
	key, ok := site.RequesterKeyOfPath(u.Path)
	if !ok {
		return site.BadRequest("url", "url must be a requester page: "+a.site.Deps.BaseURL+"/requesters/ID or "+a.site.Deps.BaseURL+"/prolific/researchers/ID")
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
	r, ok := a.site.Deps.Directory.Get(key)
	if !ok {
		_, id := platform.Split(key)
		return &site.Error{Status: fiber.StatusNotFound, Code: "not_found", Field: "url", Message: "hitwage has no reports of requester " + id + " yet"}
	}
	return site.SendJSON(c, fiber.Map{
		"version": "1.0", "type": "rich", "provider_name": "hitwage", "provider_url": a.site.Deps.BaseURL,
		"title": a.site.EmbedLabel() + ": " + r.Name, "width": width, "height": site.CardHeight,
		"html": a.site.CardIframe(r, width),
	}, 600)
}
