package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

const (
	formReviewedID = "AFORMREVIEWED01"
	// prolificReviewedID is a Prolific researcher with task reports in the review site.
	prolificReviewedID = "5f3c0a1b2c3d4e5f6071829a"
)

// reviewSite serves the site with reviews enabled: an MTurk requester and a Prolific researcher
// with task reports, a token.
type reviewSite struct {
	base   string
	s      *store.Store
	h      *records.Hasher
	deps   web.Deps
	secret string
	tokID  string
}

func newReviewSite(t *testing.T, cfg ingest.Config) reviewSite {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("web-review-form-key-0000000"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	for i := 0; i < 6; i++ {
		acc := fixtureNow.Add(-time.Duration(i+2) * time.Hour)
		fin := acc.Add(8 * time.Minute)
		recs = append(recs, records.Record{
			RequesterID: formReviewedID, RequesterName: "Form Reviewed Lab", Title: "A short survey", HitSetID: "3FORMREVIEWGROUP0000000000001",
			AssignmentID: fmt.Sprintf("3FORMASSIGN%019d", i), Reporter: h.Reporter("worker", fmt.Sprintf("AWORKERFORM%04d", i%3)),
			Reward: decimal.RequireFromString("1.50"), AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 480,
			Status: records.Approved, AllottedSeconds: 3600, Source: "test", ReceivedAt: fin,
		}, records.Record{
			RequesterID: "prolific:" + prolificReviewedID, RequesterName: "Prolific Reviewed Lab", Title: "A Prolific study",
			HitSetID: "64a1b2c3d4e5f60718293a4b", AssignmentID: fmt.Sprintf("65b2c3d4e5f6071829%06d", i),
			Reporter: h.Reporter("worker", fmt.Sprintf("5e9d8c7b6a5f4e3d2c1b%04d", i%3)), Reward: decimal.RequireFromString("1.20"),
			Currency: "GBP", AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 480, Status: records.Approved, Source: "test", ReceivedAt: fin,
		})
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	deps := computedDeps(t, s)
	if cfg.Rate == 0 {
		cfg.Rate, cfg.Burst = 1000, 1000
	}
	svc := ingest.NewService(s, h, cfg)
	t.Cleanup(func() { _ = svc.Close(context.Background()) }) // runs after the server stops
	secret, tok, err := svc.Tokens.Create(ctx, "review form test")
	if err != nil {
		t.Fatal(err)
	}
	deps.Ingest, deps.Hasher = svc, h
	return reviewSite{base: serveDeps(t, deps), s: s, h: h, deps: deps, secret: secret, tokID: tok.ID}
}

// postForm posts a form-encoded body without following redirects.
func postForm(t *testing.T, u string, form url.Values) answer {
	t.Helper()
	res, err := noRedirect.Post(u, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: b}
}

// reviewValues is a filled form; a rating of 0 is the "no rating" choice (an empty value).
func reviewValues(token string, pay, fairness, communication, promptness int, text string) url.Values {
	rating := func(v int) []string {
		if v == 0 {
			return []string{""}
		}
		return []string{fmt.Sprint(v)}
	}
	return url.Values{"token": {token}, "pay": rating(pay), "fairness": rating(fairness),
		"communication": rating(communication), "promptness": rating(promptness), "text": {text}}
}

func liveReviews(t *testing.T, s *store.Store) []lookup.Review {
	t.Helper()
	revs, err := lookup.ReviewsOf(context.Background(), s, formReviewedID, 10)
	if err != nil {
		t.Fatal(err)
	}
	return revs
}

func TestReviewFormSavesAndReplaces(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	page := rs.base + "/requesters/" + formReviewedID
	action := page + "/review"

	// The page carries the form, every input with its label, the token as a password field.
	body, _ := getPage(t, page, 200)
	for _, want := range []string{`action="/requesters/` + formReviewedID + `/review#review"`, `method="post"`,
		`type="password" id="review-token" name="token" autocomplete="off"`, `maxlength="4000"`,
		`<select id="review-pay" name="pay">`, `<option value="" selected>no rating</option>`,
		`<input type="checkbox" id="review-tos_violation" name="tos_violation" value="1">`,
		`<input type="checkbox" id="review-broken_task" name="broken_task" value="1">`} {
		if !strings.Contains(body, want) {
			t.Errorf("requester page lacks %s", want)
		}
	}
	if strings.Contains(body, "<select id=\"review-pay\" name=\"pay\" required") || strings.Count(body, " required") != 1 {
		t.Error("a rating is required; only the token should be")
	}
	for _, id := range []string{"review-token", "review-pay", "review-fairness", "review-communication", "review-promptness", "review-text",
		"review-tos_violation", "review-broken_task"} {
		if !strings.Contains(body, `<label for="`+id+`">`) || !strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("input %s has no label", id)
		}
	}
	if strings.Contains(body, "Your review was saved") {
		t.Error("the saved message shows before anything was saved")
	}

	a := postForm(t, action, reviewValues(rs.secret, 4, 5, 3, 2, "Fair pay.\r\nSlow approvals."))
	if a.status != 303 || a.header.Get("Location") != "/requesters/"+formReviewedID+"?review=saved#review" {
		t.Fatalf("post: %d %q %s", a.status, a.header.Get("Location"), a.body)
	}
	if a.header.Get("Set-Cookie") != "" {
		t.Errorf("the form set a cookie: %q", a.header.Get("Set-Cookie"))
	}
	revs := liveReviews(t, rs.s)
	if len(revs) != 1 || revs[0].Pay != 4 || revs[0].Fairness != 5 || revs[0].Communication != 3 || revs[0].Promptness != 2 ||
		revs[0].Text != "Fair pay.\nSlow approvals." {
		t.Fatalf("stored reviews %+v", revs)
	}
	// Filed under the token's pseudonym, as the API files a token's own review.
	var n uint64
	if err := rs.s.QueryRow(context.Background(), "SELECT count() FROM reviews WHERE requester_id = {rid:String} AND reporter = {rep:String}",
		store.Args{"rid": formReviewedID, "rep": rs.h.Reporter("token", rs.tokID)}, &n); err != nil || n != 1 {
		t.Fatalf("%d reviews under the token's pseudonym (%v), want 1", n, err)
	}
	saved, _ := getPage(t, rs.base+"/requesters/"+formReviewedID+"?review=saved", 200)
	if !strings.Contains(saved, "Your review was saved; it appears in scores after the next update (about 15 seconds)") {
		t.Error("the page after saving does not say the review was saved")
	}
	if page, _ := getPage(t, rs.base+"/requesters/"+formReviewedID, 200); !strings.Contains(page, "Slow approvals.") ||
		strings.Contains(page, "Your review was saved") {
		t.Error("the page after saving does not list the review, or keeps the saved notice")
	}

	// Posting again replaces the review: still one per reporter.
	if a = postForm(t, action, reviewValues(rs.secret, 1, 2, 2, 1, "They stopped paying")); a.status != 303 {
		t.Fatalf("second post: %d %s", a.status, a.body)
	}
	if revs = liveReviews(t, rs.s); len(revs) != 1 || revs[0].Pay != 1 || revs[0].Text != "They stopped paying" {
		t.Fatalf("after the second post: %+v", revs)
	}
	// The page (rendered once per snapshot and kept) shows the new review, not the one it showed.
	if again, _ := getPage(t, rs.base+"/requesters/"+formReviewedID, 200); !strings.Contains(again, "They stopped paying") ||
		strings.Contains(again, "Slow approvals.") {
		t.Error("the page after the second review still shows the first")
	}
	// The API with the same token edits the same review.
	req, _ := http.NewRequest("POST", rs.base+"/api/v1/reviews", strings.NewReader(`{"requester_id":"`+formReviewedID+`","pay":3,"fairness":3,"communication":3,"promptness":3,"text":"via api"}`))
	req.Header.Set("Authorization", "Bearer "+rs.secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if revs = liveReviews(t, rs.s); res.StatusCode != 200 || len(revs) != 1 || revs[0].Text != "via api" {
		t.Fatalf("API after form: %d %+v", res.StatusCode, revs)
	}
	// Like the form, the API reviews only requesters hitwage has reports or listings of: a made-up
	// id is a 404 naming requester_id, and no page appears for it.
	req, _ = http.NewRequest("POST", rs.base+"/api/v1/reviews", strings.NewReader(`{"requester_id":"AMADEUPREQ0001","pay":5}`))
	req.Header.Set("Authorization", "Bearer "+rs.secret)
	if res, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || !strings.Contains(string(b), `"field":"requester_id"`) {
		t.Fatalf("review of an unknown requester: %d %s", res.StatusCode, b)
	}
	if revs = liveReviews(t, rs.s); len(revs) != 1 {
		t.Fatalf("a review of an unknown requester was stored: %+v", revs)
	}

	// Line breaks count once, as the browser's maxlength counts them: a full-length text with CRLFs is accepted.
	full := strings.Repeat("abcd\r\n", reviews.MaxText/5)
	if a = postForm(t, action, reviewValues(rs.secret, 3, 3, 3, 3, full)); a.status != 303 {
		t.Fatalf("full-length text with CRLF line breaks: %d", a.status)
	}

	// Ratings are optional: only a pay rating is a review.
	if a = postForm(t, action, reviewValues(rs.secret, 4, 0, 0, 0, "")); a.status != 303 {
		t.Fatalf("only a pay rating: %d %.300s", a.status, a.body)
	}
	if revs = liveReviews(t, rs.s); len(revs) != 1 || revs[0].Pay != 4 || revs[0].Fairness != 0 || revs[0].Communication != 0 ||
		revs[0].Promptness != 0 || revs[0].Text != "" || revs[0].TOSViolation || revs[0].BrokenTask {
		t.Fatalf("after only a pay rating: %+v", revs)
	}
	// So is only a flag, and 4,000 characters of several bytes each fit.
	flagged := reviewValues(rs.secret, 0, 0, 0, 0, strings.Repeat("€", reviews.MaxText))
	flagged.Set("broken_task", "1")
	if a = postForm(t, action, flagged); a.status != 303 {
		t.Fatalf("only a flag and 4,000 multi-byte characters: %d %.300s", a.status, a.body)
	}
	if revs = liveReviews(t, rs.s); len(revs) != 1 || revs[0].Pay != 0 || !revs[0].BrokenTask || revs[0].TOSViolation ||
		revs[0].Text != strings.Repeat("€", reviews.MaxText) {
		t.Fatalf("after only a flag: %+v", revs)
	}
	body, _ = getPage(t, rs.base+"/requesters/"+formReviewedID, 200)
	if !strings.Contains(body, `<span class="flag">Flagged: broken task</span>`) || !strings.Contains(body, "pay — · fairness — · communication — · promptness —") {
		t.Error("the review list does not show the flag-only review's flag and missing ratings")
	}
}

func TestReviewFormRefusals(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	action := rs.base + "/requesters/" + formReviewedID + "/review"
	hostile := `</textarea><script>alert("x")</script> & "quotes"`

	// A rating out of range: 400, the reason beside the field, the user's input kept and escaped, never the token.
	a := postForm(t, action, reviewValues(rs.secret, 9, 5, 3, 2, hostile))
	body := string(a.body)
	if a.status != 400 {
		t.Fatalf("bad rating: %d %.300s", a.status, body)
	}
	if !strings.Contains(body, `<span class="field-error" id="review-pay-error">Pay must be a whole number from 1 to 5, or left out for no rating</span>`) ||
		!strings.Contains(body, `aria-describedby="review-pay-error"`) {
		t.Errorf("the bad rating is not named beside the pay field")
	}
	if strings.Contains(body, `id="review-fairness-error"`) {
		t.Errorf("a good rating is reported as bad")
	}
	if !strings.Contains(body, `<option value="5" selected>5 — excellent</option>`) || !strings.Contains(body, `<option value="3" selected>`) {
		t.Errorf("the user's good ratings were not kept")
	}
	assertEscaped(t, "refused review form", body)
	if !strings.Contains(body, "&lt;/textarea&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;</textarea>") {
		t.Errorf("the user's text is not kept escaped in the textarea")
	}
	if strings.Contains(body, rs.secret) {
		t.Fatal("the token was echoed back into the page")
	}
	if cc := a.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("refused form Cache-Control %q, want no-store", cc)
	}
	if csp := a.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("refused form CSP %q", csp)
	}
	if strings.Contains(body, "Your review was saved") {
		t.Error("a refused review says it was saved")
	}

	// A rating that is not a number and too long a text are named too; "no rating" is not a fault.
	// The flag the user ticked stays ticked.
	a = postForm(t, action, url.Values{"token": {rs.secret}, "pay": {""}, "fairness": {"x"}, "communication": {"3"}, "promptness": {"3"},
		"text": {strings.Repeat("é", reviews.MaxText+1)}, "tos_violation": {"1"}})
	body = string(a.body)
	if a.status != 400 || strings.Contains(body, `id="review-pay-error"`) || !strings.Contains(body, `id="review-fairness-error"`) ||
		!strings.Contains(body, `id="review-text-error">The review text is 4001 characters; at most 4000 (Unicode characters, not bytes)`) ||
		!strings.Contains(body, `name="tos_violation" value="1" checked>`) || strings.Contains(body, `name="broken_task" value="1" checked>`) {
		t.Errorf("bad rating and long text: %d", a.status)
	}

	// An empty review (no rating, no text, no flag) is refused as such, linked to the first rating.
	a = postForm(t, action, reviewValues(rs.secret, 0, 0, 0, 0, "  \r\n "))
	body = string(a.body)
	if a.status != 400 || !strings.Contains(body, `<p class="field-error" id="review-empty-error">The review is empty: give at least one rating, a text or a flag</p>`) ||
		!strings.Contains(body, `<li><a href="#review-pay">The review is empty`) {
		t.Errorf("empty review: %d %.300s", a.status, body)
	}

	// Missing or wrong token: 401 with the reason beside the token field, input kept.
	for token, want := range map[string]string{"": "The token is missing", "hwt_wrong": "The token is unknown or revoked"} {
		a = postForm(t, action, reviewValues(token, 4, 4, 4, 4, "kept text"))
		body = string(a.body)
		if a.status != 401 || !strings.Contains(body, `id="review-token-error">`+want) || !strings.Contains(body, "kept text</textarea>") {
			t.Errorf("token %q: %d, want 401 with %q: %.300s", token, a.status, want, body)
		}
		if a.header.Get("Set-Cookie") != "" {
			t.Errorf("token %q: cookie set", token)
		}
	}

	// Nothing refused was stored.
	var n uint64
	if err := rs.s.QueryRow(context.Background(), "SELECT count() FROM reviews", nil, &n); err != nil || n != 0 {
		t.Fatalf("%d refused reviews stored (%v)", n, err)
	}

	// Reloading a refused form's address (GET) goes to the form on the requester page.
	res, err := noRedirect.Get(action)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 303 || res.Header.Get("Location") != "/requesters/"+formReviewedID+"#review" {
		t.Errorf("GET %s: %d %q", action, res.StatusCode, res.Header.Get("Location"))
	}

	// An unknown requester has no page to review.
	if a = postForm(t, rs.base+"/requesters/ANOSUCHREQUESTER1/review", reviewValues(rs.secret, 4, 4, 4, 4, "")); a.status != 404 {
		t.Errorf("unknown requester: %d", a.status)
	}

	// Without a hasher the server takes no reviews: no form, and posts are refused.
	off := rs.deps
	off.Hasher = nil
	offBase := serveDeps(t, off)
	page, _ := getPage(t, offBase+"/requesters/"+formReviewedID, 200)
	if strings.Contains(page, "Review this requester") || strings.Contains(page, `name="token"`) {
		t.Error("the form is shown on a server that takes no reviews")
	}
	if a = postForm(t, offBase+"/requesters/"+formReviewedID+"/review", reviewValues(rs.secret, 4, 4, 4, 4, "")); a.status != 503 {
		t.Errorf("post to a server without reviews: %d", a.status)
	}
}

func TestReviewFormRateLimited(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{Rate: 0.01, Burst: 1})
	action := rs.base + "/requesters/" + formReviewedID + "/review"
	if a := postForm(t, action, reviewValues(rs.secret, 4, 4, 4, 4, "first")); a.status != 303 {
		t.Fatalf("first post: %d", a.status)
	}
	a := postForm(t, action, reviewValues(rs.secret, 2, 2, 2, 2, "second"))
	if a.status != 429 || a.header.Get("Retry-After") == "" || !strings.Contains(string(a.body), `id="review-token-error">The token has sent too many requests; retry after`) {
		t.Fatalf("second post: %d %q %.300s", a.status, a.header.Get("Retry-After"), a.body)
	}
	if revs := liveReviews(t, rs.s); len(revs) != 1 || revs[0].Text != "first" {
		t.Fatalf("after the refused post: %+v", revs)
	}
}

// The form on a Prolific researcher's page posts to that page's own address, the review is stored
// under the researcher's platform-qualified key, and the answers go back to that page.
func TestReviewFormOnAProlificResearcher(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	page := rs.base + "/prolific/researchers/" + prolificReviewedID
	body, _ := getPage(t, page, 200)
	if !strings.Contains(body, `action="/prolific/researchers/`+prolificReviewedID+`/review#review"`) {
		t.Fatalf("the Prolific page's form does not post to its own address")
	}
	a := postForm(t, page+"/review", reviewValues(rs.secret, 5, 4, 0, 0, "Paid fairly, quick review."))
	if a.status != 303 || a.header.Get("Location") != "/prolific/researchers/"+prolificReviewedID+"?review=saved#review" {
		t.Fatalf("post: %d %q %.300s", a.status, a.header.Get("Location"), a.body)
	}
	revs, err := lookup.ReviewsOf(context.Background(), rs.s, "prolific:"+prolificReviewedID, 10)
	if err != nil || len(revs) != 1 || revs[0].Pay != 5 || revs[0].Text != "Paid fairly, quick review." {
		t.Fatalf("reviews under the Prolific key: %+v %v", revs, err)
	}
	if n := len(liveReviews(t, rs.s)); n != 0 {
		t.Fatalf("%d reviews landed on the MTurk requester", n)
	}
	if again, _ := getPage(t, page, 200); !strings.Contains(again, "Paid fairly, quick review.") {
		t.Error("the Prolific page does not list its review")
	}
	// A refused review is answered with the Prolific page, its form posting there again.
	a = postForm(t, page+"/review", reviewValues(rs.secret, 9, 0, 0, 0, ""))
	if a.status != 400 || !strings.Contains(string(a.body), `action="/prolific/researchers/`+prolificReviewedID+`/review#review"`) {
		t.Fatalf("refused: %d %.300s", a.status, a.body)
	}
	// Reloading the form's address goes to the Prolific page; an MTurk-shaped id is no Prolific researcher.
	res, err := noRedirect.Get(page + "/review")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 303 || res.Header.Get("Location") != "/prolific/researchers/"+prolificReviewedID+"#review" {
		t.Errorf("GET the form's address: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if a = postForm(t, rs.base+"/prolific/researchers/"+formReviewedID+"/review", reviewValues(rs.secret, 4, 0, 0, 0, "")); a.status != 400 {
		t.Errorf("an MTurk id on the Prolific form: %d", a.status)
	}
}

// A token scoped to Prolific reviews Prolific researchers only: an MTurk requester's review
// through it is a 400 naming platform, a Prolific researcher's is saved.
func TestScopedTokenReviews(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	secret, _, err := rs.deps.Ingest.Tokens.CreateFor(context.Background(), "prolific script", platform.Prolific)
	if err != nil {
		t.Fatal(err)
	}
	post := func(body string) answer {
		req, err := http.NewRequest(http.MethodPost, rs.base+"/api/v1/reviews", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return answer{status: res.StatusCode, body: b}
	}
	a := post(`{"requester_id":"` + formReviewedID + `","pay":2}`)
	var er struct {
		Error struct{ Field string } `json:"error"`
	}
	if a.status != 400 || json.Unmarshal(a.body, &er) != nil || er.Error.Field != "platform" {
		t.Errorf("an MTurk review through a Prolific token: %d %s", a.status, a.body)
	}
	if a := post(`{"platform":"prolific","requester_id":"` + prolificReviewedID + `","pay":4}`); a.status != 200 {
		t.Errorf("a Prolific review through a Prolific token: %d %s", a.status, a.body)
	}
}

// Each listed review has a "Report this review" form; posting it records an anonymous reader's
// flag and shows the page again with a notice. The same reader twice counts once.
func TestReviewReportForm(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	page := rs.base + "/requesters/" + formReviewedID
	if a := postForm(t, page+"/review", reviewValues(rs.secret, 1, 0, 0, 0, "Report me")); a.status != 303 {
		t.Fatalf("review: %d", a.status)
	}
	revs := liveReviews(t, rs.s)
	if len(revs) != 1 {
		t.Fatalf("reviews %+v", revs)
	}
	id := revs[0].ID
	body, _ := getPage(t, page, 200)
	for _, want := range []string{`<div class="review" id="review-` + id + `">`, `<form method="post" action="/requesters/` + formReviewedID + `/flag#reviews">`,
		`<input type="hidden" name="review_id" value="` + id + `">`, `<label for="report-` + id + `">Why</label>`,
		`<option value="not_genuine">`, `hidden once 3 readers report it`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for i := 0; i < 2; i++ {
		a := postForm(t, page+"/flag", url.Values{"review_id": {id}, "reason": {"abusive"}})
		if a.status != 200 || !strings.Contains(string(a.body), "Thank you: your report of this review was recorded.") || a.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("report %d: %d %.300s", i+1, a.status, a.body)
		}
	}
	var flaggers uint64
	if err := rs.s.QueryRow(context.Background(), `SELECT flaggers FROM live_reviews WHERE review_id = {id:String}`, store.Args{"id": id}, &flaggers); err != nil || flaggers != 1 {
		t.Fatalf("%d flaggers after one reader's two reports (%v), want 1", flaggers, err)
	}
	if a := postForm(t, page+"/flag", url.Values{"review_id": {id}, "reason": {"nonsense"}}); a.status != 422 {
		t.Errorf("an unknown reason: %d", a.status)
	}
	if a := postForm(t, rs.base+"/prolific/researchers/"+prolificReviewedID+"/flag", url.Values{"review_id": {id}, "reason": {"spam"}}); a.status != 404 {
		t.Errorf("the MTurk review through the Prolific page: %d", a.status)
	}
}
