package web_test

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
)

type apiRequester struct {
	RequesterID string `json:"requester_id"`
	Name        string `json:"name"`
	Records     uint64 `json:"records"`
	Reporters   uint64 `json:"reporters"`
	Wage        struct {
		EffectiveHourly  *float64 `json:"effective_hourly"`
		NominalHourly    *float64 `json:"nominal_hourly"`
		MedianTaskHourly *float64 `json:"median_task_hourly"`
		ShareBelowFloor  *float64 `json:"share_below_floor"`
	} `json:"wage"`
	Approval struct {
		Approved uint64   `json:"approved"`
		Rejected uint64   `json:"rejected"`
		Rate     *float64 `json:"rate"`
	} `json:"approval"`
	Score      *float64          `json:"score"`
	Grade      *string           `json:"grade"`
	Components []json.RawMessage `json:"components"`
	UpdatedAt  string            `json:"updated_at"`
}

func TestAPIRequester(t *testing.T) {
	st := loadedSite(t)
	r := demoRequester(st)
	var got apiRequester
	h := getJSON(t, st.base+"/api/v1/requesters/"+r.ID, 200, &got)
	if got.RequesterID != r.ID || got.Name != r.Name || got.Records != r.Wages.Records || got.Records == 0 || got.UpdatedAt == "" {
		t.Fatalf("requester = %+v, want %s %q %d records", got, r.ID, r.Name, r.Wages.Records)
	}
	if got.Wage.EffectiveHourly == nil || math.Abs(*got.Wage.EffectiveHourly-*r.Wages.EffectiveHourly) > 0.005 {
		t.Fatalf("effective hourly %v, want %v rounded to the cent", got.Wage.EffectiveHourly, *r.Wages.EffectiveHourly)
	}
	if v := *got.Wage.EffectiveHourly; math.Round(v*100)/100 != v {
		t.Fatalf("money not rounded to the cent: %v", v)
	}
	if got.Approval.Approved != r.Wages.Approved || got.Approval.Rejected != r.Wages.Rejected {
		t.Fatalf("approval %+v", got.Approval)
	}
	if h.Get("ETag") == "" || !strings.Contains(h.Get("Cache-Control"), "max-age") || h.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("headers: %v", h)
	}
	// A matching If-None-Match answers 304.
	req, _ := http.NewRequest("GET", st.base+"/api/v1/requesters/"+r.ID, nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 304 {
		t.Fatalf("If-None-Match: status %d, want 304", res.StatusCode)
	}
}

func TestAPIRequesterErrors(t *testing.T) {
	st := loadedSite(t)
	var e struct {
		Error struct {
			Code, Message, Field string
		} `json:"error"`
	}
	getJSON(t, st.base+"/api/v1/requesters/ANOSUCHREQUESTER1", 404, &e)
	if e.Error.Code != "not_found" {
		t.Fatalf("unknown id: %+v", e)
	}
	getJSON(t, st.base+"/api/v1/requesters/not-an-id", 400, &e)
	if e.Error.Field != "id" {
		t.Fatalf("bad id should name the field: %+v", e)
	}
	getJSON(t, st.base+"/api/v1/requesters?ids=A1,<x>", 400, &e)
	if e.Error.Field != "ids" {
		t.Fatalf("bad ids should name the field: %+v", e)
	}
	getJSON(t, st.base+"/api/v1/requesters?ids=,,,", 400, &e) // commas but no id
	if e.Error.Field != "ids" {
		t.Fatalf("ids without an id: %+v", e)
	}
	getJSON(t, st.base+"/api/v1/search?q=", 400, &e)
	if e.Error.Field != "q" {
		t.Fatalf("empty q: %+v", e)
	}
	getJSON(t, st.base+"/api/v1/search?q=abc&limit=x", 400, &e)
	if e.Error.Field != "limit" {
		t.Fatalf("bad limit: %+v", e)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = "AAAAAAAAAAAAA" + string(rune('A'+i%26)) + string(rune('A'+i/26))
	}
	getJSON(t, st.base+"/api/v1/requesters?ids="+strings.Join(many, ","), 400, &e)
	if e.Error.Field != "ids" || !strings.Contains(e.Error.Message, "100") {
		t.Fatalf("over 100 ids: %+v", e)
	}
}

func TestAPIRequestersBatch(t *testing.T) {
	st := loadedSite(t)
	all := mturkRequesters(st)
	ids := []string{all[0].ID, all[1].ID, "AUNKNOWNREQ00001", all[2].ID}
	var got struct {
		Requesters []apiRequester `json:"requesters"`
		Missing    []string       `json:"missing"`
	}
	getJSON(t, st.base+"/api/v1/requesters?ids="+strings.Join(ids, ","), 200, &got)
	if len(got.Requesters) != 3 || len(got.Missing) != 1 || got.Missing[0] != "AUNKNOWNREQ00001" {
		t.Fatalf("batch = %d found, missing %v", len(got.Requesters), got.Missing)
	}
	for i, want := range []string{all[0].ID, all[1].ID, all[2].ID} {
		if got.Requesters[i].RequesterID != want {
			t.Fatalf("order: got %s at %d, want %s", got.Requesters[i].RequesterID, i, want)
		}
	}
}

func TestAPIHostileTextInJSON(t *testing.T) {
	st := loadedSite(t)
	res, err := http.Get(st.base + "/api/v1/requesters/" + hostileID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(b), "<script>") {
		t.Fatalf("raw <script> in JSON: %s", b)
	}
	var got apiRequester
	if err := json.Unmarshal(b, &got); err != nil || got.Name != hostileName {
		t.Fatalf("name must round-trip exactly: %q %v", got.Name, err)
	}
}

func TestAPISearch(t *testing.T) {
	st := loadedSite(t)
	r := mturkRequesters(st)[5]
	var got struct {
		Results []struct {
			RequesterID string `json:"requester_id"`
		} `json:"results"`
	}
	getJSON(t, st.base+"/api/v1/search?q="+strings.ReplaceAll(r.Name[:5], " ", "+"), 200, &got)
	found := false
	for _, h := range got.Results {
		found = found || h.RequesterID == r.ID
	}
	if !found {
		t.Fatalf("search %q did not find %s", r.Name[:5], r.ID)
	}
}

// A request exactly as worker userscripts send it to Turkopticon 1 gets the shape they parse.
func TestTurkopticon1Compat(t *testing.T) {
	st := loadedSite(t)
	known := mturkRequesters(st)[0]
	res, err := http.Get(st.base + "/api/multi-attrs.php?ids=" + known.ID + "," + hostileID + ",A0UNKNOWNREQ99")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("body must be plain JSON: %v: %s", err, b)
	}
	if string(raw["A0UNKNOWNREQ99"]) != `""` {
		t.Fatalf("unknown id must map to \"\": %s", raw["A0UNKNOWNREQ99"])
	}
	var rq struct {
		Name  string `json:"name"`
		Attrs struct {
			Comm, Pay, Fair, Fast string
		} `json:"attrs"`
		Reviews  int `json:"reviews"`
		TOSFlags int `json:"tos_flags"`
	}
	if err := json.Unmarshal(raw[hostileID], &rq); err != nil {
		t.Fatal(err)
	}
	// The hostile requester has one review: pay 2, fair 3, comm 4, fast 5, sent as two-decimal strings.
	if rq.Name != hostileName || rq.Attrs.Pay != "2.00" || rq.Attrs.Fair != "3.00" || rq.Attrs.Comm != "4.00" || rq.Attrs.Fast != "5.00" {
		t.Fatalf("TO1 attrs = %+v", rq)
	}
	if err := json.Unmarshal(raw[known.ID], &rq); err != nil || rq.Attrs.Pay == "" {
		t.Fatalf("known requester: %+v %v", rq, err)
	}
}

func TestTurkopticon2Compat(t *testing.T) {
	st := loadedSite(t)
	r := demoRequester(st)
	var got struct {
		Data []struct {
			Type       string `json:"type"`
			ID         string `json:"id"`
			Attributes struct {
				RID        string `json:"rid"`
				Aggregates struct {
					All struct {
						Reward    []float64 `json:"reward"`
						Pending   *float64  `json:"pending"`
						Comm      []uint64  `json:"comm"`
						Recommend []uint64  `json:"recommend"`
						Rejected  []uint64  `json:"rejected"`
						TOS       []uint64  `json:"tos"`
						Broken    []uint64  `json:"broken"`
					} `json:"all"`
					Recent json.RawMessage `json:"recent"`
				} `json:"aggregates"`
			} `json:"attributes"`
		} `json:"data"`
	}
	getJSON(t, st.base+"/requesters?rids="+r.ID+",AUNKNOWNREQ00001&fields%5Brequesters%5D=rid,aggregates", 200, &got)
	if len(got.Data) != 1 || got.Data[0].Type != "requesters" || got.Data[0].Attributes.RID != r.ID || got.Data[0].Attributes.Aggregates.Recent == nil {
		t.Fatalf("TO2 = %+v", got)
	}
	all := got.Data[0].Attributes.Aggregates.All
	if len(all.Reward) != 2 || len(all.Comm) != 2 || len(all.Recommend) != 2 || len(all.Rejected) != 1 || len(all.TOS) != 1 || len(all.Broken) != 1 {
		t.Fatalf("TO2 aggregate shape: %+v", all)
	}
	// What scripts compute: reward[0] / reward[1] * 3600 is our effective hourly wage.
	hourly := all.Reward[0] / all.Reward[1] * 3600
	if math.Abs(hourly-*r.Wages.EffectiveHourly) > 0.05 {
		t.Fatalf("scripts would show $%.2f/h, our effective wage is $%.2f/h", hourly, *r.Wages.EffectiveHourly)
	}
}
