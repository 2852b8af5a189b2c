package histories

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hitwage/hitwage/internal/ingest"
)

// SniffBytes is how much of a file Detect reads: enough for the first record of every format (a
// backup's first hit, a page's first props) and the header of every CSV.
const SniffBytes = 64 << 10

// Formats lists every format `collector import --format` takes: the saved histories', then
// hitwage's own (ingest's).
func Formats() []Format {
	return []Format{HitTracker, HitDB, HitDBCSV, StatusDetails, Dashboard, Queue, WorkerHTML,
		ProlificCSV, ProlificSubs, ProlificStudy, ingest.CSV, ingest.NDJSON, ingest.JSONArray}
}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, strings.Join(names, ", "))
}

// Detect names the saved-history format of a file from its name and first bytes, or "" when it
// is none of them (then it is hitwage's own CSV, NDJSON or JSON, which ingest.Open tells apart).
func Detect(name string, head []byte) Format {
	if f := detectMTurk(name, head); f != "" {
		return f
	}
	return detectProlific(name, head)
}

// Opened is the history reader an Opener opened, for what its file held beside task records
// (Days, Studies, Skipped) once the import has read it. Reader is nil for hitwage's own formats.
type Opened struct {
	Reader Reader
}

// Opener returns an ingest.ImportOptions.Open that reads a file in the format forced (force, a
// ParseFormat value) or else detected, and records the reader it opened in got. Hitwage's own
// formats are read by ingest.Open with ro.
func Opener(force Format, opts Options, ro ingest.ReadOptions, got *Opened) func(io.Reader) (ingest.Reader, error) {
	return func(r io.Reader) (ingest.Reader, error) {
		br := bufio.NewReaderSize(r, SniffBytes)
		f := force
		if f == "" {
			head, _ := br.Peek(SniffBytes) // a short file: what there is
			f = Detect(opts.Name, head)
		}
		var (
			rd  Reader
			err error
		)
		switch f {
		case "", ingest.CSV, ingest.NDJSON, ingest.JSONArray:
			got.Reader = nil
			return ingest.Open(br, ro)
		case ProlificCSV, ProlificSubs, ProlificStudy:
			rd, err = openProlific(f, br, opts)
		default:
			rd, err = openMTurk(f, br, opts)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		got.Reader = rd
		return rd, nil
	}
}
