package web_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

// badgeText is what a badge says: its <title>, after checking the body is a well-formed SVG image.
func badgeText(t *testing.T, url string, status int) string {
	t.Helper()
	body, h := getPage(t, url, status)
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
		t.Errorf("%s: Content-Type %q, want image/svg+xml", url, ct)
	}
	var svg struct {
		XMLName xml.Name
		Title   string `xml:"title"`
	}
	if err := xml.Unmarshal([]byte(body), &svg); err != nil || svg.XMLName.Local != "svg" {
		t.Fatalf("%s: not an SVG (%v): %.200s", url, err, body)
	}
	return svg.Title
}

// Forums embed the badge as an image: a requester without figures, a malformed id and a site
// still loading all answer with an SVG that says so, never an HTML page (a broken image).
func TestBadgeWithoutData(t *testing.T) {
	st := smallSite(t)
	for path, want := range map[string]struct {
		status int
		title  string
	}{
		"/embed/requesters/" + longID + "/badge.svg":       {200, "hitwage: "},
		"/embed/requesters/AXXXXXXXXXXXXX/badge.svg":       {200, "hitwage: no data yet"},
		"/embed/requesters/short/badge.svg":                {400, "hitwage: bad requester id"},
		"/embed/requesters/%3Cscript%3Ealert(1)/badge.svg": {400, "hitwage: bad requester id"},
	} {
		got := badgeText(t, st.base+path, want.status)
		if !strings.HasPrefix(got, want.title) || (want.title == "hitwage: " && !strings.Contains(got, "$")) {
			t.Errorf("%s says %q, want %q", path, got, want.title)
		}
	}
	// A site whose figures are not loaded yet.
	base := serve(t, storetest.New(t))
	if got := badgeText(t, base+"/embed/requesters/AXXXXXXXXXXXXX/badge.svg", 503); got != "hitwage: loading" {
		t.Errorf("badge before the figures load says %q", got)
	}
}

// TestCardWithoutData: like the badge, the card always answers with a card that fits the forum's
// frame and carries the card's CSP: "no reports yet" (200) for a well-formed id without figures,
// a 400 card for a malformed id, a 503 card while the figures load; a requester's card counts in
// the singular when there is one report.
func TestCardWithoutData(t *testing.T) {
	st := smallSite(t)
	for path, want := range map[string]struct {
		status int
		text   string
	}{
		"/embed/requesters/AXXXXXXXXXXXXX/card": {200, "hitwage has no reports of this requester yet."},
		"/embed/requesters/short/card":          {400, "This is not a requester ID."},
	} {
		body, h := getPage(t, st.base+path, want.status)
		if !strings.Contains(body, want.text) || !strings.Contains(body, `class="embed-card"`) ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors *") {
			t.Errorf("%s: %q (CSP %q)", path, body, h.Get("Content-Security-Policy"))
		}
	}
	base := serve(t, storetest.New(t))
	if body, _ := getPage(t, base+"/embed/requesters/AXXXXXXXXXXXXX/card", 503); !strings.Contains(body, "loading") {
		t.Errorf("card before the figures load: %q", body)
	}
}
