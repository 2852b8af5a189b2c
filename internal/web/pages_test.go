package web_test

import (
	"encoding/json"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"net/url"
	"strings"
	"testing"
)

// assertEscaped fails when raw hostile markup appears in a body.
func assertEscaped(t *testing.T, what, body string) {
	t.Helper()
	for _, raw := range []string{"<script>alert", "<img src=x", "<b>bold</b>", "</textarea><script>"} {
		if strings.Contains(body, raw) {
			t.Errorf("%s contains unescaped %q", what, raw)
		}
	}
}

// mturkRequesters are the site's MTurk requesters, by name: the tests written before other
// platforms use MTurk's ids and paths (the demo data has Prolific researchers too).
func mturkRequesters(st site) []*lookup.Requester {
	var out []*lookup.Requester
	for _, r := range st.dir.All() {
		if r.Platform == platform.MTurk {
			out = append(out, r)
		}
	}
	return out
}

// demoRequester is an MTurk requester of the demo data (not the hostile one).
func demoRequester(st site) *lookup.Requester {
	for _, r := range mturkRequesters(st) {
		if r.ID != hostileID && r.Wages.Records > 0 {
			return r
		}
	}
	return nil
}

func TestPages(t *testing.T) {
	st := loadedSite(t)
	r := demoRequester(st)
	groups, err := st.deps.Wages.Groups(t.Context(), r.ID)
	if err != nil || len(groups) == 0 {
		t.Fatalf("groups of %s: %v %v", r.ID, groups, err)
	}
	cases := []struct{ path, want string }{
		{"/", "Best payers"},
		{"/?q=" + url.QueryEscape(r.Name[:4]), r.ID},
		{"/requesters/" + r.ID, "Effective hourly wage"},
		{"/hits/" + groups[0].HitSetID, "Assignable HITs over time"},
		{"/market", "Reward available, by hour"},
	}
	for _, c := range cases {
		body, h := getPage(t, st.base+c.path, 200)
		if !strings.Contains(body, c.want) {
			t.Errorf("%s lacks %q", c.path, c.want)
		}
		if !strings.Contains(body, "Demo data") {
			t.Errorf("%s does not say it shows demo data", c.path)
		}
		if strings.Contains(body, "<script>") || !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: inline script or weak CSP %q", c.path, h.Get("Content-Security-Policy"))
		}
	}
	// The requester page shows its figures, its groups, its two charts and the embed snippets.
	body, _ := getPage(t, st.base+"/requesters/"+r.ID, 200)
	for _, want := range []string{r.ID, "/hits/" + groups[0].HitSetID, "[url=", "badge.svg", "data-chart=",
		`id="wage-histogram"`, `id="wage-trend"`} {
		if !strings.Contains(body, want) {
			t.Errorf("requester page lacks %q", want)
		}
	}
	// An exact id search goes straight to the requester.
	res, err := noRedirect.Get(st.base + "/?q=" + r.ID)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 303 || res.Header.Get("Location") != "/requesters/"+r.ID {
		t.Errorf("exact id search: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestPageErrors(t *testing.T) {
	st := loadedSite(t)
	for path, status := range map[string]int{
		"/requesters/ANOSUCHREQUESTER1":                   404,
		"/requesters/bad<id>":                             400,
		"/hits/3NOSUCHGROUP000000000000000001":            404,
		"/hits/short":                                     400,
		"/api/v1/hits/short":                              400,
		"/oembed?url=" + url.QueryEscape("http://x/nope"): 404, // not this site's page
		"/oembed?url=" + url.QueryEscape("http://evil.example/requesters/A3HWTESTREQ0001"): 404,
		"/oembed?url=" + url.QueryEscape(st.base+"/nope"):                                  400,
	} {
		body, _ := getPage(t, st.base+path, status)
		if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/oembed") {
			var e struct {
				Error struct{ Code, Field string } `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" {
				t.Errorf("%s: want a JSON error, got %.200s", path, body)
			}
			if status == 400 && e.Error.Field == "" {
				t.Errorf("%s: the error must name the field: %.200s", path, body)
			}
		} else if !strings.Contains(body, "<html") {
			t.Errorf("%s: want an HTML error page", path)
		}
	}
}

func TestHostileTextEscapedEverywhere(t *testing.T) {
	st := loadedSite(t)
	pages := map[string]string{
		"requester page": "/requesters/" + hostileID,
		"hit group page": "/hits/" + hostileGroup,
		"search":         "/?q=" + url.QueryEscape("script"),
		"home":           "/",
		"badge":          "/embed/requesters/" + hostileID + "/badge.svg",
		"card":           "/embed/requesters/" + hostileID + "/card",
		"oembed":         "/oembed?url=" + url.QueryEscape(st.base+"/requesters/"+hostileID),
		"hit group api":  "/api/v1/hits/" + hostileGroup,
	}
	for what, path := range pages {
		body, _ := getPage(t, st.base+path, 200)
		assertEscaped(t, what, body)
	}
	body, _ := getPage(t, st.base+"/requesters/"+hostileID, 200)
	if !strings.Contains(body, "&lt;script&gt;alert(&#34;pwn&#34;)&lt;/script&gt;") {
		t.Errorf("requester name not shown escaped")
	}
	// The snippets carry the name too: escaped for HTML inside the textarea, and without BBCode brackets.
	if strings.Contains(body, "[url=") && strings.Contains(body, "[script]") {
		t.Errorf("BBCode snippet lets the name open tags")
	}
	card, h := getPage(t, st.base+"/embed/requesters/"+hostileID+"/card", 200)
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors *") || !strings.Contains(card, "&lt;script&gt;") {
		t.Errorf("card: CSP %q", h.Get("Content-Security-Policy"))
	}
	svg, h := getPage(t, st.base+"/embed/requesters/"+hostileID+"/badge.svg", 200)
	if !strings.HasPrefix(h.Get("Content-Type"), "image/svg+xml") || !strings.Contains(svg, "hitwage") {
		t.Errorf("badge: %s", h.Get("Content-Type"))
	}
	var oe struct {
		Type, HTML, Title string
	}
	getJSON(t, st.base+"/oembed?url="+url.QueryEscape(st.base+"/requesters/"+hostileID), 200, &oe)
	if oe.Type != "rich" || strings.Contains(oe.HTML, "<script>") || !strings.Contains(oe.HTML, "<iframe") {
		t.Errorf("oembed = %+v", oe)
	}
	// maxwidth narrows the card down to 240 pixels; a tighter bound has no answer.
	var sized struct {
		Width, Height int
		HTML          string
	}
	oembed := st.base + "/oembed?url=" + url.QueryEscape(st.base+"/requesters/"+hostileID)
	getJSON(t, oembed+"&maxwidth=300&maxheight=600", 200, &sized)
	if sized.Width != 300 || sized.Height != 150 || !strings.Contains(sized.HTML, `width="300" height="150"`) {
		t.Errorf("oembed maxwidth=300: %+v", sized)
	}
	var e struct {
		Error struct{ Field string } `json:"error"`
	}
	for q, want := range map[string]string{"&maxwidth=100": "maxwidth", "&maxheight=90": "maxheight"} {
		if getJSON(t, oembed+q, 404, &e); e.Error.Field != want {
			t.Errorf("oembed%s: %+v", q, e)
		}
	}
	getJSON(t, oembed+"&maxwidth=wide", 400, &e)
}

func TestPagesInBrowser(t *testing.T) {
	st := loadedSite(t)
	r := demoRequester(st)
	urls := []string{st.base + "/", st.base + "/requesters/" + r.ID, st.base + "/market", st.base + "/requesters/" + hostileID, st.base + "/api"}
	for i, p := range browse(t, urls...) {
		if len(p.ConsoleErrors) > 0 {
			t.Errorf("%s: console errors %v", urls[i], p.ConsoleErrors)
		}
		if len(p.Offsite) > 0 {
			t.Errorf("%s: requests left loopback: %v", urls[i], p.Offsite)
		}
		if p.Rendered != p.Charts {
			t.Errorf("%s: %d of %d charts drew a canvas (screenshot %s)", urls[i], p.Rendered, p.Charts, p.Screenshot)
		}
		if i > 0 && i < 3 && p.Charts == 0 {
			t.Errorf("%s: no charts", urls[i])
		}
	}
}
