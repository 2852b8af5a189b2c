package reports

import (
	"path/filepath"
	"runtime/debug"

	"github.com/hitwage/hitwage/internal/ratings"
)

// DefaultDir is where reports are written: DATA/reports on the embedded store, ./reports-out
// in server mode (no local data directory), unless a flag names a folder.
func DefaultDir(dataDir string, server bool) string {
	if server {
		return "reports-out"
	}
	return filepath.Join(dataDir, "reports")
}

// GradesOf reads grades from the site's ratings snapshot ("" without enough data).
func GradesOf(rt *ratings.Ratings) func(requesterID string) string {
	return func(id string) string {
		if r, ok := rt.Get(id); ok && r.EnoughData {
			return r.Grade
		}
		return ""
	}
}

// Revision is the git revision to stamp: version when the build set one (-X main.version=...), else
// the revision Go recorded in the binary ("-dirty" when the tree had changes), else version ("dev") or
// "unknown".
func Revision(version string) string {
	fallback := version
	if fallback == "" {
		fallback = "unknown"
	}
	if version != "" && version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fallback
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return fallback
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
