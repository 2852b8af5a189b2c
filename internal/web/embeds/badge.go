package embeds

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"strconv"
	"text/template"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

// Embeds for forums: an SVG badge, an HTML card for iframes, oEmbed, and copy-ready snippets.
// Every embed escapes all text and may be framed by any site (they are made to be embedded).

func (h *Handler) embedRequester(c *fiber.Ctx) (*lookup.Requester, error) {
	return h.site.RequesterParam(c, "no requester ID")
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

// Badge is a shields-style SVG: grade and effective wage. Forums show it as an image, so every
// answer is an SVG: a well-formed id without figures is a 200 "no data yet" badge (the image means
// something, and image proxies drop non-200 answers), a malformed id is a 400 "bad requester id"
// badge, and a directory not loaded yet is a 503 "loading" badge.
func (h *Handler) Badge(c *fiber.Ctx) error {
	r, err := h.embedRequester(c)
	var e *site.Error
	if errors.As(err, &e) {
		switch e.Status {
		case fiber.StatusNotFound:
			return sendBadge(c, fiber.StatusOK, h.site.EmbedLabel(), "no data yet", noDataColor, 600)
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
	return sendBadge(c, fiber.StatusOK, h.site.EmbedLabel(), value, color, 3600)
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
