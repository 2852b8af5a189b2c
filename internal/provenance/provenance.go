// Package provenance says where a requester's figures come from: how many of its task records,
// and of their reporters, each kind of source gave (worker tools through the API, imported or
// uploaded history files by format, forum exports, demo data), with a label a reader understands.
package provenance

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store"
)

//go:embed sources.sql
var sourcesSQL string

// Source is one kind of source of a requester's records.
type Source struct {
	Kind      string // source_kind as stored: api, import:<format>, upload:<format>, forum, demo, import, other
	Records   uint64 // records the figures read (unflagged), timed and untimed
	Untimed   uint64 // of Records, those without a time on task: in approval and volume, never in a wage
	Reporters uint64 // distinct reporters of Records; one who used several sources counts in each
	Flagged   uint64 // records set aside as flagged: in no figure
}

// Timed is how many of the source's records have a time on task.
func (s Source) Timed() uint64 { return s.Records - min(s.Untimed, s.Records) }

// Label is the source's kind as a reader says it.
func (s Source) Label() string { return Label(s.Kind) }

// OfMany returns how the records of the requesters named split by source kind, in one read for all
// of them (internal/pagerows keeps them by the thousand): worker tools (API) first, then uploads,
// command-line imports, forum exports, demo data and the rest, each group by records. Requesters
// without records are absent from the map.
func OfMany(ctx context.Context, s *store.Store, requesterIDs []string) (map[string][]Source, error) {
	rows, err := s.Query(ctx, sourcesSQL, store.Args{"rids": requesterIDs})
	if err != nil {
		return nil, fmt.Errorf("provenance: sources: %w", err)
	}
	defer rows.Close()
	out := map[string][]Source{}
	for rows.Next() {
		var src Source
		var rid string
		if err := rows.Scan(&rid, &src.Kind, &src.Records, &src.Untimed, &src.Reporters, &src.Flagged); err != nil {
			return nil, fmt.Errorf("provenance: sources: %w", err)
		}
		out[rid] = append(out[rid], src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("provenance: sources: %w", err)
	}
	for _, srcs := range out {
		slices.SortStableFunc(srcs, func(a, b Source) int {
			if c := cmp.Compare(rank(a.Kind), rank(b.Kind)); c != 0 {
				return c
			}
			if c := cmp.Compare(b.Records, a.Records); c != 0 {
				return c
			}
			return cmp.Compare(a.Kind, b.Kind)
		})
	}
	return out, nil
}

// rank orders kinds as the requester page lists them.
func rank(kind string) int {
	switch {
	case kind == "api":
		return 0
	case strings.HasPrefix(kind, "upload:"):
		return 1
	case kind == "import" || strings.HasPrefix(kind, "import:"):
		return 2
	case kind == "forum":
		return 3
	case kind == "demo":
		return 4
	}
	return 5
}

// formats names each file format a history can be imported or uploaded in, as its workers know it.
var formats = map[string]string{
	string(histories.HitTracker):    "MTurk Suite backup",
	string(histories.HitDB):         "HIT Database Mk II backup",
	string(histories.HitDBCSV):      "HIT Database Mk II CSV export",
	string(histories.StatusDetails): "Saved MTurk status-details page",
	string(histories.Dashboard):     "Saved MTurk dashboard",
	string(histories.Queue):         "Saved MTurk queue page",
	string(histories.WorkerHTML):    "Saved MTurk worker-site page",
	string(histories.ProlificCSV):   "Prolific submission-history CSV",
	string(histories.ProlificSubs):  "Saved Prolific submissions",
	string(histories.ProlificStudy): "Saved Prolific studies",
	string(ingest.CSV):              "hitwage CSV",
	string(ingest.NDJSON):           "hitwage NDJSON",
	string(ingest.JSONArray):        "hitwage JSON",
}

// Label says source kind kind as a reader understands it: "MTurk Suite backup (upload)". A
// format it does not know is named as stored (escape it where it is shown: it is stored text).
func Label(kind string) string {
	switch kind {
	case "api":
		return "Worker tools and userscripts (API)"
	case "forum":
		return "Forum exports"
	case "demo":
		return "Generated demo data"
	case "import":
		return "Command-line imports (format not recorded)"
	case "other", "":
		return "Other sources"
	}
	if f, ok := strings.CutPrefix(kind, "upload:"); ok {
		return formatName(f) + " (upload)"
	}
	if f, ok := strings.CutPrefix(kind, "import:"); ok {
		return formatName(f) + " (command-line import)"
	}
	return kind
}

// formatName is format f as its workers know it.
func formatName(f string) string {
	if name, ok := formats[f]; ok {
		return name
	}
	return "A " + f + " file"
}
