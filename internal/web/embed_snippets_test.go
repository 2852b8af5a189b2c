package web_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/records"
)

var snippetRE = regexp.MustCompile(`(?s)<strong>([^<]*)</strong></label>\s*<textarea class="snippet" id="snippet-\d+" readonly>(.*?)</textarea>`)

// The Markdown snippet's alt text carries no HTML-special characters or brackets from a hostile
// requester name (a Markdown engine with raw HTML on copies it into the alt attribute); the BBCode
// and HTML snippets keep the name as before, escaped their own way.
func TestMarkdownSnippetAltText(t *testing.T) {
	st := smallSite(t)
	const id = "AEVILNAME0000001"
	name := `Evil <script>alert(1)</script>"><img src=x onerror=alert(1)> [x](javascript:y) \` + "`code` O'Brien & Sons\nline two"
	ctx := context.Background()
	h, err := records.NewHasher([]byte("small-site-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	for i := 0; i < 6; i++ {
		fin := time.Date(2026, 11, 19, 10+i, 0, 0, 0, time.UTC)
		recs = append(recs, records.Record{RequesterID: id, RequesterName: name, HitSetID: "3EVILGROUP00000000000000000001", Title: "t",
			AssignmentID: fmt.Sprintf("3EVILASSIGN%019d", i), Reporter: h.Reporter("worker", fmt.Sprintf("AEVILWORKER%04d", i)),
			Reward: decimal.RequireFromString("1.00"), FinishedAt: &fin, DurationSeconds: 300, Status: records.Approved, Source: "test", ReceivedAt: fin})
	}
	if err := records.Insert(ctx, st.store, recs); err != nil {
		t.Fatal(err)
	}
	if err := st.deps.Wages.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.dir.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if r, ok := st.dir.Get(id); !ok || r.Name != name {
		t.Fatalf("fixture: requester %s is not named %q", id, name)
	}
	body, _ := getPage(t, st.base+"/requesters/"+id, 200)
	snippets := map[string]string{}
	for _, m := range snippetRE.FindAllStringSubmatch(body, -1) {
		snippets[m[1]] = html.UnescapeString(m[2])
	}
	page, badge := st.base+"/requesters/"+id, st.base+"/embed/requesters/"+id+"/badge.svg"
	md := snippets["Markdown"]
	prefix, suffix := "[![", "]("+badge+")]("+page+")"
	if !strings.HasPrefix(md, prefix) || !strings.HasSuffix(md, suffix) {
		t.Fatalf("Markdown snippet %q is not [![alt](badge)](page)", md)
	}
	alt := strings.TrimSuffix(strings.TrimPrefix(md, prefix), suffix)
	if strings.ContainsAny(alt, "<>\"'&[]\\`\n") {
		t.Errorf("Markdown alt text %q keeps characters that are special in HTML or Markdown", alt)
	}
	for _, want := range []string{"hitwage: Evil scriptalert(1)/script", "O’Brien ＆ Sons line two"} {
		if !strings.Contains(alt, want) {
			t.Errorf("Markdown alt text %q lacks %q", alt, want)
		}
	}
	bb := strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(name)
	if want := fmt.Sprintf("[url=%s][img]%s[/img][/url] hitwage: %s", page, badge, bb); snippets["BBCode"] != want {
		t.Errorf("BBCode snippet = %q, want %q", snippets["BBCode"], want)
	}
	if want := fmt.Sprintf(`<a href="%s"><img src="%s" alt="%s" height="20"></a>`, page, badge, html.EscapeString("hitwage: "+name)); snippets["HTML"] != want {
		t.Errorf("HTML snippet = %q, want %q", snippets["HTML"], want)
	}
}
