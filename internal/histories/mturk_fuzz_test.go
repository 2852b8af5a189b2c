package histories

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/ingest"
)

// mturkFuzz reads data as format f to the end and checks every item: an error, or fields of
// valid UTF-8 with no time on task. Next must end (io.EOF or an error) and never panic.
func mturkFuzz(t *testing.T, f Format, data []byte, opts Options) {
	if got := detectMTurk("x", data); got != "" && got != HitTracker && got != HitDB && got != HitDBCSV &&
		got != StatusDetails && got != Dashboard && got != Queue && got != WorkerHTML {
		t.Fatalf("detected %q", got)
	}
	r, err := openMTurk(f, bytes.NewReader(data), opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if i > len(data)+10 {
			t.Fatal("Next does not end")
		}
		it, err := r.Next()
		if err != nil {
			if err != io.EOF && err.Error() == "" {
				t.Fatal("an error without a message")
			}
			break
		}
		if it == nil {
			t.Fatal("nil item without an error")
		}
		if it.Err != nil {
			continue
		}
		for _, name := range ingest.Fields {
			if v := *it.Input.Field(name); !utf8.ValidString(string(v)) {
				t.Fatalf("line %d: %s %q is not UTF-8", it.Line, name, v)
			}
		}
		if it.Input.DurationSeconds != "" || (it.Input.AcceptedAt != "" && it.Input.FinishedAt != "") {
			t.Fatalf("line %d: a time on task from an untimed file: %+v", it.Line, it.Input)
		}
	}
	r.Days()
	r.Accepts()
	r.Skipped()
}

func mturkSeeds(f *testing.F, names ...string) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "mturk", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzMTurkSuite(f *testing.F) {
	mturkSeeds(f, "HIT_Tracker_Backup_20251202.json", "HIT_Tracker_Backup_keyed.json")
	f.Add([]byte(`{"hits": {"3A": {"reward": "\xff\xfe", "title": "\u00e9\ud800"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		mturkFuzz(t, HitTracker, data, Options{Queue: []Accept{{HitID: "3A", AcceptedAt: "2025-01-01T00:00:00Z"}}})
	})
}

func FuzzMTurkHitDB(f *testing.F) {
	mturkSeeds(f, "hitdb_20170615.bak")
	f.Fuzz(func(t *testing.T, data []byte) { mturkFuzz(t, HitDB, data, Options{}) })
}

func FuzzMTurkHitDBCSV(f *testing.F) {
	mturkSeeds(f, "hitdb_queryResults.csv")
	f.Add([]byte("hitId\tdate\ttitle\n\"3A\t2017-01-01\t\xff\"x\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) { mturkFuzz(t, HitDBCSV, data, Options{}) })
}

func FuzzMTurkSite(f *testing.F) {
	mturkSeeds(f, "status_details-2025-11-14-page2.json", "dashboard.json", "tasks.json")
	f.Add([]byte(`{"":{""`)) // an empty key once passed for the dashboard's (absent) stream key
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range []Format{StatusDetails, Dashboard, Queue} {
			mturkFuzz(t, format, data, Options{Name: "status_details-2025-11-14.json"})
		}
	})
}

func FuzzMTurkHTML(f *testing.F) {
	mturkSeeds(f, "status_details_2025-11-14.html")
	f.Add([]byte(`<div data-react-props='{"bodyData":[{"hit_id":"\u0000","state":"Paid","reward":{"amount_in_dollars":[]}}]}'>`))
	f.Fuzz(func(t *testing.T, data []byte) { mturkFuzz(t, WorkerHTML, data, Options{Date: "2025-11-14"}) })
}
