package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// Demo data is labelled on every surface it can travel on: JSON and Turkopticon-shaped answers,
// badges, cards, oEmbed and the snippets a forum post pastes; real data carries no such label.
func TestDemoIsLabelledEverywhere(t *testing.T) {
	demoSite, realSite := loadedSite(t), twoPlatformSite(t)
	r := demoRequester(demoSite)
	groups, err := demoSite.deps.Wages.Groups(t.Context(), r.ID)
	if err != nil || len(groups) == 0 {
		t.Fatalf("groups: %v", err)
	}
	surfaces := func(base, req, group string) map[string]string {
		get := func(path string) string {
			body, _ := getPage(t, base+path, 200)
			return body
		}
		return map[string]string{
			"requester JSON":  get("/api/v1/requesters/" + req),
			"batch JSON":      get("/api/v1/requesters?ids=" + req),
			"search JSON":     get("/api/v1/search?q=" + req),
			"market JSON":     get("/api/v1/market"),
			"HIT group JSON":  get("/api/v1/hits/" + group),
			"Turkopticon 1":   get("/api/multi-attrs.php?ids=" + req),
			"Turkopticon 2":   get("/requesters?rids=" + req),
			"badge":           get("/embed/requesters/" + req + "/badge.svg"),
			"card":            get("/embed/requesters/" + req + "/card"),
			"oEmbed":          get("/oembed?url=" + url.QueryEscape(base+"/requesters/"+req)),
			"snippets (page)": get("/requesters/" + req),
		}
	}
	labels := map[string]string{
		"requester JSON": `"demo":true`, "batch JSON": `"demo":true`, "search JSON": `"demo":true`,
		"market JSON": `"demo":true`, "HIT group JSON": `"demo":true`, "Turkopticon 1": `"demo":true`,
		"Turkopticon 2": `"meta":{"demo":true}`, "badge": "hitwage demo", "card": "demo data",
		"oEmbed": "hitwage demo: ", "snippets (page)": "[img]",
	}
	for name, body := range surfaces(demoSite.base, r.ID, groups[0].HitSetID) {
		if !strings.Contains(body, labels[name]) {
			t.Errorf("demo %s lacks %q: %.300s", name, labels[name], body)
		}
	}
	page, _ := getPage(t, demoSite.base+"/requesters/"+r.ID, 200)
	for _, snip := range []string{"[img]", "[![hitwage demo: ", "alt=&#34;hitwage demo: "} {
		if !strings.Contains(page, snip) && !strings.Contains(page, strings.ReplaceAll(snip, "&#34;", "&quot;")) {
			t.Errorf("demo snippets lack %q", snip)
		}
	}
	if _, h := getPage(t, demoSite.base+"/api/v1/export/records.csv", 200); h.Get("X-Hitwage-Demo") != "true" ||
		!strings.HasPrefix(h.Get("X-Hitwage-Stamp"), "DEMO DATA") {
		t.Errorf("a demo export's headers: demo %q, stamp %q", h.Get("X-Hitwage-Demo"), h.Get("X-Hitwage-Stamp"))
	}
	if _, h := getPage(t, realSite.base+"/api/v1/export/records.csv", 200); h.Get("X-Hitwage-Demo") != "" {
		t.Errorf("a real export says demo")
	}
	for name, body := range surfaces(realSite.base, mturkReq, mturkGroup) {
		if strings.Contains(body, `"demo"`) || strings.Contains(body, "hitwage demo") || strings.Contains(body, "demo data") {
			t.Errorf("real data's %s carries a demo label: %.300s", name, body)
		}
	}
}
