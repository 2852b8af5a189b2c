package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// workers are raw worker IDs: none may appear in an export, nor their stored pseudonyms.
var workers = []string{"A1RAWWORKER0001", "A1RAWWORKER0002", "A1RAWWORKER0003", "A1RAWWORKER0004", "A1RAWWORKER0005",
	"A1RAWWORKER0006", "A1RAWWORKER0007", "A1RAWWORKER0008", "A1RAWWORKER0009"}

// crafted inserts: requester RBIGLAB with six reporters (group GSIX done by all six, group GTWO by two);
// requester RTHREECO with three reporters, which every export must suppress. Times carry minutes,
// seconds and milliseconds, so an exact timestamp would show.
func crafted(t *testing.T) (*store.Store, []string) {
	t.Helper()
	s := storetest.New(t)
	return s, craftedOn(t, s)
}

// craftedOn inserts crafted's records into s and returns the reporters' pseudonyms.
func craftedOn(t *testing.T, s *store.Store) []string {
	t.Helper()
	ctx := context.Background()
	h, err := records.NewHasher([]byte("export-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	var pseudonyms []string
	add := func(rid, name, group string, w string, i int, start time.Time) {
		acc := start.Add(time.Duration(i)*37*time.Minute + 17*time.Second + 456*time.Millisecond)
		fin := acc.Add(173 * time.Second)
		dec := fin.Add(3*time.Hour + 11*time.Minute)
		recs = append(recs, records.Record{RequesterID: rid, Reporter: h.Reporter("worker", w), HitSetID: group,
			HitID: "HIT" + w + fmt.Sprint(i), AssignmentID: fmt.Sprintf("ASSIGN%s%s%d", group, w, i), RequesterName: name,
			Title: "Title of " + group, Reward: decimal.RequireFromString("0.75"), AcceptedAt: &acc, FinishedAt: &fin,
			DurationSeconds: 173, Status: records.Approved, DecidedAt: &dec, AllottedSeconds: 900,
			Source: "https://forum.example/post/" + w, ReceivedAt: fin.Add(41 * time.Second)})
	}
	start := time.Date(2026, 11, 17, 9, 13, 0, 0, time.UTC)
	for i, w := range workers[:6] {
		for j := range 4 {
			add("RBIGLAB", "Big Lab", "GSIX", w, j, start.Add(time.Duration(i)*time.Hour))
		}
		if i < 2 {
			add("RBIGLAB", "Big Lab", "GTWO", w, 9, start)
		}
	}
	for i, w := range workers[6:] {
		for j := range 5 {
			add("RTHREECO", "Three Co", "GTHREE", w, j, start.Add(time.Duration(i)*time.Hour))
		}
	}
	for _, w := range workers {
		pseudonyms = append(pseudonyms, h.Reporter("worker", w))
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	if err := wages.New(s, wages.Config{}).Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	return pseudonyms
}

func run(t *testing.T, e *export.Exporter, o export.Options) []byte {
	t.Helper()
	ctx := context.Background()
	if _, err := e.About(ctx, &o); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := e.Write(ctx, o, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exactTime matches a time of day that is not on the hour.
var exactTime = regexp.MustCompile(`[0-9]{2}:([0-9]{2}:[0-9]{2})`)

func checkPrivate(t *testing.T, what string, body []byte, pseudonyms []string) {
	t.Helper()
	for _, s := range append(append([]string{"RTHREECO", "Three Co", "GTHREE", "GTWO", "ASSIGN", "HITA1", "forum.example"}, workers...), pseudonyms...) {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("%s contains %q", what, s)
		}
	}
	for _, m := range exactTime.FindAllSubmatch(body, -1) {
		if string(m[1]) != "00:00" {
			t.Errorf("%s contains an exact time %s", what, m[0])
			break
		}
	}
}

func TestRecordsPrivacy(t *testing.T) {
	s, pseudonyms := crafted(t)
	e := &export.Exporter{Store: s, Revision: "test", BaseURL: "https://hitwage.example"}
	for _, format := range []string{"csv", "ndjson"} {
		body := run(t, e, export.Options{Dataset: "records", Format: format})
		checkPrivate(t, "records."+format, body, pseudonyms)
		var rows []map[string]any
		if format == "csv" {
			all, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range all[1:] {
				m := map[string]any{}
				for i, h := range all[0] {
					m[h] = r[i]
				}
				rows = append(rows, m)
			}
		} else {
			for _, line := range bytes.Split(bytes.TrimSpace(body), []byte("\n")) {
				var m map[string]any
				if err := json.Unmarshal(line, &m); err != nil {
					t.Fatalf("records.ndjson line %q: %v", line, err)
				}
				rows = append(rows, m)
			}
		}
		// RBIGLAB's 24 in GSIX; its 2 in GTWO (2 reporters) and RTHREECO's 15 (3) are left out: fewer
		// than k reporters at every time unit of their week.
		if len(rows) != 24 {
			t.Errorf("records.%s: %d rows, want 24", format, len(rows))
		}
		reporters := map[any]bool{}
		for _, r := range rows {
			reporters[r["reporter"]] = true
			if r["hit_set_id"] != "GSIX" && r["hit_set_id"] != "" {
				t.Errorf("records.%s: hit_set_id %v", format, r["hit_set_id"])
			}
			if fmt.Sprint(r["finished_hour"]) == "" || !strings.HasSuffix(fmt.Sprint(r["finished_hour"]), ":00:00") {
				t.Errorf("records.%s: finished_hour %v not on the hour", format, r["finished_hour"])
			}
		}
		if len(reporters) != 6 {
			t.Errorf("records.%s: %d distinct reporter pseudonyms, want 6", format, len(reporters))
		}
	}
	// Pseudonyms differ between two exports.
	a := run(t, e, export.Options{Dataset: "records", Format: "csv"})
	b := run(t, e, export.Options{Dataset: "records", Format: "csv"})
	first := func(body []byte) string { return strings.SplitN(strings.Split(string(body), "\n")[1], ",", 2)[0] }
	if first(a) == first(b) {
		t.Errorf("two exports share the pseudonym %s", first(a))
	}
}

func TestAggregatesPrivacy(t *testing.T) {
	s, pseudonyms := crafted(t)
	e := &export.Exporter{Store: s, Revision: "test"}
	for _, format := range []string{"csv", "ndjson"} {
		body := run(t, e, export.Options{Dataset: "requesters", Format: format})
		checkPrivate(t, "requesters."+format, body, pseudonyms)
		if !bytes.Contains(body, []byte("RBIGLAB")) {
			t.Errorf("requesters.%s lacks the 6-reporter requester:\n%s", format, body)
		}
		body = run(t, e, export.Options{Dataset: "weeks", Format: format})
		checkPrivate(t, "weeks."+format, body, pseudonyms)
		if !bytes.Contains(body, []byte("2026-11-16")) {
			t.Errorf("weeks.%s lacks the week:\n%s", format, body)
		}
	}
}

// parquetBack reads a Parquet file back with ClickHouse: its schema and its rows as CSV.
func parquetBack(t *testing.T, s *store.Store, body []byte) (schema [][2]string, rows string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Query(context.Background(), "DESCRIBE TABLE file({p:String}, 'Parquet')", store.Args{"p": path})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		var name, typ, a, b, c, d, e string
		if err := rs.Scan(&name, &typ, &a, &b, &c, &d, &e); err != nil {
			t.Fatal(err)
		}
		schema = append(schema, [2]string{name, typ})
	}
	var out bytes.Buffer
	if err := s.Export(context.Background(), "SELECT * FROM file({p:String}, 'Parquet')", store.Args{"p": path}, "CSV", &out); err != nil {
		t.Fatal(err)
	}
	return schema, out.String()
}

func TestParquet(t *testing.T) {
	s, pseudonyms := crafted(t)
	e := &export.Exporter{Store: s, Revision: "test"}
	for _, d := range export.Datasets {
		body := run(t, e, export.Options{Dataset: d.Name, Format: "parquet"})
		if !bytes.HasPrefix(body, []byte("PAR1")) {
			t.Fatalf("%s.parquet does not start with PAR1", d.Name)
		}
		schema, rows := parquetBack(t, s, body)
		if len(schema) != len(d.Columns) {
			t.Fatalf("%s.parquet: %d columns %v, dictionary has %d", d.Name, len(schema), schema, len(d.Columns))
		}
		for i, c := range d.Columns {
			if schema[i][0] != c.Name {
				t.Errorf("%s.parquet column %d is %s, dictionary says %s", d.Name, i, schema[i][0], c.Name)
			}
		}
		checkPrivate(t, d.Name+".parquet rows", []byte(rows), pseudonyms)
		if d.Name == "records" && strings.Count(rows, "\n") != 24 {
			t.Errorf("records.parquet: %d rows, want 24", strings.Count(rows, "\n"))
		}
		t.Logf("%s.parquet schema %v", d.Name, schema)
	}
}

// TestCSVFormulaGuard: a requester name or title that a spreadsheet would run as a formula is
// exported as text in CSV (leading apostrophe) and unchanged in NDJSON.
func TestCSVFormulaGuard(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("export-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	name, title := `=HYPERLINK("http://evil.example","Pay")`, "@SUM(A1:A9)"
	var recs []records.Record
	for i, w := range workers[:6] {
		acc := time.Date(2026, 11, 17, 9+i, 0, 0, 0, time.UTC)
		fin := acc.Add(3 * time.Minute)
		recs = append(recs, records.Record{RequesterID: "RFORMULA", Reporter: h.Reporter("worker", w), HitSetID: "GFORMULA",
			AssignmentID: "ASSIGNF" + w, RequesterName: name, Title: title, Reward: decimal.RequireFromString("0.50"),
			AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 180, Status: records.Approved, AllottedSeconds: 900,
			Source: "test", ReceivedAt: fin})
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	if err := wages.New(s, wages.Config{}).Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	e := &export.Exporter{Store: s, Revision: "test", BaseURL: "https://hitwage.example"}
	for _, dataset := range []string{"records", "requesters"} {
		all, err := csv.NewReader(bytes.NewReader(run(t, e, export.Options{Dataset: dataset, Format: "csv"}))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 2 {
			t.Fatalf("%s.csv: %d lines", dataset, len(all))
		}
		checked := 0
		for i, col := range all[0] {
			want := map[string]string{"requester_name": "'" + name, "title": "'" + title}[col]
			if want == "" {
				continue
			}
			checked++
			if all[1][i] != want {
				t.Errorf("%s.csv %s = %q, want %q", dataset, col, all[1][i], want)
			}
		}
		if checked == 0 {
			t.Errorf("%s.csv has no requester_name or title column", dataset)
		}
	}
	var row map[string]any
	body := run(t, e, export.Options{Dataset: "records", Format: "ndjson"})
	if err := json.Unmarshal(bytes.SplitN(body, []byte("\n"), 2)[0], &row); err != nil {
		t.Fatal(err)
	}
	if row["requester_name"] != name || row["title"] != title {
		t.Errorf("records.ndjson changed the text: %v / %v", row["requester_name"], row["title"])
	}
}
