// Package docs embeds the documents the site serves as pages (the methodology).
package docs

import _ "embed"

// Methodology is docs/methodology.md, shown at /methodology.
//
//go:embed methodology.md
var Methodology []byte
