package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// Two platforms side by side: an MTurk requester of the archive (its records end before the
// closure) and a Prolific researcher paying in pounds, both reported by six workers.
const (
	mturkReq      = "AMTURKARCHIVE001"
	mturkGroup    = "3MTURKARCHIVEGROUP000000000001"
	prolificRes   = "5f0a1b2c3d4e5f60718293a4"
	prolificStudy = "65aa00bb11cc22dd33ee44ff"
)

func twoPlatformSite(t *testing.T) site {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	add := func(p platform.ID, req, name, group, title, cur, reward string, at time.Time, i int, st records.Status) {
		fin := at.Add(10 * time.Minute)
		recs = append(recs, records.Record{
			RequesterID: platform.Key(p, req), RequesterName: name, HitSetID: group, Title: title,
			AssignmentID: fmt.Sprintf("%s-%03d", p, i), Reporter: h.Reporter("worker", fmt.Sprintf("W%d", i%6)),
			Reward: decimal.RequireFromString(reward), Currency: cur, AcceptedAt: &at, FinishedAt: &fin, DurationSeconds: 600,
			Status: st, AllottedSeconds: 3600, Source: "test", ReceivedAt: fin,
		})
	}
	closed := time.Date(2026, 9, 29, 12, 0, 0, 0, time.UTC)
	now := time.Now().UTC()
	for i := 0; i < 12; i++ {
		add(platform.MTurk, mturkReq, "Archive Lab", mturkGroup, "An old survey", "USD", "1.00", closed.Add(-time.Duration(i)*time.Hour), i, records.Approved)
		st := records.Approved
		if i%4 == 3 {
			st = records.ScreenedOut
		}
		add(platform.Prolific, prolificRes, "Oxbridge Decision Lab", prolificStudy, "A study of choices", "GBP", "1.75",
			now.Add(-time.Duration(i+1)*time.Hour), i, st)
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	return serveComputed(t, s)
}

func TestPlatformOfEveryAnswer(t *testing.T) {
	st := twoPlatformSite(t)
	type wage struct {
		Currency        string   `json:"currency"`
		EffectiveHourly *float64 `json:"effective_hourly"`
		Floor           float64  `json:"floor"`
		Target          float64  `json:"target"`
		RatesVersion    string   `json:"rates_version"`
	}
	type requester struct {
		RequesterID string `json:"requester_id"`
		Platform    string `json:"platform"`
		Archive     bool   `json:"archive"`
		ScreenedOut uint64 `json:"screened_out"`
		URL         string `json:"url"`
		Wage        wage   `json:"wage"`
	}
	var pr requester
	getJSON(t, st.base+"/api/v1/requesters/"+prolificRes+"?platform=prolific", 200, &pr)
	if pr.Platform != "prolific" || pr.RequesterID != prolificRes || pr.Archive || pr.Wage.Currency != "GBP" ||
		pr.Wage.Floor != 6 || pr.Wage.Target != 9 || pr.ScreenedOut != 3 || pr.Wage.RatesVersion == "" ||
		!strings.HasSuffix(pr.URL, "/prolific/researchers/"+prolificRes) {
		t.Errorf("Prolific researcher answer: %+v", pr)
	}
	var mr requester
	getJSON(t, st.base+"/api/v1/requesters/"+mturkReq, 200, &mr)
	if mr.Platform != "mturk" || !mr.Archive || mr.Wage.Currency != "USD" || mr.Wage.Floor != 7.25 ||
		!strings.HasSuffix(mr.URL, "/requesters/"+mturkReq) {
		t.Errorf("MTurk requester answer: %+v", mr)
	}
	// An id is checked against the platform asked for, and only that platform's requesters are found.
	getJSON(t, st.base+"/api/v1/requesters/"+prolificRes, 400, nil)
	getJSON(t, st.base+"/api/v1/requesters/"+mturkReq+"?platform=prolific", 400, nil)
	var bad struct {
		Error struct{ Field string } `json:"error"`
	}
	for _, u := range []string{"/api/v1/requesters/" + mturkReq + "?platform=toloka", "/api/v1/market?platform=MTURK2",
		"/api/v1/search?q=lab&platform=x", "/api/v1/requesters?ids=" + mturkReq + "&platform=x", "/api/v1/hits/" + mturkGroup + "?platform=x"} {
		getJSON(t, st.base+u, 400, &bad)
		if bad.Error.Field != "platform" {
			t.Errorf("%s: 400 names field %q, want platform", u, bad.Error.Field)
		}
	}
	var batch struct {
		Requesters []requester `json:"requesters"`
		Missing    []string    `json:"missing"`
	}
	getJSON(t, st.base+"/api/v1/requesters?platform=prolific&ids="+prolificRes+",5f0a1b2c3d4e5f60718293a5", 200, &batch)
	if len(batch.Requesters) != 1 || batch.Requesters[0].Platform != "prolific" || len(batch.Missing) != 1 {
		t.Errorf("batch: %+v", batch)
	}
	var search struct {
		Platform string `json:"platform"`
		Results  []struct {
			RequesterID string `json:"requester_id"`
			Platform    string `json:"platform"`
			Currency    string `json:"currency"`
		} `json:"results"`
	}
	getJSON(t, st.base+"/api/v1/search?q=lab&platform=prolific", 200, &search)
	if search.Platform != "prolific" || len(search.Results) != 1 || search.Results[0].RequesterID != prolificRes || search.Results[0].Currency != "GBP" {
		t.Errorf("Prolific search: %+v", search)
	}
	getJSON(t, st.base+"/api/v1/search?q=lab", 200, &search)
	if search.Platform != "mturk" || len(search.Results) != 1 || search.Results[0].RequesterID != mturkReq {
		t.Errorf("MTurk search: %+v", search)
	}
	var market struct {
		Platform string `json:"platform"`
		Archive  bool   `json:"archive"`
		Records  uint64 `json:"records"`
		Wage     wage   `json:"wage"`
	}
	getJSON(t, st.base+"/api/v1/market?platform=prolific", 200, &market)
	if market.Platform != "prolific" || market.Archive || market.Records != 12 || market.Wage.Currency != "GBP" {
		t.Errorf("Prolific market: %+v", market)
	}
	getJSON(t, st.base+"/api/v1/market", 200, &market)
	if market.Platform != "mturk" || !market.Archive || market.Records != 12 || market.Wage.Currency != "USD" {
		t.Errorf("MTurk market: %+v", market)
	}
	var study struct {
		Platform string `json:"platform"`
		Currency string `json:"currency"`
		Wage     *wage  `json:"wage"`
	}
	getJSON(t, st.base+"/api/v1/hits/"+prolificStudy+"?platform=prolific", 200, &study)
	if study.Platform != "prolific" || study.Currency != "GBP" || study.Wage == nil || study.Wage.Currency != "GBP" {
		t.Errorf("Prolific study: %+v", study)
	}
}

func TestPlatformPages(t *testing.T) {
	st := twoPlatformSite(t)
	page := func(path string, want ...string) string {
		t.Helper()
		body, _ := getPage(t, st.base+path, 200)
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		return body
	}
	body := page("/prolific/researchers/"+prolificRes, "Oxbridge Decision Lab", "Prolific researcher "+prolificRes, "figures in GBP", "£",
		"/prolific/studies/"+prolificStudy, "/embed/prolific/researchers/"+prolificRes+"/badge.svg", "Screened out")
	if strings.Contains(body, "closure-notice") {
		t.Error("a Prolific page carries MTurk's closure notice")
	}
	page("/requesters/"+mturkReq, "Archive Lab", "closed on 2026-09-30", "archive", "$")
	home := page("/prolific", "Oxbridge Decision Lab", "Prolific researcher")
	if strings.Contains(home, "Archive Lab") {
		t.Error("the Prolific home page lists an MTurk requester")
	}
	mhome := page("/", "closed on 2026-09-30", "The last week before it closed")
	if strings.Contains(mhome, "Oxbridge") {
		t.Error("the MTurk home page lists a Prolific researcher")
	}
	page("/prolific/market", "The Prolific market", "GBP")
	page("/prolific/studies/"+prolificStudy, "A study of choices", "Prolific study")
	badge, _ := getPage(t, st.base+"/embed/prolific/researchers/"+prolificRes+"/badge.svg", 200)
	if !strings.Contains(badge, "Prolific £") {
		t.Errorf("Prolific badge: %s", badge)
	}
	card, _ := getPage(t, st.base+"/embed/prolific/researchers/"+prolificRes+"/card", 200)
	if !strings.Contains(card, "/prolific/researchers/"+prolificRes) || !strings.Contains(card, "£") || !strings.Contains(card, "Prolific") {
		t.Errorf("Prolific card: %s", card)
	}
	var oe struct{ HTML string }
	getJSON(t, st.base+"/oembed?url="+url.QueryEscape(st.base+"/prolific/researchers/"+prolificRes), 200, &oe)
	if !strings.Contains(oe.HTML, "/embed/prolific/researchers/"+prolificRes+"/card") {
		t.Errorf("oEmbed of a Prolific page: %s", oe.HTML)
	}
	// An MTurk-shaped id on a Prolific path is refused, not looked up.
	getPage(t, st.base+"/prolific/researchers/"+mturkReq, 400)
}

// A Prolific researcher's page and the MTurk closure notice, as a browser shows them.
func TestPlatformPagesInBrowser(t *testing.T) {
	st := twoPlatformSite(t)
	ctx, log := startBrowser(t)
	for _, c := range []struct {
		path, selector, want string
	}{
		{"/prolific/researchers/" + prolificRes, "h1", "Oxbridge Decision Lab"},
		{"/requesters/" + mturkReq, "#closure-notice", "Amazon Mechanical Turk closed on 2026-09-30."},
	} {
		log.take()
		p, _, err := loadPage(ctx, st.base+c.path)
		if err != nil {
			t.Fatalf("load %s: %v", c.path, err)
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("`+c.selector+`").innerText`))
		if err != nil {
			t.Fatalf("%s %s: %v", c.path, c.selector, err)
		}
		if !strings.Contains(text, c.want) {
			t.Errorf("%s: %s says %q, want %q", c.path, c.selector, text, c.want)
		}
		if p.Charts == 0 || p.Rendered != p.Charts {
			t.Errorf("%s: %d of %d charts drawn", c.path, p.Rendered, p.Charts)
		}
		time.Sleep(100 * time.Millisecond) // let late console events arrive
		if console, offsite := log.take(); len(console) > 0 || len(offsite) > 0 {
			t.Errorf("%s: console errors %v, offsite requests %v", c.path, console, offsite)
		}
	}
	// The Prolific page's hourly figures are in pounds.
	if _, _, err := loadPage(ctx, st.base+"/prolific/researchers/"+prolificRes); err != nil {
		t.Fatal(err)
	}
	fig, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".grid .figure").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimSpace(fig), "£") {
		t.Errorf("effective wage shown as %q, want pounds", fig)
	}
}

// A site without the wage engine (listings only) answers a HIT group it knows nothing of with a 404,
// not a 500 from a missing engine.
func TestHitGroupWithoutWages(t *testing.T) {
	base := serve(t, storetest.New(t))
	getJSON(t, base+"/api/v1/hits/3NOTKNOWNGROUP0000000000000001", 404, nil)
}
