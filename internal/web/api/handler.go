package api

import (
	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/internal/web/snapshot"
)

// Handler serves the API's endpoints from the site's shared state.
type Handler struct {
	site *site.Site
	docs snapshot.Cache[cachedDoc] // requesters' encoded documents by id, per directory snapshot
}

// New returns the API's handlers on s.
func New(s *site.Site) *Handler { return &Handler{site: s} }
