// Package embeds is what other sites embed and workers install: a requester's SVG badge, its card
// for iframes, oEmbed for requester pages, and the userscript. Every embed escapes all text and
// may be framed by any site.
package embeds

import "github.com/hitwage/hitwage/internal/web/site"

// Handler serves the embeds from the site's shared state.
type Handler struct{ site *site.Site }

// New returns the embeds' handlers on s.
func New(s *site.Site) *Handler { return &Handler{site: s} }
