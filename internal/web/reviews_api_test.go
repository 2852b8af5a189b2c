package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/store"
)

func (e *ingestEnv) do(t *testing.T, method, path, token, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, e.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: b}
}

const reviewedID = "AREVIEWED000001"

// A review is its token's (issue 22): posting again through the token edits it, whatever worker a
// relaying script names; a second token naming the same worker writes a review of its own, and
// neither replaces nor withdraws the other. A plain token writing for a second worker is refused
// (409) rather than overwrite the first one's review.
func TestReviewsPostEditDelete(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	ctx := context.Background()
	other, _, err := e.svc.Tokens.Create(ctx, "someone else")
	if err != nil {
		t.Fatal(err)
	}
	post := func(token, body string) answer { return e.do(t, "POST", "/api/v1/reviews", token, body) }
	texts := func() string {
		t.Helper()
		revs, err := lookup.ReviewsOf(ctx, e.s, reviewedID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range revs {
			out = append(out, r.Text)
		}
		sort.Strings(out)
		return strings.Join(out, "|")
	}

	if a := post(e.token, `{"requester_id":"`+reviewedID+`","pay":2,"fairness":4,"communication":3,"promptness":5,"text":"Paid late <b>but</b> paid","worker_id":"AWORKERSECRET01"}`); a.status != 200 {
		t.Fatalf("post: %d %s", a.status, a.body)
	}
	// Editing: the same token, the same worker; one live review with the new figures.
	if a := post(e.token, `{"requester_id":"`+reviewedID+`","pay":3,"fairness":4,"communication":3,"promptness":5,"text":"Better now","worker_id":"AWORKERSECRET01"}`); a.status != 200 {
		t.Fatalf("edit: %d %s", a.status, a.body)
	}
	if got := texts(); got != "Better now" {
		t.Fatalf("after the edit: %q", got)
	}
	// A second token naming the same worker holds a review of its own: both stay.
	if a := post(other, `{"requester_id":"`+reviewedID+`","pay":1,"text":"Second token","worker_id":"AWORKERSECRET01"}`); a.status != 200 {
		t.Fatalf("a second token naming the same worker: %d %s", a.status, a.body)
	}
	if got := texts(); got != "Better now|Second token" {
		t.Fatalf("two tokens naming one worker: %q, want both reviews", got)
	}
	// The first token for another worker: refused, the first worker's review kept.
	var er struct {
		Error struct{ Code, Field string } `json:"error"`
	}
	if a := post(e.token, `{"requester_id":"`+reviewedID+`","pay":5,"text":"Someone else","worker_id":"AWORKERSECRET02"}`); a.status != 409 ||
		json.Unmarshal(a.body, &er) != nil || er.Error.Field != "worker_id" || er.Error.Code != "token_has_review" {
		t.Fatalf("one token for a second worker: %d %s", a.status, a.body)
	}
	if got := texts(); got != "Better now|Second token" {
		t.Fatalf("after the refusal: %q", got)
	}
	var leaked uint64
	if err := e.s.QueryRow(ctx, "SELECT count() FROM reviews WHERE position(reporter, 'AWORKERSECRET01') > 0 OR position(text, 'AWORKERSECRET01') > 0 OR position(worker, 'AWORKERSECRET01') > 0 OR reporter = {w:String}",
		store.Args{"w": e.h.Reporter("worker", "AWORKERSECRET01")}, &leaked); err != nil || leaked != 0 {
		t.Fatalf("worker id or its pseudonym as a reporter stored: %d %v", leaked, err)
	}

	// Withdrawing: the second token's review goes, the first token's stays; a second delete finds nothing.
	if a := e.do(t, "DELETE", "/api/v1/reviews/"+reviewedID+"?worker_id=AWORKERSECRET01", other, ""); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	if a := e.do(t, "DELETE", "/api/v1/reviews/"+reviewedID+"?worker_id=AWORKERSECRET01", other, ""); a.status != 404 {
		t.Fatalf("second delete: %d %s", a.status, a.body)
	}
	if got := texts(); got != "Better now" {
		t.Fatalf("after the second token's withdrawal: %q", got)
	}
	// The first token withdraws without naming the worker: the review is the token's.
	if a := e.do(t, "DELETE", "/api/v1/reviews/"+reviewedID, e.token, ""); a.status != 200 {
		t.Fatalf("delete by the token: %d %s", a.status, a.body)
	}
	if got := texts(); got != "" {
		t.Fatalf("after both withdrawals: %q", got)
	}
}

func TestReviewsRejectBadInput(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	var er struct {
		Error struct {
			Code, Field string
			Errors      []struct{ Field string } `json:"errors"`
		} `json:"error"`
	}
	a := e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"nope","pay":0,"fairness":6,"communication":3,"promptness":3,"text":"x"}`)
	if a.status != 422 || json.Unmarshal(a.body, &er) != nil {
		t.Fatalf("bad review: %d %s", a.status, a.body)
	}
	fields := map[string]bool{}
	for _, p := range er.Error.Errors {
		fields[p.Field] = true
	}
	if !fields["requester_id"] || !fields["pay"] || !fields["fairness"] || fields["communication"] {
		t.Fatalf("problems should name requester_id, pay and fairness only: %s", a.body)
	}
	if a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`","pay":3,"fairness":3,"communication":3,"promptness":3,"stars":9}`); a.status != 400 ||
		json.Unmarshal(a.body, &er) != nil || er.Error.Field != "stars" {
		t.Fatalf("unknown field: %d %s", a.status, a.body)
	}
	// A value of the wrong type names its field, as a bad rating does, in the API's words, not Go's.
	for _, c := range []struct{ body, field string }{
		{`"pay":1.5`, "pay"}, {`"fairness":"x"`, "fairness"}, {`"promptness":99999999999999999999999`, "promptness"},
		{`"tos_violation":"yes"`, "tos_violation"}, {`"text":5`, "text"},
	} {
		a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`",`+c.body+`}`)
		if a.status != 422 || json.Unmarshal(a.body, &er) != nil || er.Error.Field != c.field ||
			strings.Contains(string(a.body), "Go struct") || strings.Contains(string(a.body), "Input.") {
			t.Fatalf("%s: %d %s", c.body, a.status, a.body)
		}
	}
	if a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":`); a.status != 400 || json.Unmarshal(a.body, &er) != nil || er.Error.Field != "body" {
		t.Fatalf("truncated body: %d %s", a.status, a.body)
	}
	if a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`","pay":3}{"x":1}`); a.status != 400 || json.Unmarshal(a.body, &er) != nil || er.Error.Field != "body" {
		t.Fatalf("trailing data: %d %s", a.status, a.body)
	}
	// 4,001 characters are too many; the error names the field and says characters are counted.
	if a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`","pay":3,"text":"`+strings.Repeat("ü", 4001)+`"}`); a.status != 422 ||
		!strings.Contains(string(a.body), `"field":"text"`) || !strings.Contains(string(a.body), "is 4001 characters; at most 4000 (Unicode characters, not bytes)") {
		t.Fatalf("long text: %d %.300s", a.status, a.body)
	}
	// An empty review (no rating, no text, no flag; null and blanks count as nothing) is named as such.
	for _, body := range []string{`{"requester_id":"` + reviewedID + `"}`,
		`{"requester_id":"` + reviewedID + `","pay":null,"fairness":null,"text":"  ","tos_violation":false,"broken_task":false}`} {
		a = e.do(t, "POST", "/api/v1/reviews", e.token, body)
		if a.status != 422 || json.Unmarshal(a.body, &er) != nil || er.Error.Field != "review" || len(er.Error.Errors) != 1 ||
			!strings.Contains(string(a.body), "review is empty: give at least one rating, a text or a flag") {
			t.Fatalf("empty review %s: %d %s", body, a.status, a.body)
		}
	}
	// A rating given as 0 is not "no rating": leave it out or send null.
	if a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`","promptness":0,"text":"x"}`); a.status != 422 ||
		json.Unmarshal(a.body, &er) != nil || er.Error.Field != "promptness" {
		t.Fatalf("explicit 0: %d %s", a.status, a.body)
	}
	// A relaying script's worker_id must look like a worker id: it is hashed into the reviewer's
	// pseudonym, so a typo would file the review under a stranger.
	for _, do := range []func() answer{
		func() answer {
			return e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`","pay":3,"worker_id":"bob"}`)
		},
		func() answer { return e.do(t, "DELETE", "/api/v1/reviews/"+reviewedID+"?worker_id=bob", e.token, "") },
	} {
		if a = do(); a.status != 400 || json.Unmarshal(a.body, &er) != nil || er.Error.Field != "worker_id" ||
			!strings.Contains(string(a.body), "a worker id is A followed by 12-20") {
			t.Fatalf("bad worker_id: %d %s", a.status, a.body)
		}
	}
	if a = e.do(t, "POST", "/api/v1/reviews", "", `{}`); a.status != 401 {
		t.Fatalf("no token: %d", a.status)
	}
	if a = e.do(t, "POST", "/api/v1/reviews", "hwt_wrong", `{}`); a.status != 401 {
		t.Fatalf("wrong token: %d", a.status)
	}
	var n uint64
	if err := e.s.QueryRow(context.Background(), "SELECT count() FROM reviews", store.Args{}, &n); err != nil || n != 0 {
		t.Fatalf("rejected reviews were stored: %d %v", n, err)
	}
}

// Ratings are optional and flags count: a review with only a pay rating, one with only a flag,
// 4,000 multi-byte characters; the requester's JSON averages each rating over the reviews that
// give it and counts the flags; the page shows both; the Turkopticon endpoints carry them.
func TestReviewsOptionalRatingsAndFlags(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	ctx := context.Background()
	// Four reviewers: a token is one reviewer, so each posts through a token of its own.
	post := func(body string) {
		t.Helper()
		secret, _, err := rs.deps.Ingest.Tokens.Create(ctx, "reviewer")
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", rs.base+"/api/v1/reviews", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("post %.120s: %d %s", body, res.StatusCode, b)
		}
	}
	long := strings.Repeat("ř", 2000) + strings.Repeat("好", 1999) + "🙂" // 4,000 characters, 9,998 bytes
	rid := `"requester_id":"` + formReviewedID + `"`
	post(`{` + rid + `,"pay":5,"worker_id":"AWORKERONLYPAY1"}`)
	post(`{` + rid + `,"broken_task":true,"worker_id":"AWORKERONLYFLAG"}`)
	post(`{` + rid + `,"pay":2,"fairness":3,"communication":null,"tos_violation":true,"broken_task":true,"text":"` + long + `","worker_id":"AWORKERBOTHFLAG"}`)
	post(`{` + rid + `,"fairness":5,"promptness":4,"worker_id":"AWORKERNOPAY001"}`)

	revs := liveReviews(t, rs.s)
	if len(revs) != 4 {
		t.Fatalf("%d live reviews, want 4", len(revs))
	}
	byText := map[string]int{}
	for i, r := range revs {
		byText[r.Text] = i
	}
	if r := revs[byText[long]]; r.Text != long || r.Pay != 2 || r.Communication != 0 || !r.TOSViolation || !r.BrokenTask {
		t.Errorf("the flagged review with the long text was stored as %+v", r)
	}

	if err := rs.deps.Directory.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Reviews struct {
			Count                                    uint64
			Pay, Fairness, Communication, Promptness *float64
			PayCount                                 uint64 `json:"pay_count"`
			FairnessCount                            uint64 `json:"fairness_count"`
			CommunicationCount                       uint64 `json:"communication_count"`
			PromptnessCount                          uint64 `json:"promptness_count"`
			TOSViolation                             uint64 `json:"tos_violation"`
			BrokenTask                               uint64 `json:"broken_task"`
		}
	}
	getJSON(t, rs.base+"/api/v1/requesters/"+formReviewedID, 200, &doc)
	rv := doc.Reviews
	// pay: 5 and 2 given, (5+2)/2 = 3.5 (counting the two missing pays as 0 would give 1.75);
	// fairness: 3 and 5 -> 4; communication: none -> null; promptness: 4 from one review.
	if rv.Count != 4 || rv.Pay == nil || *rv.Pay != 3.5 || rv.PayCount != 2 || rv.Fairness == nil || *rv.Fairness != 4 ||
		rv.FairnessCount != 2 || rv.Communication != nil || rv.CommunicationCount != 0 || rv.Promptness == nil ||
		*rv.Promptness != 4 || rv.PromptnessCount != 1 || rv.TOSViolation != 1 || rv.BrokenTask != 2 {
		t.Errorf("requester reviews JSON %+v", rv)
	}

	page, _ := getPage(t, rs.base+"/requesters/"+formReviewedID, 200)
	for _, want := range []string{`<div class="figure" id="flags-tos">1</div><div class="muted">of 4 reviews</div>`,
		`<div class="figure" id="flags-broken">2</div>`, `<div class="figure">3.5</div><div class="muted">of 5 · 2 ratings</div>`,
		`<div class="muted">Communication</div><div class="figure">—</div>`,
		`<span class="flag">Flagged: terms-of-service violation</span> <span class="flag">Flagged: broken task</span>`,
		`pay 5 · fairness — · communication — · promptness —`} {
		if !strings.Contains(page, want) {
			t.Errorf("requester page lacks %s", want)
		}
	}
	if n := strings.Count(page, `<span class="flag">Flagged: broken task</span>`); n != 2 {
		t.Errorf("%d reviews shown flagging a broken task, want 2", n)
	}

	var to1 map[string]struct {
		Attrs    struct{ Pay, Comm string }
		TOSFlags uint64 `json:"tos_flags"`
	}
	getJSON(t, rs.base+"/api/multi-attrs.php?ids="+formReviewedID, 200, &to1)
	// comm: no review rates it, so it stays "0.00"; pay is the reviews' 3.50, not a wage-based figure.
	if got := to1[formReviewedID]; got.TOSFlags != 1 || got.Attrs.Pay != "3.50" || got.Attrs.Comm != "0.00" {
		t.Errorf("Turkopticon 1 answer %+v", got)
	}
	var to2 struct {
		Data []struct {
			Attributes struct {
				Aggregates struct {
					All struct {
						Comm, Recommend [2]uint64
						TOS, Broken     [1]uint64
					} `json:"all"`
				} `json:"aggregates"`
			} `json:"attributes"`
		} `json:"data"`
	}
	getJSON(t, rs.base+"/requesters?rids="+formReviewedID+"&fields%5Brequesters%5D=rid,aggregates", 200, &to2)
	if len(to2.Data) != 1 {
		t.Fatalf("Turkopticon 2: %+v", to2)
	}
	// recommend counts reviews rating both pay and fairness: only the 2/3 one, which is not a yes.
	if ag := to2.Data[0].Attributes.Aggregates.All; ag.TOS != [1]uint64{1} || ag.Broken != [1]uint64{2} ||
		ag.Comm != [2]uint64{0, 0} || ag.Recommend != [2]uint64{0, 1} {
		t.Errorf("Turkopticon 2 aggregates %+v", ag)
	}
}

// A Prolific review names its platform: the researcher's id is checked against Prolific's shape,
// the review is stored under the platform-qualified key, shows on the researcher's JSON after the
// next refresh, and is withdrawn with ?platform=prolific, as the researcher is read.
func TestReviewsOnAProlificResearcher(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	ctx := context.Background()
	do := func(method, path, body string) answer {
		t.Helper()
		req, _ := http.NewRequest(method, rs.base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+rs.secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return answer{status: res.StatusCode, header: res.Header, body: b}
	}
	var er struct {
		Error struct {
			Code, Field string
			Errors      []struct{ Field string } `json:"errors"`
		} `json:"error"`
	}
	refused := func(a answer, status int, field string) {
		t.Helper()
		er.Error.Field = ""
		if a.status != status || json.Unmarshal(a.body, &er) != nil || er.Error.Field != field {
			t.Fatalf("want %d naming %s: %d %s", status, field, a.status, a.body)
		}
	}
	// Refused: an unknown platform, an MTurk id named as Prolific's, a Prolific id without the
	// platform (read as MTurk's), a worker id of MTurk's shape on Prolific.
	refused(do("POST", "/api/v1/reviews", `{"platform":"toloka","requester_id":"`+prolificReviewedID+`","pay":4}`), 400, "platform")
	refused(do("POST", "/api/v1/reviews", `{"platform":"prolific","requester_id":"`+formReviewedID+`","pay":4}`), 422, "requester_id")
	refused(do("POST", "/api/v1/reviews", `{"requester_id":"`+prolificReviewedID+`","pay":4}`), 422, "requester_id")
	refused(do("POST", "/api/v1/reviews", `{"platform":"prolific","requester_id":"`+prolificReviewedID+`","pay":4,"worker_id":"AWORKERSECRET01"}`), 400, "worker_id")
	// A researcher hitwage has no reports of cannot be reviewed.
	refused(do("POST", "/api/v1/reviews", `{"platform":"prolific","requester_id":"aaaaaaaaaaaaaaaaaaaaaaaa","pay":4}`), 404, "requester_id")

	a := do("POST", "/api/v1/reviews", `{"platform":"prolific","requester_id":"`+prolificReviewedID+`","pay":4,"fairness":5,"text":"Clear study, paid on time.","worker_id":"5e9d8c7b6a5f4e3d2c1b0a99"}`)
	var ok struct {
		Stored      bool
		RequesterID string `json:"requester_id"`
		Platform    string
	}
	if a.status != 200 || json.Unmarshal(a.body, &ok) != nil || !ok.Stored || ok.RequesterID != prolificReviewedID || ok.Platform != "prolific" {
		t.Fatalf("post: %d %s", a.status, a.body)
	}
	var keys []string
	rows, err := rs.s.Query(ctx, "SELECT requester_id FROM reviews FINAL", nil)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if strings.Join(keys, ",") != "prolific:"+prolificReviewedID {
		t.Fatalf("reviews stored under %q, want the Prolific key only", keys)
	}

	if err := rs.deps.Directory.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Platform string
		Reviews  struct {
			Count uint64
			Pay   *float64
		}
	}
	getJSON(t, rs.base+"/api/v1/requesters/"+prolificReviewedID+"?platform=prolific", 200, &doc)
	if doc.Reviews.Count != 1 || doc.Reviews.Pay == nil || *doc.Reviews.Pay != 4 {
		t.Fatalf("the researcher's JSON after the refresh: %+v", doc)
	}
	var mturk struct{ Reviews struct{ Count uint64 } }
	getJSON(t, rs.base+"/api/v1/requesters/"+formReviewedID, 200, &mturk)
	if mturk.Reviews.Count != 0 {
		t.Fatalf("the MTurk requester shows %d reviews", mturk.Reviews.Count)
	}

	// Withdrawing: the path's id is read on the platform ?platform= names.
	refused(do("DELETE", "/api/v1/reviews/"+prolificReviewedID+"?worker_id=5e9d8c7b6a5f4e3d2c1b0a99", ""), 400, "id")
	refused(do("DELETE", "/api/v1/reviews/"+prolificReviewedID+"?platform=upwork", ""), 400, "platform")
	// Naming another worker than the review was written for is refused; naming none withdraws
	// the token's review, whichever worker it named.
	refused(do("DELETE", "/api/v1/reviews/"+prolificReviewedID+"?platform=prolific&worker_id=5e9d8c7b6a5f4e3d2c1b0a98", ""), 409, "worker_id")
	a = do("DELETE", "/api/v1/reviews/"+prolificReviewedID+"?platform=prolific", "")
	if a.status != 200 || !strings.Contains(string(a.body), `"requester_id":"`+prolificReviewedID+`"`) || !strings.Contains(string(a.body), `"platform":"prolific"`) {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	if revs, err := lookup.ReviewsOf(ctx, rs.s, "prolific:"+prolificReviewedID, 10); err != nil || len(revs) != 0 {
		t.Fatalf("after the withdrawal: %+v %v", revs, err)
	}
}

// send makes a request to the review site with an optional token and headers (name, value, ...).
func (rs reviewSite) send(t *testing.T, method, path, token, body string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, rs.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: b}
}

// listedReviews is GET /api/v1/reviews/{id} of the MTurk requester formReviewedID.
type listedReviews struct {
	RequesterID string `json:"requester_id"`
	Platform    string
	Reviews     []struct {
		ID          string
		Pay         *int
		Text        string
		PossiblyOwn bool `json:"possibly_own"`
	}
}

func (rs reviewSite) listed(t *testing.T) listedReviews {
	t.Helper()
	var l listedReviews
	getJSON(t, rs.base+"/api/v1/reviews/"+formReviewedID, 200, &l)
	return l
}

// reviewsDoc is the reviews object of the requester's JSON, after a directory refresh.
func (rs reviewSite) reviewsDoc(t *testing.T) (count uint64, pay *float64, payN uint64) {
	t.Helper()
	if err := rs.deps.Directory.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Reviews struct {
			Count    uint64
			Pay      *float64
			PayCount uint64 `json:"pay_count"`
		}
	}
	getJSON(t, rs.base+"/api/v1/requesters/"+formReviewedID, 200, &doc)
	return doc.Reviews.Count, doc.Reviews.Pay, doc.Reviews.PayCount
}

// The self-review rule: a token whose task reports are all for the requester it reviews with 5
// stars is possibly the requester's own. Its review is listed and labelled, and moves neither the
// averages nor the count.
func TestReviewsPossiblyTheRequestersOwn(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	ctx := context.Background()
	self, _, err := rs.deps.Ingest.Tokens.Create(ctx, "the requester's own script")
	if err != nil {
		t.Fatal(err)
	}
	var batch []string
	for i := 0; i < 3; i++ {
		batch = append(batch, strings.Replace(rec(500+i, ""), "A3HWTESTREQ0001", formReviewedID, 1))
	}
	if a := rs.send(t, "POST", "/api/v1/reports", self, "["+strings.Join(batch, ",")+"]"); a.status != 200 {
		t.Fatalf("the requester's reports: %d %s", a.status, a.body)
	}
	if a := rs.send(t, "POST", "/api/v1/reviews", rs.secret, `{"requester_id":"`+formReviewedID+`","pay":2,"text":"Underpays."}`); a.status != 200 {
		t.Fatalf("a worker's review: %d %s", a.status, a.body)
	}
	count, pay, payN := rs.reviewsDoc(t)
	if count != 1 || pay == nil || *pay != 2 || payN != 1 {
		t.Fatalf("before: %d reviews, pay %v from %d", count, pay, payN)
	}
	five := `{"requester_id":"` + formReviewedID + `","pay":5,"fairness":5,"communication":5,"promptness":5,"text":"Best requester on the site!"}`
	if a := rs.send(t, "POST", "/api/v1/reviews", self, five); a.status != 200 {
		t.Fatalf("the requester's review: %d %s", a.status, a.body)
	}
	if count, pay, payN := rs.reviewsDoc(t); count != 1 || pay == nil || *pay != 2 || payN != 1 {
		t.Fatalf("the requester's own 5 stars moved the figures: %d reviews, pay %v from %d", count, pay, payN)
	}
	l := rs.listed(t)
	if len(l.Reviews) != 2 || l.RequesterID != formReviewedID || l.Platform != "mturk" {
		t.Fatalf("listed %+v", l)
	}
	for _, r := range l.Reviews {
		if r.PossiblyOwn != (r.Text == "Best requester on the site!") {
			t.Errorf("possibly_own %v for %q", r.PossiblyOwn, r.Text)
		}
	}
	page, _ := getPage(t, rs.base+"/requesters/"+formReviewedID, 200)
	if n := strings.Count(page, `<p class="review-own"><strong>Possibly the requester's own review:</strong>`); n != 1 ||
		!strings.Contains(page, "Best requester on the site!") || !strings.Contains(page, `of 5 · 1 rating</div>`) {
		t.Errorf("the page shows %d own labels (want 1), or lacks the own review, or counts it", n)
	}
}

// Readers' flags (POST /api/v1/reviews/{id}/flags): three independent flaggers hide a review,
// not two; the same flagger twice counts once. A hidden review leaves the page, the listing and
// the averages, and stays in the store.
func TestReviewsFlaggedAway(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	ctx := context.Background()
	if a := rs.send(t, "POST", "/api/v1/reviews", rs.secret, `{"requester_id":"`+formReviewedID+`","pay":1,"text":"Buy cheap followers at spam.example"}`); a.status != 200 {
		t.Fatalf("review: %d %s", a.status, a.body)
	}
	l := rs.listed(t)
	if len(l.Reviews) != 1 || len(l.Reviews[0].ID) != 24 {
		t.Fatalf("listed %+v", l)
	}
	id := l.Reviews[0].ID
	if strings.Contains(rs.h.Reporter("token", rs.tokID), id) {
		t.Fatal("the public id is part of the reporter pseudonym")
	}
	flag := func(token string, hdr ...string) answer {
		t.Helper()
		return rs.send(t, "POST", "/api/v1/reviews/"+formReviewedID+"/flags", token, `{"review_id":"`+id+`","reason":"spam"}`, hdr...)
	}
	var ok struct {
		Flagged, Hidden bool
		ReviewID        string `json:"review_id"`
	}
	tokens := make([]string, 2)
	for i := range tokens {
		var err error
		if tokens[i], _, err = rs.deps.Ingest.Tokens.Create(ctx, "reader"); err != nil {
			t.Fatal(err)
		}
	}
	// Flagger 1 (a token) twice, flagger 2 (this anonymous reader's address) twice: two flaggers.
	for _, tok := range []string{tokens[0], tokens[0], "", ""} {
		if a := flag(tok); a.status != 200 || json.Unmarshal(a.body, &ok) != nil || !ok.Flagged || ok.Hidden || ok.ReviewID != id {
			t.Fatalf("flag: %d %s", a.status, a.body)
		}
	}
	if l := rs.listed(t); len(l.Reviews) != 1 {
		t.Fatal("hidden by two flaggers")
	}
	if count, _, _ := rs.reviewsDoc(t); count != 1 {
		t.Fatalf("%d reviews counted after two flaggers, want 1", count)
	}
	// An anonymous flag from another site's page is refused: it would make every visitor a flagger.
	if a := flag("", "Origin", "https://elsewhere.example"); a.status != 403 || !strings.Contains(string(a.body), `"code":"cross_site"`) {
		t.Fatalf("cross-site anonymous flag: %d %s", a.status, a.body)
	}
	if a := flag("", "Sec-Fetch-Site", "cross-site"); a.status != 403 {
		t.Fatalf("cross-site anonymous flag (Sec-Fetch-Site): %d %s", a.status, a.body)
	}
	// The third flagger hides it.
	if a := flag(tokens[1]); a.status != 200 || json.Unmarshal(a.body, &ok) != nil || !ok.Hidden {
		t.Fatalf("third flagger: %d %s", a.status, a.body)
	}
	if l := rs.listed(t); len(l.Reviews) != 0 {
		t.Fatalf("listed after three flaggers: %+v", l)
	}
	if page, _ := getPage(t, rs.base+"/requesters/"+formReviewedID, 200); strings.Contains(page, "spam.example") {
		t.Error("the page still shows the hidden review")
	}
	if count, pay, _ := rs.reviewsDoc(t); count != 0 || pay != nil {
		t.Fatalf("the hidden review still counts: %d reviews, pay %v", count, pay)
	}
	var kept uint64
	if err := rs.s.QueryRow(ctx, `SELECT count() FROM review_history WHERE position(text, 'spam.example') > 0`, nil, &kept); err != nil || kept != 1 {
		t.Fatalf("the hidden review's history: %d rows, %v", kept, err)
	}

	// Refusals name their field.
	var er struct {
		Error struct{ Code, Field string } `json:"error"`
	}
	for _, c := range []struct {
		body   string
		status int
		field  string
	}{
		{`{"review_id":"nope","reason":"spam"}`, 422, "review_id"},
		{`{"review_id":"` + id + `","reason":"boring"}`, 422, "reason"},
		{`{"review_id":"000000000000000000000000","reason":"spam"}`, 404, "review_id"},
		{`{"review_id":"` + id + `","reason":"spam","extra":1}`, 400, "body"},
	} {
		a := rs.send(t, "POST", "/api/v1/reviews/"+formReviewedID+"/flags", tokens[0], c.body)
		if a.status != c.status || json.Unmarshal(a.body, &er) != nil || er.Error.Field != c.field {
			t.Errorf("%s: %d %s, want %d naming %s", c.body, a.status, a.body, c.status, c.field)
		}
	}
	if a := rs.send(t, "POST", "/api/v1/reviews/"+formReviewedID+"/flags", "hwt_wrong", `{"review_id":"`+id+`","reason":"spam"}`); a.status != 401 {
		t.Errorf("a wrong token: %d", a.status)
	}
}
