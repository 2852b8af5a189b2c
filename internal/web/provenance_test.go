package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// An MTurk requester reported through three kinds of source, and a Prolific researcher with one
// study listed and reported and one listed only.
const (
	provReq       = "APROVENANCE00001"
	provGroup     = "3PROVENANCEGROUP00000000000001"
	advResearcher = "5f0a1b2c3d4e5f60718293b7"
	advReported   = "65aa00bb11cc22dd33ee4501" // listed and reported
	advListed     = "65aa00bb11cc22dd33ee4502" // listed only
	advTitle      = `<b>Choices</b> & "risk" <script>alert(3)</script>`
)

func provenanceSite(t *testing.T) site {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 9, 20, 8, 0, 0, 0, time.UTC)
	var recs []records.Record
	n := 0
	// add appends an MTurk record of provReq; secs 0 with timed false leaves it without a time.
	add := func(kind, source, worker string, secs uint32, timed bool) {
		n++
		at := t0.Add(time.Duration(n) * 2 * time.Hour)
		r := records.Record{RequesterID: provReq, RequesterName: "Provenance Lab", HitSetID: provGroup, Title: "A survey",
			AssignmentID: fmt.Sprintf("3PROVASSIGN%019d", n), Reporter: h.Reporter("worker", worker),
			Reward: decimal.RequireFromString("1.00"), Status: records.Approved, AllottedSeconds: 3600,
			Source: source, SourceKind: kind, ReceivedAt: at.Add(time.Hour), DurationSeconds: secs}
		if timed {
			fin := at.Add(time.Duration(secs) * time.Second)
			r.AcceptedAt, r.FinishedAt = &at, &fin
		}
		recs = append(recs, r)
	}
	// API: three timed records by two workers, and one over a day long (flagged) by a third.
	add("api", "api", "W1", 600, true)
	add("api", "api", "W1", 600, true)
	add("api", "api", "W2", 900, true)
	add("api", "api", "W3", 90_000, true)
	// A command-line import of an MTurk Suite backup: four records without a time, by one worker.
	for range 4 {
		add("import:mturk-suite", "import:backup.json", "W4", 0, false)
	}
	// An upload of a HIT Database backup: two timed records by one worker.
	add("upload:hitdb", "upload:hitdb.bak", "W5", 300, true)
	add("upload:hitdb", "upload:hitdb.bak", "W5", 300, true)

	// The Prolific researcher: six reports of advReported by three workers, each 10 minutes for
	// £1.50, none overlapping another of its worker's: an effective £9.00/h, a median of 10 minutes.
	for i := range 6 {
		acc := t0.Add(time.Duration(i) * 3 * time.Hour)
		fin := acc.Add(10 * time.Minute)
		recs = append(recs, records.Record{RequesterID: platform.Key(platform.Prolific, advResearcher), RequesterName: "Decision Lab",
			HitSetID: advReported, Title: advTitle, AssignmentID: fmt.Sprintf("sub%021d", i), Reporter: h.Reporter("worker", fmt.Sprintf("P%d", i%3)),
			Reward: decimal.RequireFromString("1.50"), Currency: "GBP", AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 600,
			Status: records.Approved, AllottedSeconds: 3600, Source: "api", SourceKind: "api", ReceivedAt: fin})
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	// Two sightings of advReported (the newer one wins) and one of advListed.
	older := histories.Study{ID: advReported, Name: "An older title", ResearcherID: advResearcher, ResearcherName: "Decision Lab",
		Currency: "GBP", Reward: "1.20", HourlyRate: "10.00", EstimatedMinutes: 8, MaxMinutes: 30, AverageSeconds: 400, Places: 150}
	reported := older
	reported.Name, reported.Reward, reported.HourlyRate, reported.EstimatedMinutes, reported.AverageSeconds, reported.Places =
		advTitle, "1.50", "12.00", 6, 540, 200
	listed := histories.Study{ID: advListed, Name: "A listed study", ResearcherID: advResearcher, ResearcherName: "Decision Lab",
		Currency: "GBP", Reward: "1.90", EstimatedMinutes: 13, MaxMinutes: 60, Places: 50}
	for i, batch := range [][]histories.Study{{older}, {reported, listed}} {
		if _, bad, err := histories.StoreStudies(ctx, s, "crawl", t0.Add(time.Duration(i)*time.Hour), batch); err != nil || bad != 0 {
			t.Fatal(bad, err)
		}
	}
	return serveComputed(t, s)
}

// rowOf returns the table row of body with HTML id id.
func rowOf(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `<tr id="`+id+`">`)
	if i < 0 {
		t.Fatalf("no row %s", id)
	}
	j := strings.Index(body[i:], "</tr>")
	return body[i : i+j]
}

// cell returns the text of the cell of class class in row.
func cell(t *testing.T, row, class string) string {
	t.Helper()
	i := strings.Index(row, `class="num `+class+`">`)
	if i < 0 {
		t.Fatalf("no cell %s in %s", class, row)
	}
	rest := row[i+len(`class="num `+class+`">`):]
	return rest[:strings.Index(rest, "</td>")]
}

func TestRequesterSources(t *testing.T) {
	st := provenanceSite(t)
	body, _ := getPage(t, st.base+"/requesters/"+provReq, 200)
	want := []struct {
		kind, label                        string
		records, untimed, reporters, flags string
	}{
		{"api", "Worker tools and userscripts (API)", "3", "0", "2 workers", "1"},
		{"upload:hitdb", "HIT Database Mk II backup (upload)", "2", "0", "1 worker", "0"},
		{"import:mturk-suite", "MTurk Suite backup (command-line import)", "4", "4", "1 worker", "0"},
	}
	last := -1
	for _, w := range want {
		row := rowOf(t, body, "source-"+w.kind)
		if !strings.Contains(row, "<td>"+w.label+"</td>") {
			t.Errorf("%s: label missing: %s", w.kind, row)
		}
		got := [4]string{cell(t, row, "src-records"), cell(t, row, "src-untimed"), cell(t, row, "src-reporters"), cell(t, row, "src-flagged")}
		if got != [4]string{w.records, w.untimed, w.reporters, w.flags} {
			t.Errorf("%s: records, untimed, reporters, flagged = %q, want %q %q %q %q", w.kind, got, w.records, w.untimed, w.reporters, w.flags)
		}
		i := strings.Index(body, `<tr id="source-`+w.kind+`">`)
		if i < last {
			t.Errorf("%s is listed out of order", w.kind)
		}
		last = i
	}
	if !strings.Contains(body, `href="/api/v1/requesters/`+provReq+`/sources"`) {
		t.Error("the page does not link its source split as JSON")
	}

	var doc struct {
		RequesterID string `json:"requester_id"`
		Platform    string `json:"platform"`
		Sources     []struct {
			Kind, Label string
			Records     uint64
			Timed       uint64 `json:"timed_records"`
			Untimed     uint64 `json:"untimed_records"`
			Reporters   uint64
			Flagged     uint64 `json:"flagged_records"`
		}
	}
	getJSON(t, st.base+"/api/v1/requesters/"+provReq+"/sources", 200, &doc)
	if doc.RequesterID != provReq || doc.Platform != "mturk" || len(doc.Sources) != 3 {
		t.Fatalf("sources JSON %+v", doc)
	}
	for i, w := range []struct {
		kind                                   string
		records, timed, untimed, reporters, fl uint64
	}{{"api", 3, 3, 0, 2, 1}, {"upload:hitdb", 2, 2, 0, 1, 0}, {"import:mturk-suite", 4, 0, 4, 1, 0}} {
		g := doc.Sources[i]
		if g.Kind != w.kind || g.Records != w.records || g.Timed != w.timed || g.Untimed != w.untimed || g.Reporters != w.reporters ||
			g.Flagged != w.fl || g.Label != want[i].label {
			t.Errorf("source %d = %+v, want %+v", i, g, w)
		}
	}
	// The researcher's, asked on its platform.
	getJSON(t, st.base+"/api/v1/requesters/"+advResearcher+"/sources?platform=prolific", 200, &doc)
	if len(doc.Sources) != 1 || doc.Sources[0].Kind != "api" || doc.Sources[0].Records != 6 || doc.Sources[0].Reporters != 3 {
		t.Errorf("researcher's sources %+v", doc.Sources)
	}
	getJSON(t, st.base+"/api/v1/requesters/ANOSUCHREQUESTER1/sources", 404, nil)
	getJSON(t, st.base+"/api/v1/requesters/nope/sources", 400, nil)
}

func TestAdvertisedVersusReported(t *testing.T) {
	st := provenanceSite(t)
	body, _ := getPage(t, st.base+"/prolific/researchers/"+advResearcher, 200)
	if strings.Contains(body, "<b>Choices</b>") || strings.Contains(body, "<script>alert(3)") {
		t.Error("a study's title is not escaped")
	}
	if !strings.Contains(body, "&lt;b&gt;Choices&lt;/b&gt; &amp; &#34;risk&#34;") {
		t.Error("the escaped study title is missing")
	}

	// Listed and reported: the latest listing's advertised figures beside the reported ones.
	row := rowOf(t, body, "study-"+advReported)
	for class, want := range map[string]string{
		"adv-reward": "£1.50", "adv-hourly": "£12.00/h", "adv-estimated": "6m 00s", "adv-average": "9m 00s", "adv-places": "200",
		"rep-hourly": "£9.00/h", "rep-median": "10m 00s", "rep-records": "6",
	} {
		if got := cell(t, row, class); got != want {
			t.Errorf("%s: %s = %q, want %q", advReported, class, got, want)
		}
	}
	if strings.Contains(row, "not reported") {
		t.Errorf("a reported study carries the estimate: %s", row)
	}

	// Listed only: a labelled estimate from the listing, in no reported column.
	row = rowOf(t, body, "study-"+advListed)
	hourly := fmt.Sprintf("£%.2f/h", 1.90*60/13)
	estimate := "advertised, not reported: " + hourly + " if it takes the estimated 13 min"
	if !strings.Contains(row, `<td colspan="3" class="estimate">`+estimate+`</td>`) {
		t.Errorf("listed-only study lacks %q: %s", estimate, row)
	}
	if got := cell(t, row, "adv-hourly"); !strings.HasPrefix(got, hourly+" ") || !strings.Contains(got, "reward ÷ estimated time") {
		t.Errorf("listed-only advertised rate %q, want %s worked out from reward and time", got, hourly)
	}
	if strings.Contains(row, "rep-") || cell(t, row, "adv-average") != "—" || cell(t, row, "adv-places") != "50" {
		t.Errorf("listed-only row: %s", row)
	}

	// The study pages: the same comparison, and a listing alone is a page of its own.
	page, _ := getPage(t, st.base+"/prolific/studies/"+advReported, 200)
	for _, w := range []string{`id="advertised-hourly">£12.00/h<`, "£9.00/h", "10m 00s", "Prolific's average 9m 00s", "200 places",
		"&lt;b&gt;Choices&lt;/b&gt;", `href="/prolific/researchers/` + advResearcher + `"`} {
		if !strings.Contains(page, w) {
			t.Errorf("reported study page lacks %q", w)
		}
	}
	if strings.Contains(page, "not reported") || strings.Contains(page, "<b>Choices</b>") {
		t.Error("reported study page: an estimate, or an unescaped title")
	}
	page, _ = getPage(t, st.base+"/prolific/studies/"+advListed, 200)
	for _, w := range []string{"<h1>A listed study</h1>", `id="study-estimate">` + estimate + "<", "no worker has reported this study",
		`href="/prolific/researchers/` + advResearcher + `"`, "Decision Lab"} {
		if !strings.Contains(page, w) {
			t.Errorf("listed-only study page lacks %q", w)
		}
	}
	if strings.Contains(page, "Effective hourly wage") {
		t.Error("a listed-only study page shows a reported wage")
	}

	var hit struct {
		Title   string `json:"title"`
		Records uint64 `json:"records"`
		Wage    *struct {
			EffectiveHourly *float64 `json:"effective_hourly"`
		}
		Advertised *struct {
			Currency         string   `json:"currency"`
			Reward           *float64 `json:"reward"`
			Hourly           *float64 `json:"hourly"`
			HourlyStated     bool     `json:"hourly_stated"`
			EstimatedSeconds uint32   `json:"estimated_seconds"`
			Estimate         string   `json:"estimate"`
		} `json:"advertised"`
	}
	getJSON(t, st.base+"/api/v1/hits/"+advListed+"?platform=prolific", 200, &hit)
	if a := hit.Advertised; hit.Title != "A listed study" || hit.Records != 0 || hit.Wage != nil || a == nil || a.Hourly == nil ||
		fmt.Sprintf("%.2f", *a.Hourly) != fmt.Sprintf("%.2f", 1.90*60/13) || a.HourlyStated || a.EstimatedSeconds != 780 || a.Estimate != estimate {
		t.Errorf("listed-only study JSON %+v %+v", hit, hit.Advertised)
	}
	hit.Advertised, hit.Wage = nil, nil // omitted fields would keep the last answer's values
	getJSON(t, st.base+"/api/v1/hits/"+advReported+"?platform=prolific", 200, &hit)
	if a := hit.Advertised; hit.Records != 6 || a == nil || a.Hourly == nil || *a.Hourly != 12 || !a.HourlyStated || a.Estimate != "" ||
		hit.Wage == nil || hit.Wage.EffectiveHourly == nil || *hit.Wage.EffectiveHourly != 9 {
		t.Errorf("reported study JSON %+v %+v", hit, hit.Advertised)
	}
}
