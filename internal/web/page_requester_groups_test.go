package web_test

import (
	"regexp"
	"strings"
	"testing"
)

var groupRowRE = regexp.MustCompile(`(?s)<tr><td>(.*?)</td><td class="num">(.*?)</td><td class="num">(.*?)</td>.*?<td class="num">(\d+)</td></tr>`)

// Reports without a HIT group id (the ingest docs allow them) make one "(no HIT group)" row on the
// requester page, without a link (it went to /hits/, a 404) and with "—" for the unknown allotted
// time; the reported group keeps its link.
func TestRequesterPageReportsWithoutHITGroup(t *testing.T) {
	st := smallSite(t)
	body, _ := getPage(t, st.base+"/requesters/"+longID, 200)
	if strings.Contains(body, `href="/hits/"`) {
		t.Errorf("requester page links to /hits/ with no HIT group id")
	}
	table := regexp.MustCompile(`(?s)<h2>HIT groups</h2>.*?</table>`).FindString(body)
	rows := groupRowRE.FindAllStringSubmatch(table, -1)
	if len(rows) != 2 {
		t.Fatalf("want 2 HIT group rows, got %d in %s", len(rows), table)
	}
	byReports := map[string][]string{}
	for _, r := range rows {
		byReports[r[4]] = r[1:4]
	}
	if got := byReports["8"]; got == nil || got[0] != `<a href="/hits/`+longGroup+`">Label photos of cats</a>` || got[2] != "30m 00s" {
		t.Errorf("group row = %q", got)
	}
	// Unrelated tasks have no one reward (nor bonus owed): the row shows none.
	if got := byReports["6"]; got == nil || got[0] != `<span class="muted">(no HIT group)</span>` || got[1] != "—" || got[2] != "—" {
		t.Errorf("row of reports without a HIT group = %q", got)
	}
	// Every link on the page leads somewhere.
	for _, m := range regexp.MustCompile(`href="(/[^"]*)"`).FindAllStringSubmatch(body, -1) {
		if strings.HasPrefix(m[1], "/hits/") || strings.HasPrefix(m[1], "/requesters/") {
			getPage(t, st.base+m[1], 200)
		}
	}
}
