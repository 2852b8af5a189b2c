package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/pagerows"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/web"
)

const rowReads = `hitwage_store_reads_total{what="requester_row"}`

// TestPagesFromKeptRows: with requester pages' rows kept (Deps.Pages), every requester page is
// the page the live reads make, byte for byte (hostile text escaped alike), and each is one kept
// row's read rather than the live reads. Pages asked at once share the rows' statements and still
// each get their own requester's page.
func TestPagesFromKeptRows(t *testing.T) {
	st := loadedSite(t)
	ctx := context.Background()
	k := pagerows.New(st.store, st.deps.Wages)
	if n, err := k.Refresh(ctx); err != nil || n == 0 {
		t.Fatalf("rows made: %d, %v", n, err)
	}
	live := st.deps
	live.Limits.Rate = -1 // one client asks for every page
	liveBase := serveDeps(t, live)
	kept := live
	kept.Pages = k
	keptBase, keptOps := serveWithOps(t, kept)

	var ids []string
	for _, r := range st.dir.All() {
		if r.Platform != platform.Prolific { // a researcher's page also reads its study listings live
			ids = append(ids, r.ID)
		}
	}
	if len(ids) < 20 {
		t.Fatalf("only %d requesters", len(ids))
	}
	urls := make([]string, len(ids))
	for i, id := range ids {
		urls[i] = keptBase + "/requesters/" + id
	}
	pages := getAtOnce(urls) // the keeper batches their reads
	for i, id := range ids {
		if pages[i].err != nil || pages[i].status != 200 {
			t.Fatalf("page of %s: %d %v", id, pages[i].status, pages[i].err)
		}
		want, _ := getPage(t, liveBase+"/requesters/"+id, 200)
		if strings.ReplaceAll(pages[i].body, keptBase, "BASE") != strings.ReplaceAll(want, liveBase, "BASE") {
			t.Errorf("the page of %s from its kept row differs from the live one", id)
		}
	}
	if n := metric(t, keptOps, partsReads); n != 0 {
		t.Errorf("%v live parts reads with every row kept", n)
	}
	if n := metric(t, keptOps, rowReads); n != float64(len(ids)) {
		t.Errorf("%v kept row reads for %d pages", n, len(ids))
	}
}

// TestReviewShowsThroughKeptRow: a review posted to the site is on the requester's page at once,
// from the row made again for it, not from a live read.
func TestReviewShowsThroughKeptRow(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	_, base, ops := serveKept(t, rs.deps)
	page := base + "/requesters/" + formReviewedID
	if body, _ := getPage(t, page, 200); strings.Contains(body, "kept-row review") {
		t.Fatal("the review shows before it is posted")
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/reviews", strings.NewReader(`{"requester_id":"`+formReviewedID+`","pay":2,"text":"kept-row review <b>late</b>"}`))
	req.Header.Set("Authorization", "Bearer "+rs.secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		t.Fatalf("posting the review: %d", res.StatusCode)
	}
	body, _ := getPage(t, page, 200)
	if !strings.Contains(body, "kept-row review &lt;b&gt;late&lt;/b&gt;") {
		t.Error("the posted review is not on the page at once (or not escaped)")
	}
	if n := metric(t, ops, partsReads); n != 0 {
		t.Errorf("%v live parts reads: the page after the review should read its row made again", n)
	}
	if n := metric(t, ops, rowReads); n != 2 {
		t.Errorf("%v kept row reads, want 2 (before and after the review)", n)
	}
}

// TestReviewElsewhereBeatsKeptRow: a review another process stored is on the page once the
// directory's snapshot has it, though the requester's kept row (its figures unchanged) was made
// before it; the row is used again once made anew.
func TestReviewElsewhereBeatsKeptRow(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	ctx := context.Background()
	k, base, ops := serveKept(t, rs.deps)
	page := base + "/requesters/" + formReviewedID
	getPage(t, page, 200)
	if n := metric(t, ops, rowReads); n != 1 {
		t.Fatalf("%v kept row reads before the review, want 1", n)
	}
	// Another process (a collector, a second web) stores the review; this site's directory
	// refreshes after it, as the figures job does.
	time.Sleep(3 * time.Millisecond) // the review is stamped after the row's reads began
	a := reviews.AuthorOf(rs.h, rs.tokID, "", false)
	in := reviews.Input{RequesterID: formReviewedID, Pay: reviews.Rating(1), Text: "stored elsewhere"}
	if err := reviews.Save(ctx, rs.s, a, in, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if err := rs.deps.Directory.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if body, _ := getPage(t, page, 200); !strings.Contains(body, "stored elsewhere") {
		t.Error("the directory has the review, the page does not")
	}
	if n := metric(t, ops, partsReads); n != 1 {
		t.Errorf("%v live parts reads, want 1: the row made before the review must not be used", n)
	}
	if n, err := k.Refresh(ctx); err != nil || n != 1 {
		t.Fatalf("refresh after the review made %d rows (%v), want 1", n, err)
	}
	if err := rs.deps.Directory.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if body, _ := getPage(t, page, 200); !strings.Contains(body, "stored elsewhere") {
		t.Error("the row made after the review lacks it")
	}
}

// serveKept makes the rows of deps' store and serves the site reading them; it returns the
// keeper and the site's and its operations endpoints' base URLs.
func serveKept(t *testing.T, deps web.Deps) (*pagerows.Keeper, string, string) {
	t.Helper()
	k := pagerows.New(deps.Store, deps.Wages)
	if _, err := k.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	deps.Pages = k
	base, ops := serveWithOps(t, deps)
	return k, base, ops
}
