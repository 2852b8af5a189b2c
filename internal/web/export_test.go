package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web"
)

// exportSite serves a store where requester RSIXLAB has six reporters and RTHREECO three, and the
// Prolific researcher exportResearcher six (paid in pounds); times carry minutes and seconds. It
// returns the base URL, the store and the strings no export may contain.
func exportSite(t *testing.T) (string, *store.Store, []string) {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-export-test-key-01234"))
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"RTHREECO", "Three Co", "ASSIGN", "forum.example"}
	var recs []records.Record
	start := time.Date(2026, 11, 17, 9, 13, 27, 0, time.UTC)
	for i := range 9 {
		worker := fmt.Sprintf("A2WEBWORKER%03d", i)
		rid, name := "RSIXLAB", "Six Lab"
		if i >= 6 {
			rid, name = "RTHREECO", "Three Co"
		}
		forbidden = append(forbidden, worker, h.Reporter("worker", worker))
		for j := range 3 {
			acc := start.Add(time.Duration(i*3+j) * 47 * time.Minute)
			fin := acc.Add(211 * time.Second)
			recs = append(recs, records.Record{RequesterID: rid, Reporter: h.Reporter("worker", worker), HitSetID: "G" + rid,
				AssignmentID: fmt.Sprintf("ASSIGN%d%d", i, j), RequesterName: name, Title: "A task", Reward: decimal.RequireFromString("0.60"),
				AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 211, Status: records.Approved, AllottedSeconds: 600,
				Source: "https://forum.example/p/" + worker, ReceivedAt: fin.Add(13 * time.Second)})
			if i < 6 {
				recs = append(recs, records.Record{RequesterID: platform.Key(platform.Prolific, exportResearcher),
					Reporter: h.Reporter("worker", worker), HitSetID: exportStudy, AssignmentID: fmt.Sprintf("SUBMIT%d%d", i, j),
					RequesterName: "Decision Lab", Title: "A study", Reward: decimal.RequireFromString("1.20"), Currency: "GBP",
					AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 211, Status: records.Approved, AllottedSeconds: 600,
					Source: "https://forum.example/p/" + worker, ReceivedAt: fin.Add(13 * time.Second)})
			}
		}
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	w := wages.New(s, wages.Config{})
	if err := w.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	return serveDeps(t, web.Deps{Store: s, Wages: w}), s, forbidden
}

// A Prolific researcher and study of exportSite.
const (
	exportResearcher = "5f0a1b2c3d4e5f6071829300"
	exportStudy      = "65aa00bb11cc22dd33ee4400"
)

var notOnTheHour = regexp.MustCompile(`[0-9]{2}:([0-9]{2}:[0-9]{2})`)

func TestExportRoutes(t *testing.T) {
	base, s, forbidden := exportSite(t)
	for _, ds := range []string{"records", "workers", "requesters", "weeks"} {
		for _, f := range []string{"csv", "ndjson", "parquet"} {
			path := "/api/v1/export/" + ds + "." + f + "?from=2026-11-01&to=2026-12-01"
			res, body := fetch(t, base+path)
			if res.StatusCode != 200 {
				t.Fatalf("%s: status %d: %s", path, res.StatusCode, body)
			}
			if !strings.Contains(res.Header.Get("X-Hitwage-Stamp"), "schema version") || !strings.Contains(res.Header.Get("X-Hitwage-Citation"), "hitwage") {
				t.Errorf("%s: stamp %q, citation %q", path, res.Header.Get("X-Hitwage-Stamp"), res.Header.Get("X-Hitwage-Citation"))
			}
			text := body
			if f == "parquet" {
				if !strings.HasPrefix(body, "PAR1") {
					t.Fatalf("%s is not Parquet", path)
				}
				p := filepath.Join(t.TempDir(), "x.parquet")
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				if err := s.Export(context.Background(), "SELECT * FROM file({p:String}, 'Parquet')", store.Args{"p": p}, "CSVWithNames", &out); err != nil {
					t.Fatal(err)
				}
				text = out.String()
			}
			for _, bad := range forbidden {
				if strings.Contains(text, bad) {
					t.Errorf("%s contains %q", path, bad)
				}
			}
			for _, m := range notOnTheHour.FindAllStringSubmatch(text, -1) {
				if m[1] != "00:00" {
					t.Errorf("%s contains the exact time %s", path, m[0])
					break
				}
			}
			if (ds == "records" || ds == "requesters") && !strings.Contains(text, "RSIXLAB") {
				t.Errorf("%s lacks the six-reporter requester:\n%s", path, text)
			}
		}
	}

	var idx struct {
		Datasets []struct{ Name string } `json:"datasets"`
	}
	getJSON(t, base+"/api/v1/export", 200, &idx)
	if len(idx.Datasets) != 4 {
		t.Errorf("/api/v1/export lists %d datasets", len(idx.Datasets))
	}

	for _, c := range []struct {
		path  string
		code  int
		field string
	}{
		{"/api/v1/export/records.csv?k=3", 400, "k"},
		{"/api/v1/export/records.csv?k=many", 400, "k"},
		{"/api/v1/export/records.csv?k=0", 400, "k"}, // not a silent default
		{"/api/v1/export/records.csv?from=yesterday", 400, "from"},
		{"/api/v1/export/records.csv?from=2026-12-01&to=2026-11-01", 400, "from"},
		{"/api/v1/export/records.xlsx", 404, ""},
		{"/api/v1/export/people.csv", 404, ""},
	} {
		var e struct {
			Error struct{ Code, Field, Message string } `json:"error"`
		}
		getJSON(t, base+c.path, c.code, &e)
		if e.Error.Field != c.field {
			t.Errorf("%s: field %q, want %q (%s)", c.path, e.Error.Field, c.field, e.Error.Message)
		}
	}
	if res, _ := fetch(t, base+"/api/v1/export/records.csv"); res.Header.Get("Content-Disposition") == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("records.csv headers %v", res.Header)
	}
}

// TestExportPlatforms: ?platform= picks the platform exported; each export holds that platform's rows
// only, with its own ids, the platform and the currency; an unknown platform is a 400 naming it.
func TestExportPlatforms(t *testing.T) {
	base, _, _ := exportSite(t)
	res, body := fetch(t, base+"/api/v1/export/records.csv?platform=prolific")
	if res.StatusCode != 200 {
		t.Fatalf("prolific records.csv: status %d: %s", res.StatusCode, body)
	}
	if !strings.Contains(res.Header.Get("Content-Disposition"), `hitwage-prolific-records.csv`) ||
		!strings.Contains(res.Header.Get("X-Hitwage-Citation"), "of Prolific") || !strings.HasPrefix(res.Header.Get("X-Hitwage-Stamp"), "platform: prolific;") {
		t.Errorf("prolific records.csv headers %v", res.Header)
	}
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if len(lines) != 1+18 || !strings.HasSuffix(lines[0], `"flag","platform","currency","source_kind"`) {
		t.Fatalf("prolific records.csv: %d lines, header %s", len(lines), lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, `,"`+exportResearcher+`",`) || !strings.Contains(l, `,"prolific","GBP",`) || strings.Contains(l, "RSIXLAB") {
			t.Errorf("prolific records.csv row %s", l)
		}
	}
	_, body = fetch(t, base+"/api/v1/export/requesters.ndjson?platform=prolific")
	if !strings.Contains(body, `"requester_id":"`+exportResearcher+`"`) || !strings.Contains(body, `"currency":"GBP","minimum":6`) || strings.Contains(body, "RSIXLAB") {
		t.Errorf("prolific requesters.ndjson:\n%s", body)
	}
	for _, ds := range []string{"records", "workers", "requesters", "weeks"} {
		_, body := fetch(t, base+"/api/v1/export/"+ds+".ndjson")
		if strings.Contains(body, exportResearcher) || strings.Contains(body, "prolific") || strings.Contains(body, "GBP") {
			t.Errorf("MTurk %s.ndjson holds Prolific rows:\n%s", ds, body)
		}
	}
	for _, path := range []string{"/api/v1/export/records.csv?platform=toloka", "/api/v1/export/weeks.parquet?platform=MTURK2"} {
		var e struct {
			Error struct{ Field, Message string } `json:"error"`
		}
		getJSON(t, base+path, 400, &e)
		if e.Error.Field != "platform" || !strings.Contains(e.Error.Message, "prolific") {
			t.Errorf("%s: %+v, want a 400 naming platform", path, e.Error)
		}
	}
}
