// Package view is the look of the site's pages and cards: the HTML templates, their functions,
// the style sheet and scripts they load, and the code that renders them.
package view

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageCSP allows only our own scripts, styles and images: charts get their data from
// attributes, so no inline script is needed.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"

// componentLabels are the score components' names as pages show them.
var componentLabels = map[string]string{
	"pay": "Pay", "approval": "Approval", "promptness": "Promptness", "allotted": "Time allotted",
	"returns": "Returns", "reviews": "Reviews", "screen_outs": "Screen-outs (shown, not weighted)",
	"screen_out_time": "Time in screen-outs", "time_outs": "Time-outs", "advertised_time": "Reported against advertised time",
}

var funcs = template.FuncMap{
	// money and hourly print an amount (a float64 or *float64) in a currency (ISO 4217; dollars when
	// none is given): "£6.00", "$7.25/h".
	"money": func(v any, cur ...string) string {
		return platform.Symbol(currencyArg(cur)) + fmt.Sprintf("%.2f", toFloat(v))
	},
	"hourly": func(v any, cur ...string) string {
		if p, ok := v.(*float64); ok && (p == nil || math.IsNaN(*p)) {
			return "—"
		}
		return platform.Symbol(currencyArg(cur)) + fmt.Sprintf("%.2f/h", toFloat(v))
	},
	"platformName": func(p any) string {
		if pl := platform.Get(platform.ID(fmt.Sprint(p))); pl != nil {
			return pl.Short
		}
		return fmt.Sprint(p)
	},
	"requesterURL": site.RequesterPath,
	"groupURL":     func(p any, id string) string { return site.GroupPath(platform.ID(fmt.Sprint(p)), id) },
	"badgeURL":     site.BadgePath,
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"pct": func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
	// componentLabel names a score component for readers.
	"componentLabel": func(name string) string {
		if l, ok := componentLabels[name]; ok {
			return l
		}
		return name
	},
	"dur": func(v any) string {
		secs := toFloat(v)
		d := time.Duration(secs * float64(time.Second)).Round(time.Second)
		if d >= 48*time.Hour {
			return fmt.Sprintf("%.1f days", d.Hours()/24)
		}
		if d >= time.Hour {
			return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
		}
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	},
	"date":   func(t time.Time) string { return t.UTC().Format("2006-01-02") },
	"time":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"asset":  AssetURL,
	"f0":     site.F0,
	"derefF": func(v *float64) float64 { return *v },
	"anchor": anchor,
	"plural": site.Plural,
}

// anchor makes an HTML id of an API operation: "GET /api/v1/requesters/{id}" → "get-api-v1-requesters-id".
func anchor(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	dash := true
	for _, r := range strings.ToLower(path) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// currencyArg is the currency a template named, else dollars (MTurk's, and figures without one).
func currencyArg(cur []string) string {
	if len(cur) == 0 || cur[0] == "" {
		return "USD"
	}
	return cur[0]
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case *float64:
		if x == nil {
			return 0
		}
		return *x
	case uint32:
		return float64(x)
	case uint64:
		return float64(x)
	case int:
		return float64(x)
	}
	return 0
}

// pages holds one template set per page: the layout plus that page's content.
var pages = map[string]*template.Template{}

func init() {
	names, err := templateFiles.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(n.Name(), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t := template.New("layout.html").Funcs(funcs)
		t = template.Must(t.ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", "templates/"+n.Name()))
		pages[name] = t
	}
}

// Page is what every page template gets: the layout's fields plus the page's own data.
type Page struct {
	Title       string
	Description string
	Demo        bool
	Platform    *platform.Platform   // the platform the page is about (MTurk unless it names another)
	Platforms   []*platform.Platform // every platform, for the switch
	Data        any
}

// Home is the path of the platform's home page; Prefix is what its pages' paths start with.
func (p Page) Home() string { return site.Prefix(p.Platform.ID) + "/" }

// Prefix is what the paths of the page's platform's pages start with ("" for MTurk).
func (p Page) Prefix() string { return site.Prefix(p.Platform.ID) }

// Render writes page template name with the layout, the page headers and a short cache lifetime;
// demo says whether the figures are the demo data set (the layout's banner).
func Render(c *fiber.Ctx, demo bool, name, title string, data any) error {
	p, err := site.PlatformOf(c)
	if err != nil {
		p = platform.Get(platform.Default) // a page with a bad ?platform= still renders, as MTurk's
	}
	b, err := RenderBytes(name, title, demo, p, data)
	if err != nil {
		return err
	}
	return SendPage(c, b)
}

// RenderBytes renders page template name about platform p into bytes.
func RenderBytes(name, title string, demo bool, p *platform.Platform, data any) ([]byte, error) {
	t, ok := pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, Page{Title: title, Demo: demo, Platform: p, Platforms: platform.All(), Data: data}); err != nil {
		return nil, fmt.Errorf("web: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// Card renders one of card.html's templates (a card or its note), for an iframe: the embeds'
// answers share the pages' style sheet.
func Card(w io.Writer, tmpl string, data any) error {
	return pages["card"].ExecuteTemplate(w, tmpl, data)
}

// SendPage sends a rendered page with the pages' headers.
func SendPage(c *fiber.Ctx, b []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", pageCSP)
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.Send(b)
}
