package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
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
	"requesterURL": requesterPath,
	"groupURL":     func(p any, id string) string { return groupPath(platform.ID(fmt.Sprint(p)), id) },
	"badgeURL":     badgePath,
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
	"asset":  assetURL,
	"f0":     f0,
	"derefF": func(v *float64) float64 { return *v },
	"anchor": anchor,
	"plural": plural,
}

// plural says n things: "1 report", "3 reports" (n is any integer count a template has).
func plural(n any, thing string) string {
	s := fmt.Sprint(n)
	if s == "1" {
		return "1 " + thing
	}
	return s + " " + thing + "s"
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

// f0 prints a count or amount without decimals (templates and chart axes).
func f0(v float64) string { return fmt.Sprintf("%.0f", v) }

// dollars prints dollars and cents (templates and chart axes).
func dollars(v float64) string { return fmt.Sprintf("$%.2f", v) }

// moneyIn returns a printer of amounts in currency cur ("£6.00"), for chart axes.
func moneyIn(cur string) func(float64) string {
	sym := platform.Symbol(cur)
	return func(v float64) string { return sym + fmt.Sprintf("%.2f", v) }
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
func (p Page) Home() string { return prefix(p.Platform.ID) + "/" }

// Prefix is what the paths of the page's platform's pages start with ("" for MTurk).
func (p Page) Prefix() string { return prefix(p.Platform.ID) }

// render writes a page with the layout, security headers and a short cache lifetime.
func (a *App) render(c *fiber.Ctx, name, title string, data any) error {
	p, err := platformOf(c)
	if err != nil {
		p = platform.Get(platform.Default) // a page with a bad ?platform= still renders, as MTurk's
	}
	b, err := a.renderBytes(name, title, a.demo(c), p, data)
	if err != nil {
		return err
	}
	return sendPage(c, b)
}

// renderBytes renders page template name into bytes.
func (a *App) renderBytes(name, title string, demo bool, p *platform.Platform, data any) ([]byte, error) {
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

// sendPage sends a rendered page with the pages' headers.
func sendPage(c *fiber.Ctx, b []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", pageCSP)
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.Send(b)
}

// demo reports whether the store holds demo data, cached for a minute.
func (a *App) demo(c *fiber.Ctx) bool {
	a.demoMu.Lock()
	defer a.demoMu.Unlock()
	if time.Since(a.demoAt) > time.Minute {
		a.demoVal = a.deps.Store.IsDemo(c.UserContext())
		a.demoAt = time.Now()
	}
	return a.demoVal
}
