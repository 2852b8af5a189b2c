package web

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/hitwage/hitwage/internal/web/view"

	"github.com/gofiber/fiber/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"github.com/hitwage/hitwage/docs"
)

var (
	methodologyOnce sync.Once
	methodologyHTML template.HTML
	methodologyErr  error
)

// methodology renders docs/methodology.md. The Markdown is ours, not user input, and
// goldmark drops raw HTML in it by default.
func (a *App) methodology(c *fiber.Ctx) error {
	methodologyOnce.Do(func() {
		md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
		var buf bytes.Buffer
		methodologyErr = md.Convert(docs.Methodology, &buf)
		methodologyHTML = template.HTML(buf.String()) // #nosec: rendered from our own embedded document
	})
	if methodologyErr != nil {
		return methodologyErr
	}
	return view.Render(c, a.site.Demo(c), "methodology", "Methodology", methodologyHTML)
}

func (a *App) about(c *fiber.Ctx) error {
	return view.Render(c, a.site.Demo(c), "about", "About", nil)
}
