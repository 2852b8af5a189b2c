package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
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

func TestReviewsPostEditDelete(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	ctx := context.Background()
	post := func(body string) answer { return e.do(t, "POST", "/api/v1/reviews", e.token, body) }

	a := post(`{"requester_id":"` + reviewedID + `","pay":2,"fairness":4,"communication":3,"promptness":5,"text":"Paid late <b>but</b> paid","worker_id":"AWORKERSECRET01"}`)
	if a.status != 200 {
		t.Fatalf("post: %d %s", a.status, a.body)
	}
	// Editing: the same worker posts again; one live review with the new figures.
	a = post(`{"requester_id":"` + reviewedID + `","pay":3,"fairness":4,"communication":3,"promptness":5,"text":"Better now","worker_id":"AWORKERSECRET01"}`)
	if a.status != 200 {
		t.Fatalf("edit: %d %s", a.status, a.body)
	}
	// Another reviewer, through the token itself.
	if a = post(`{"requester_id":"` + reviewedID + `","pay":5,"fairness":5,"communication":5,"promptness":5,"text":""}`); a.status != 200 {
		t.Fatalf("second reviewer: %d %s", a.status, a.body)
	}
	revs, err := lookup.ReviewsOf(ctx, e.s, reviewedID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 {
		t.Fatalf("%d live reviews, want 2 (one per reviewer)", len(revs))
	}
	var texts []string
	for _, r := range revs {
		texts = append(texts, r.Text)
	}
	if !strings.Contains(strings.Join(texts, "|"), "Better now") || strings.Contains(strings.Join(texts, "|"), "Paid late") {
		t.Fatalf("the edit did not replace the review: %q", texts)
	}
	var leaked uint64
	if err := e.s.QueryRow(ctx, "SELECT count() FROM reviews WHERE position(reporter, 'AWORKERSECRET01') > 0 OR position(text, 'AWORKERSECRET01') > 0", nil, &leaked); err != nil || leaked != 0 {
		t.Fatalf("worker id stored: %d %v", leaked, err)
	}

	// Withdrawing: the worker's review goes, the other stays; a second delete finds nothing.
	if a = e.do(t, "DELETE", "/api/v1/reviews/"+reviewedID+"?worker_id=AWORKERSECRET01", e.token, ""); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	if a = e.do(t, "DELETE", "/api/v1/reviews/"+reviewedID+"?worker_id=AWORKERSECRET01", e.token, ""); a.status != 404 {
		t.Fatalf("second delete: %d %s", a.status, a.body)
	}
	if revs, _ = lookup.ReviewsOf(ctx, e.s, reviewedID, 10); len(revs) != 1 || revs[0].Pay != 5 {
		t.Fatalf("after delete: %+v", revs)
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
	if a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`","pay":3,"fairness":3,"communication":3,"promptness":3,"stars":9}`); a.status != 400 {
		t.Fatalf("unknown field: %d %s", a.status, a.body)
	}
	if a = e.do(t, "POST", "/api/v1/reviews", e.token, `{"requester_id":"`+reviewedID+`","pay":3,"fairness":3,"communication":3,"promptness":3,"text":"`+strings.Repeat("x", 5001)+`"}`); a.status != 422 {
		t.Fatalf("long text: %d", a.status)
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
