package histories

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
)

// prolificFile opens a file of testdata/prolific.
func prolificFile(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "prolific", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func prolificHead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "prolific", name))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	return b
}

// readItems reads r to its end, failing the test on an error other than io.EOF.
func readItems(t testing.TB, r Reader) []*ingest.Item {
	t.Helper()
	var items []*ingest.Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items
		}
		if err != nil {
			t.Fatalf("Next after %d items: %v", len(items), err)
		}
		items = append(items, it)
	}
}

func testStudies(t testing.TB) []Study {
	t.Helper()
	studies, err := ReadStudies(prolificFile(t, "participant-studies.json"))
	if err != nil {
		t.Fatal(err)
	}
	return studies
}

func TestDetectProlific(t *testing.T) {
	for name, want := range map[string]Format{
		"submissions-history.csv":                ProlificCSV,
		"submissions-history-reordered.csv":      ProlificCSV,
		"submissions-history-noheader.csv":       "",
		"participant-studies.json":               ProlificStudy,
		"participant-studies-2020.json":          ProlificStudy,
		"participant-submissions.json":           ProlificSubs,
		"participant-submissions-truncated.json": ProlificSubs,
	} {
		if got := detectProlific(name, prolificHead(t, name)); got != want {
			t.Errorf("detectProlific(%s) = %q, want %q", name, got, want)
		}
	}
	for _, c := range []struct {
		name, head string
		want       Format
	}{
		// The head may end inside the first element: the keys seen so far decide.
		{"x.json", `{"results": [{"id": "a", "study_id": "b", "started_at": "2026-`, ProlificSubs},
		{"x.json", `{"_links": {}, "results": [{"study": {"id": "b"}, "started_at": null}]}`, ProlificSubs},
		{"x.json", `{"results": [{"id": "a", "reward": 100, "researcher": {"id": "r"}}]}`, ProlificStudy},
		// An empty list says nothing; the name or the links may.
		{"my-submissions.json", `{"results": []}`, ProlificSubs},
		{"page.json", `{"results": [], "_links": {"self": {"href": "https://x/api/v1/participant/studies/"}}}`, ProlificStudy},
		{"page.json", `{"results": []}`, ""},
		{"submissions.ndjson", `{"worker_id": "W", "study_id": "s"}` + "\n", ""}, // hitwage's own NDJSON
		// Other platforms' and other tools' files.
		{"status.json", `{"results": [{"hit_id": "H", "reward": {"amount_in_dollars": 1}, "requester_id": "A1"}]}`, ""},
		{"backup.json", `{"hits": [], "days": []}`, ""},
		{"hitdb.csv", "hitId\tdate\trequesterName\trequesterId\ttitle\tpay\tbonus\tstatus\tautoAppTime\tfeedback\n", ""},
		{"x.csv", "\xEF\xBB\xBFSTUDY,reward,Bonus,Started At,Completed At,Completion Code,Status,Extra\n", ProlificCSV},
		{"x.csv", "Study,Reward,Bonus,Started At,Completed At,Completion Code,Status\r\nA,£1,,,,,APPROVED\r\n", ProlificCSV},
		{"x.csv", "", ""},
		{"x.json", `[{"study_id": "b"}]`, ""},
	} {
		if got := detectProlific(c.name, []byte(c.head)); got != c.want {
			t.Errorf("detectProlific(%s, %.50q) = %q, want %q", c.name, c.head, got, c.want)
		}
	}
}

func TestOpenProlificUnknownFormat(t *testing.T) {
	if _, err := openProlific(HitDB, strings.NewReader(""), Options{}); err == nil {
		t.Error("openProlific(HitDB) did not fail")
	}
}

func TestMajor(t *testing.T) {
	for n, want := range map[int64]string{0: "0.00", 5: "0.05", 225: "2.25", 1000: "10.00", -50: "-0.50", 123456: "1234.56"} {
		if got := major(n); got != want {
			t.Errorf("major(%d) = %q, want %q", n, got, want)
		}
	}
}

// checkNow is the time Check judges the test records' times by: after all of them.
var checkNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// The readers' records pass ingest.Check, and the currencies Prolific does not pay in are
// refused there with a message that says so.
func TestProlificRecordsCheck(t *testing.T) {
	r, err := openProlific(ProlificCSV, prolificFile(t, "submissions-history.csv"), Options{Studies: testStudies(t)})
	if err != nil {
		t.Fatal(err)
	}
	items := readItems(t, r)
	if _, probs := ingest.Check(&items[0].Input, checkNow); len(probs) > 0 {
		t.Errorf("Check(first CSV row) = %v", probs)
	}
	eur := items[4].Input
	if eur.Currency != "EUR" {
		t.Fatalf("row 6 currency = %q", eur.Currency)
	}
	_, probs := ingest.Check(&eur, checkNow)
	if len(probs) == 0 || !strings.Contains(probs[0].Field+" "+probs[0].Message, "currency") {
		t.Errorf("Check(EUR row) = %v, want a currency problem", probs)
	}

	s, err := openProlific(ProlificSubs, prolificFile(t, "participant-submissions.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := readItems(t, s)[0].Input
	if _, probs := ingest.Check(&first, checkNow); len(probs) > 0 {
		t.Errorf("Check(first submission) = %v", probs)
	}
}

func TestReadStudiesErrors(t *testing.T) {
	for _, body := range []string{"", "[]", `{"count": 1}`, `{"results": {}}`, `{"results": [{"id": "a"}`, "not json"} {
		if _, err := ReadStudies(strings.NewReader(body)); err == nil || errors.Is(err, io.EOF) {
			t.Errorf("ReadStudies(%q) = %v, want an error", body, err)
		}
	}
}
