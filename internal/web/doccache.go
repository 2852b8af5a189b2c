package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	"github.com/hitwage/hitwage/internal/lookup"
)

// docCache keeps each requester's API document encoded, so a lookup is a map read and a
// write: userscripts ask for many requesters on every page of HITs. Entries die with the
// directory snapshot they were made from.
type docCache struct {
	mu   sync.RWMutex
	at   time.Time // directory refresh the entries belong to
	docs map[string]cachedDoc
}

type cachedDoc struct {
	body []byte
	etag string
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:10]) + `"`
}

// get returns the encoded document of r from the directory snapshot taken at refreshed.
func (a *App) cachedRequester(r *lookup.Requester, refreshed time.Time) (cachedDoc, error) {
	dc := &a.docs
	dc.mu.RLock()
	if dc.at.Equal(refreshed) {
		if d, ok := dc.docs[r.ID]; ok {
			dc.mu.RUnlock()
			return d, nil
		}
	}
	dc.mu.RUnlock()
	b, err := json.Marshal(a.requesterDoc(r))
	if err != nil {
		return cachedDoc{}, err
	}
	d := cachedDoc{body: b, etag: etagOf(b)}
	dc.mu.Lock()
	if !dc.at.Equal(refreshed) {
		dc.at, dc.docs = refreshed, map[string]cachedDoc{}
	}
	dc.docs[r.ID] = d
	dc.mu.Unlock()
	return d, nil
}
