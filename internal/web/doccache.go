package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/hitwage/hitwage/internal/lookup"
)

// cachedDoc is a requester's API document, encoded once per directory snapshot (a.docs) so a
// lookup is a map read and a write: userscripts ask for many requesters on every page of HITs.
type cachedDoc struct {
	body []byte
	etag string
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:10]) + `"`
}

// cachedRequester returns the encoded document of r from the directory snapshot taken at refreshed.
func (a *App) cachedRequester(r *lookup.Requester, refreshed time.Time) (cachedDoc, error) {
	return a.docs.load(refreshed, r.ID, func() (cachedDoc, error) {
		b, err := json.Marshal(a.requesterDoc(r))
		if err != nil {
			return cachedDoc{}, err
		}
		return cachedDoc{body: b, etag: etagOf(b)}, nil
	})
}
