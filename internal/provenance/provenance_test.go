package provenance

import (
	"testing"

	"github.com/hitwage/hitwage/internal/histories"
)

func TestLabel(t *testing.T) {
	for kind, want := range map[string]string{
		"api":                   "Worker tools and userscripts (API)",
		"upload:mturk-suite":    "MTurk Suite backup (upload)",
		"import:mturk-suite":    "MTurk Suite backup (command-line import)",
		"import:hitdb-csv":      "HIT Database Mk II CSV export (command-line import)",
		"upload:prolific-csv":   "Prolific submission-history CSV (upload)",
		"import:status-details": "Saved MTurk status-details page (command-line import)",
		"import:csv":            "hitwage CSV (command-line import)",
		"forum":                 "Forum exports",
		"demo":                  "Generated demo data",
		"import":                "Command-line imports (format not recorded)",
		"other":                 "Other sources",
		"upload:new-thing":      "A new-thing file (upload)",
		"<b>odd</b>":            "<b>odd</b>",
	} {
		if got := Label(kind); got != want {
			t.Errorf("Label(%q) = %q, want %q", kind, got, want)
		}
	}
}

// Every history format the importer reads has a name of its own.
func TestEveryFormatNamed(t *testing.T) {
	for _, f := range histories.Formats() {
		if _, ok := formats[string(f)]; !ok {
			t.Errorf("format %q has no name", f)
		}
	}
}
