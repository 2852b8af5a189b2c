package pages

import (
	"bytes"
	"html/template"
	"sync"

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

// Methodology renders docs/methodology.md. The Markdown is ours, not user input, and
// goldmark drops raw HTML in it by default.
func (h *Handler) Methodology(c *fiber.Ctx) error {
	methodologyOnce.Do(func() {
		md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
		var buf bytes.Buffer
		methodologyErr = md.Convert(docs.Methodology, &buf)
		methodologyHTML = template.HTML(buf.String()) // #nosec: rendered from our own embedded document
	})
	if methodologyErr != nil {
		return methodologyErr
	}
	return h.render(c, "methodology", "Methodology", methodologyHTML)
}

// About renders the about page.
func (h *Handler) About(c *fiber.Ctx) error {
	return h.render(c, "about", "About", nil)
}
