package api

import (
	"encoding/json"
	"time"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/web/site"
)

// cachedDoc is a requester's API document, encoded once per directory snapshot (h.docs) so a
// lookup is a map read and a write: userscripts ask for many requesters on every page of HITs.
type cachedDoc struct {
	body []byte
	etag string
}

// cachedRequester returns the encoded document of r from the directory snapshot taken at refreshed.
func (h *Handler) cachedRequester(r *lookup.Requester, refreshed time.Time) (cachedDoc, error) {
	return h.docs.Load(refreshed, r.ID, func() (cachedDoc, error) {
		b, err := json.Marshal(h.site.RequesterDoc(r))
		if err != nil {
			return cachedDoc{}, err
		}
		return cachedDoc{body: b, etag: site.EtagOf(b)}, nil
	})
}
