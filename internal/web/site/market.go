package site

import (
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// Market returns a platform's market-wide wage figures from the directory's snapshot.
func (s *Site) Market(p platform.ID) (wages.Figures, bool) {
	if s.Deps.Directory == nil {
		return wages.Figures{}, false
	}
	return s.Deps.Directory.Market(p)
}
