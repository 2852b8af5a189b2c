package histories

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
)

// mturkRead opens a testdata/mturk file as format f and reads it to the end: the items, the
// reader (for Days, Accepts, Skipped) and the error that ended the stream (nil for io.EOF).
func mturkRead(t *testing.T, f Format, name string, opts Options) ([]*ingest.Item, Reader, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mturk", name))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Name == "" {
		opts.Name = name
	}
	return mturkReadBytes(t, f, b, opts)
}

func mturkReadBytes(t testing.TB, f Format, b []byte, opts Options) ([]*ingest.Item, Reader, error) {
	t.Helper()
	r, err := openMTurk(f, bytes.NewReader(b), opts)
	if err != nil {
		t.Fatal(err)
	}
	var items []*ingest.Item
	for i := 0; i < len(b)+10; i++ {
		it, err := r.Next()
		if err == io.EOF {
			return items, r, nil
		}
		if err != nil {
			return items, r, err
		}
		items = append(items, it)
	}
	t.Fatalf("%s: Next did not end", f)
	return nil, nil, nil
}

// mturkUntimed checks what every MTurk record must be: the platform's, the worker's id left to
// the importer, no time on task, and nothing of the worker's answers.
func mturkUntimed(t *testing.T, it *ingest.Item) {
	t.Helper()
	in := it.Input
	if in.Platform != "mturk" || in.WorkerID != "" || in.DurationSeconds != "" {
		t.Errorf("line %d: platform %q worker %q duration %q", it.Line, in.Platform, in.WorkerID, in.DurationSeconds)
	}
	if in.AcceptedAt != "" && in.FinishedAt != "" {
		t.Errorf("line %d: both accepted_at %q and finished_at %q", it.Line, in.AcceptedAt, in.FinishedAt)
	}
	b, _ := json.Marshal(in)
	for _, never := range []string{"SECRET-ANSWER-TEXT", "survey.invalid", "Did not finish", "Thanks!", "Great work", "259200"} {
		if strings.Contains(string(b), never) {
			t.Errorf("line %d: the record holds %q: %s", it.Line, never, b)
		}
	}
}

func TestDetectMTurk(t *testing.T) {
	for name, want := range map[string]Format{
		"HIT_Tracker_Backup_20251202.json":     HitTracker,
		"HIT_Tracker_Backup_keyed.json":        HitTracker,
		"hitdb_20170615.bak":                   HitDB,
		"hitdb_queryResults.csv":               HitDBCSV,
		"status_details-2025-11-14-page2.json": StatusDetails,
		"dashboard.json":                       Dashboard,
		"tasks.json":                           Queue,
		"status_details_2025-11-14.html":       WorkerHTML,
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "mturk", name))
		if err != nil {
			t.Fatal(err)
		}
		if got := detectMTurk("renamed.txt", b); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
		bom := append([]byte("\xEF\xBB\xBF \r\n\t"), b...)
		if got := detectMTurk(name, bom); got != want {
			t.Errorf("%s after a BOM and white space: %q, want %q", name, got, want)
		}
	}
	big := mturkBackup(5000)
	if got := detectMTurk("x", big[:64<<10]); got != HitTracker {
		t.Errorf("first 64 KiB of a big backup: %q", got)
	}
	for _, s := range []string{
		``, `   `, `[1,2]`, `{"results": [{"id": "5f0c", "study": {"id": "abc"}, "status": "APPROVED"}]}`,
		`{"something": 1}`, "Study,Reward\n", "<html><body>no props</body></html>", `{"hits": [{"_index": "a"}]}`,
		"hitId,date\n",
	} {
		if got := detectMTurk("x", []byte(s)); got != "" {
			t.Errorf("%q detected as %q", s, got)
		}
	}
	for s, want := range map[string]Format{
		`{"results": [], "page_number": 1, "num_results": 0, "total_num_results": 0}`: StatusDetails,
		`{"tasks": []}`:               Queue,
		`{"NOTES": []}`:               HitDB,
		`{"days": []}`:                HitTracker,
		"\"hitId\"\t\"date\"\tx\n":    HitDBCSV,
		`{"hits": {"3ABC": {"hit_id"`: HitTracker,
		`{"hits": [], "days": [`:      HitTracker,
	} {
		if got := detectMTurk("x", []byte(s)); got != want {
			t.Errorf("%q detected as %q, want %q", s, got, want)
		}
	}
}

func TestOpenMTurkOtherFormat(t *testing.T) {
	for _, f := range []Format{ProlificCSV, ProlificSubs, "ndjson", ""} {
		if _, err := openMTurk(f, strings.NewReader("{}"), Options{}); err == nil {
			t.Errorf("%q: no error", f)
		}
	}
}

// The readers' records go through ingest.Check: the statuses are the platform's, the amounts
// exact, and what is wrong in a record is reported by field. (Check also wants a time on task,
// which these files never have: the importer stores them as untimed.)
func TestMTurkRecordsCheck(t *testing.T) {
	items, _, err := mturkRead(t, HitDB, "hitdb_20170615.bak", Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := []string{"approved", "approved", "pending", "rejected"}
	for i, it := range items {
		rec, probs := ingest.Check(&it.Input, mturkNow)
		for _, p := range probs {
			if p.Field != "duration_seconds" {
				t.Errorf("line %d: %s %s", it.Line, p.Field, p.Message)
			}
		}
		if string(rec.Status) != wantStatus[i] {
			t.Errorf("line %d: status %q, want %q", it.Line, rec.Status, wantStatus[i])
		}
	}
	items, _, _ = mturkRead(t, HitTracker, "HIT_Tracker_Backup_20251202.json", Options{})
	fields := map[string]bool{}
	for _, it := range items {
		if it.Err != nil {
			continue
		}
		_, probs := ingest.Check(&it.Input, mturkNow)
		for _, p := range probs {
			fields[p.Field] = true
		}
	}
	if !fields["reward"] || !fields["currency"] {
		t.Errorf("the reward \"abc\" and the currency EUR are not reported: %v", fields)
	}
}
