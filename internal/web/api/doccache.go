package web

import (
	"encoding/json"
	"time"

	"github.com/hitwage/hitwage/internal/web/site"

	"github.com/hitwage/hitwage/internal/lookup"
)

// cachedDoc is a requester's API document, encoded once per directory snapshot (a.docs) so a
// lookup is a map read and a write: userscripts ask for many requesters on every page of HITs.
type cachedDoc struct {
	body []byte
	etag string
}

// cachedRequester returns the encoded document of r from the directory snapshot taken at refreshed.
func (a *App) cachedRequester(r *lookup.Requester, refreshed time.Time) (cachedDoc, error) {
	return a.docs.Load(refreshed, r.ID, func() (cachedDoc, error) {
		b, err := json.Marshal(a.site.RequesterDoc(r))
		if err != nil {
			return cachedDoc{}, err
		}
		return cachedDoc{body: b, etag: site.EtagOf(b)}, nil
	})
}
