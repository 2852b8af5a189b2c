package ingest_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

var importNow = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

func importFile(t *testing.T, s *store.Store, name string, opts ingest.ImportOptions) ingest.FileReport {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.Name, opts.Now = name, importNow
	rep, err := ingest.Import(context.Background(), s, testHasher(t), f, opts)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func TestImportEveryFormat(t *testing.T) {
	s := storetest.New(t)
	// One worker's history in three formats: the same tasks.
	worker := ingest.ImportOptions{WorkerID: "A1HWTESTWORKER01"}
	rep := importFile(t, s, "records.ndjson", worker)
	if rep.Format != ingest.NDJSON || rep.Read != 4 || rep.Stored != 4 || rep.Duplicates != 0 || rep.Rejected != 0 {
		t.Fatalf("ndjson report %+v", rep)
	}
	// The same records as a JSON array and as CSV are duplicates, the one without an
	// assignment id included (same reporter, group and accept time).
	for _, name := range []string{"records.json", "records.csv"} {
		rep = importFile(t, s, name, worker)
		if rep.Read != 4 || rep.Stored != 0 || rep.Duplicates != 4 || rep.Rejected != 0 {
			t.Fatalf("%s report %+v", name, rep)
		}
	}
	if n := count(t, s, "", nil); n != 4 {
		t.Fatalf("%d records stored, want 4", n)
	}
	// The last import's report is the stored one; its source names the file.
	if n := count(t, s, "source = 'import:records.csv' AND requester_id = 'A2HWTESTREQ0002' AND duration_seconds = 80 AND status = 'rejected'", nil); n != 1 {
		t.Fatalf("records.csv's version of the rejected task not found")
	}
	m, err := ingest.ParseMapping("Requester=requester_name,HIT Title=title,Pay=reward,Time Taken=duration_seconds,Group=hit_set_id")
	if err != nil {
		t.Fatal(err)
	}
	rep = importFile(t, s, "history-tool.csv", ingest.ImportOptions{Mapping: m, WorkerID: "A1HWTESTWORKER01"})
	if rep.Format != ingest.CSV || rep.Read != 4 || rep.Stored != 4 || rep.Rejected != 0 || strings.Join(rep.Ignored, ",") != "Date" {
		t.Fatalf("mapped report %+v", rep)
	}
	if n := count(t, s, "source = 'import:history-tool.csv' AND duration_seconds = 390", nil); n != 3 {
		t.Fatalf("%d records of 390 s from history-tool.csv, want 3 (6:30, 390s, 6.5 min)", n)
	}
	var reporter string
	if err := s.QueryRow(context.Background(), "SELECT any(reporter) FROM task_records WHERE source = 'import:history-tool.csv'", nil, &reporter); err != nil {
		t.Fatal(err)
	}
	if reporter != testHasher(t).Reporter("worker", "A1HWTESTWORKER01") {
		t.Fatalf("reporter %q is not the worker's pseudonym", reporter)
	}
}

func TestImportBrokenLines(t *testing.T) {
	s := storetest.New(t)
	rep := importFile(t, s, "broken.ndjson", ingest.ImportOptions{})
	if rep.Read != 7 || rep.Stored != 3 || rep.Rejected != 4 {
		t.Fatalf("report %+v", rep)
	}
	var lines []int
	for _, p := range rep.Problems {
		lines = append(lines, p.Line)
	}
	// Line 4 has two problems (status and reward); each is listed with its line.
	if got := fmt.Sprint(lines); got != "[2 4 4 6 7]" {
		t.Fatalf("problem lines %s: %+v", got, rep.Problems)
	}
	rep = importFile(t, s, "broken.tsv", ingest.ImportOptions{BatchSize: 1})
	if rep.Read != 6 || rep.Stored != 2 || rep.Rejected != 4 || rep.Problems[0].Line != 3 || rep.Problems[2].Line != 5 {
		t.Fatalf("tsv report %+v", rep)
	}
	if n := count(t, s, "", nil); n != 5 {
		t.Fatalf("%d stored, want 5", n)
	}
}

func TestImportRecordsWithoutIDsOrTimes(t *testing.T) {
	s := storetest.New(t)
	m, err := ingest.ParseMapping("Pay=reward,Time Taken=duration_seconds")
	if err != nil {
		t.Fatal(err)
	}
	// Nothing but its line tells these tasks apart: they must not collapse into one,
	// and importing the file again must not double them.
	for i, want := range [][2]int{{4, 0}, {0, 4}} {
		rep := importFile(t, s, "history-tool.csv", ingest.ImportOptions{Mapping: m})
		if rep.Read != 4 || rep.Stored != want[0] || rep.Duplicates != want[1] {
			t.Fatalf("import %d: %+v", i+1, rep)
		}
	}
	if n := count(t, s, "", nil); n != 4 {
		t.Fatalf("%d records, want 4", n)
	}
}

func TestImportRepeatsAcrossBatches(t *testing.T) {
	b, err := os.ReadFile("testdata/records.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	// The same four tasks three times in one file; batches of one and three records put the
	// repeats in the same batch, the batch being inserted, and batches already stored.
	for _, size := range []int{1, 3, 100} {
		s := storetest.New(t)
		rep, err := ingest.Import(context.Background(), s, testHasher(t), strings.NewReader(strings.Repeat(string(b), 3)),
			ingest.ImportOptions{Name: "thrice.ndjson", BatchSize: size, Now: importNow})
		if err != nil || rep.Read != 12 || rep.Stored != 4 || rep.Duplicates != 8 {
			t.Fatalf("batch size %d: %+v %v", size, rep, err)
		}
		if n := count(t, s, "", nil); n != 4 {
			t.Fatalf("batch size %d: %d records, want 4", size, n)
		}
	}
}

// A file mixing platforms: each record's platform (or the import's default) decides its ids'
// shapes, its status names and its currencies; a Prolific record is stored under the
// researcher's platform-qualified key, with its currency.
func TestImportPlatformsAndCurrencies(t *testing.T) {
	s := storetest.New(t)
	rep := importFile(t, s, "platforms.ndjson", ingest.ImportOptions{})
	if rep.Read != 9 || rep.Stored != 5 || rep.Rejected != 4 {
		t.Fatalf("report %+v", rep)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d:%s", p.Line, p.Field))
	}
	if strings.Join(got, " ") != "6:currency 7:requester_id 8:platform 9:currency" {
		t.Fatalf("problems %s: %+v", got, rep.Problems)
	}
	type row struct {
		Key, Currency, Status, Reward, Bonus string
	}
	rows := func(where string) []row {
		t.Helper()
		rs, err := s.Query(context.Background(), "SELECT requester_id, currency, toString(status), toString(reward), toString(bonus) FROM task_records FINAL WHERE "+where+" ORDER BY record_key", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var out []row
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.Key, &r.Currency, &r.Status, &r.Reward, &r.Bonus); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	const key = "prolific:5f3c0a1b2c3d4e5f60718293"
	want := []row{{key, "GBP", "approved", "1.2", "0"}, {key, "USD", "pending", "1.6", "0.25"},
		{key, "GBP", "screened_out", "0.1", "0"}, {key, "GBP", "timed_out", "1.2", "0"}}
	if r := rows("source = 'import:platforms.ndjson' AND requester_id != 'A3HWTESTREQ0001'"); fmt.Sprint(r) != fmt.Sprint(want) {
		t.Fatalf("Prolific rows %+v, want %+v", r, want)
	}
	if r := rows("requester_id = 'A3HWTESTREQ0001'"); len(r) != 1 || r[0].Currency != "USD" || r[0].Status != "approved" {
		t.Fatalf("MTurk rows %+v", r)
	}

	// CSV with platform and currency columns; --platform fills the rows that name none.
	m, err := ingest.ParseMapping("Study=hit_set_id,Submission=assignment_id,Time Taken=duration_seconds")
	if err != nil {
		t.Fatal(err)
	}
	rep = importFile(t, s, "platforms.csv", ingest.ImportOptions{Mapping: m, Platform: "prolific"})
	if rep.Read != 4 || rep.Stored != 3 || rep.Rejected != 1 || rep.Problems[0].Line != 5 || rep.Problems[0].Field != "currency" {
		t.Fatalf("csv report %+v", rep)
	}
	want = []row{{key, "GBP", "approved", "2.67", "0"}, {key, "USD", "returned", "3.5", "0"}, {key, "GBP", "screened_out", "0.5", "0"}}
	if r := rows("source = 'import:platforms.csv'"); fmt.Sprint(r) != fmt.Sprint(want) {
		t.Fatalf("CSV rows %+v, want %+v", r, want)
	}

	// A bad default stops the file before a line is read, naming the file.
	for _, opts := range []ingest.ImportOptions{{Platform: "upwork"}, {Currency: "EUR"}, {Platform: "prolific", Currency: "gbp"}} {
		f, err := os.Open("testdata/platforms.csv")
		if err != nil {
			t.Fatal(err)
		}
		opts.Name, opts.Now = "platforms.csv", importNow
		_, err = ingest.Import(context.Background(), s, testHasher(t), f, opts)
		f.Close()
		if err == nil || !strings.Contains(err.Error(), "platforms.csv") {
			t.Fatalf("defaults %+v: err %v", opts, err)
		}
	}
}
