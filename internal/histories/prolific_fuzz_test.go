package histories

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hitwage/hitwage/internal/ingest"
)

// The fuzz tests feed any bytes to each Prolific reader: it must not panic, must end, and every
// field it returns must be valid UTF-8 with amounts as plain decimal text.

var decimalAmount = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func addProlificSeeds(f *testing.F, names ...string) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "prolific", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func fuzzProlific(t *testing.T, format Format, data []byte) {
	_ = detectProlific("fuzz", data)
	opts := Options{Studies: []Study{
		{ID: "6b1d00000000000000000c01", Name: "Habit tracking survey", ResearcherID: habitsLab},
		{ID: "6b1d00000000000000000c02", Name: "Quick poll", ResearcherID: habitsLab},
		{ID: "6b1d00000000000000000c03", Name: "Quick poll", ResearcherID: homeStudies},
	}}
	r, err := openProlific(format, strings.NewReader(string(data)), opts)
	if err != nil {
		if r != nil {
			t.Fatal("a reader and an error")
		}
		return
	}
	for i := 0; ; i++ {
		if i > len(data)+1 {
			t.Fatalf("more items (%d) than bytes", i)
		}
		it, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Errorf("error %q is not UTF-8", err)
			}
			break
		}
		if it.Line < 1 {
			t.Errorf("item at line %d", it.Line)
		}
		if it.Err != nil && !utf8.ValidString(it.Err.Error()) {
			t.Errorf("item error %q is not UTF-8", it.Err)
		}
		for _, name := range ingest.Fields {
			if v := string(*it.Input.Field(name)); !utf8.ValidString(v) {
				t.Errorf("%s %q is not UTF-8", name, v)
			}
		}
		if it.Err == nil {
			for _, v := range []ingest.Text{it.Input.Reward, it.Input.Bonus} {
				if v != "" && !decimalAmount.MatchString(string(v)) {
					t.Errorf("amount %q is not decimal text", v)
				}
			}
			if (it.Input.RequesterID == "") != it.Input.Unattributed {
				t.Errorf("researcher %q with Unattributed %v", it.Input.RequesterID, it.Input.Unattributed)
			}
		}
	}
	_, why := r.Skipped()
	for _, s := range why {
		if !utf8.ValidString(s) {
			t.Errorf("skip reason %q is not UTF-8", s)
		}
	}
	for _, s := range r.Studies() {
		for _, v := range []string{s.ID, s.Name, s.ResearcherID, s.ResearcherName, s.Currency, s.Reward, s.HourlyRate, s.PublishedAt} {
			if !utf8.ValidString(v) {
				t.Errorf("study field %q is not UTF-8", v)
			}
		}
	}
}

func FuzzProlificCSV(f *testing.F) {
	addProlificSeeds(f, "submissions-history.csv", "submissions-history-reordered.csv")
	f.Add([]byte("Study,Reward,Bonus,Started At,Completed At,Completion Code,Status\n\"a\xff\",\xa3\xff1,,,,,APPROVED\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzProlific(t, ProlificCSV, data) })
}

func FuzzProlificSubmissions(f *testing.F) {
	addProlificSeeds(f, "participant-submissions.json", "participant-submissions-truncated.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzProlific(t, ProlificSubs, data) })
}

func FuzzProlificStudies(f *testing.F) {
	addProlificSeeds(f, "participant-studies.json", "participant-studies-2020.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzProlific(t, ProlificStudy, data) })
}
