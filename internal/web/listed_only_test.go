package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/histories"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// A Prolific researcher whose studies participants' userscripts relayed, and whom nobody has
// reported yet, has a page: the listings with their labelled estimate, under the researcher's
// id (a relayed listing names no one).
func TestListedOnlyResearcherPage(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	st := []histories.Study{{ID: "6f9b2c3d4e5f60718293a4b1", Name: "A study of <b>tables</b>", ResearcherID: "5f9b2c3d4e5f60718293a4b1",
		ResearcherName: "Relayed Name Lab", Currency: "GBP", Reward: "1.50", HourlyRate: "9.00", EstimatedMinutes: 10, Places: 50}}
	if _, _, err := histories.StoreStudies(ctx, s, "relay", time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC), st); err != nil {
		t.Fatal(err)
	}
	site := serveComputed(t, s)
	res, err := http.Get(site.base + "/prolific/researchers/5f9b2c3d4e5f60718293a4b1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	if res.StatusCode != 200 || !strings.Contains(body, "advertised, not reported: £9.00/h") || !strings.Contains(body, "5f9b2c3d4e5f60718293a4b1") {
		t.Fatalf("listed-only researcher page: %d", res.StatusCode)
	}
	if strings.Contains(body, "Relayed Name Lab") || strings.Contains(body, "<b>tables</b>") {
		t.Errorf("the page shows a relayed name, or a title unescaped")
	}
}
