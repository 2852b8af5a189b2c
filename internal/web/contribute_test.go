package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

const contribReq = "A9CONTRIBREQ0001"

// contributeBackup is a worker's MTurk Suite backup (the tool's shape, own values): two paid
// tasks and a rejected one of contribReq, no time on task, an answer never to be stored.
const contributeBackup = `{"hits": {
 "3CONTRIBHIT0000000000000000001": {"hit_id": "3CONTRIBHIT0000000000000000001", "assignment_id": "3CONTRIBASG0000000000000000001",
  "requester_id": "A9CONTRIBREQ0001", "requester_name": "Contrib <i>Lab</i>", "title": "Survey", "reward": {"amount_in_dollars": 2.5, "currency_code": "USD"},
  "state": "Paid", "date": "20260910", "requester_feedback": null, "answer": {"q": "CONTRIB-SECRET"}},
 "3CONTRIBHIT0000000000000000002": {"hit_id": "3CONTRIBHIT0000000000000000002", "assignment_id": "3CONTRIBASG0000000000000000002",
  "requester_id": "A9CONTRIBREQ0001", "requester_name": "Contrib <i>Lab</i>", "title": "Survey", "reward": {"amount_in_dollars": 2.5, "currency_code": null},
  "state": "Paid", "date": "20260911", "requester_feedback": null},
 "3CONTRIBHIT0000000000000000003": {"hit_id": "3CONTRIBHIT0000000000000000003", "assignment_id": "3CONTRIBASG0000000000000000003",
  "requester_id": "A9CONTRIBREQ0001", "requester_name": "Contrib <i>Lab</i>", "title": "Survey", "reward": {"amount_in_dollars": 2.5, "currency_code": "USD"},
  "state": "Rejected", "date": "20260912", "requester_feedback": "too fast"}
 },
 "days": {"20260910": {"date": "20260910", "submitted": 1, "approved": 0, "rejected": 0, "pending": 1, "earnings": "0", "assigned": 1, "returned": null, "abandoned": 0, "paid": 0}}}`

// contributeSite serves the site with the ingest service, reporter hashing and the refresh a
// contribution triggers, on a store holding two timed approved tasks of contribReq from another
// worker.
func contributeSite(t *testing.T) (string, *store.Store) {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	at := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	var recs []records.Record
	for i, asg := range []string{"3CONTRIBASG0000000000000000091", "3CONTRIBASG0000000000000000092"} {
		acc := at.Add(time.Duration(i) * time.Hour)
		fin := acc.Add(10 * time.Minute)
		recs = append(recs, records.Record{RequesterID: contribReq, Reporter: "another-worker", AssignmentID: asg,
			RequesterName: "Contrib Lab", Title: "Survey", Reward: decimal.RequireFromString("2.50"),
			AcceptedAt: &acc, FinishedAt: &fin, DurationSeconds: 600, Status: records.Approved, Source: "test", ReceivedAt: fin})
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	deps := computedDeps(t, s)
	h, err := records.NewHasher([]byte("contribute-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	svc := ingest.NewService(s, h, ingest.Config{})
	t.Cleanup(func() { _ = svc.Close(context.Background()) })
	deps.Ingest, deps.Hasher = svc, h
	deps.Refresh = func(ctx context.Context, ids []string, deleted bool) error { // as cmd/web's
		if deleted {
			deps.Wages.RecordsDeleted()
		}
		if err := deps.Wages.RecomputeRequesters(ctx, ids); err != nil {
			return err
		}
		return deps.Directory.Refresh(ctx)
	}
	return serveDeps(t, deps), s
}

var _ = web.Deps{}

// A worker gets a token on /contribute, uploads their MTurk Suite backup, sees what it holds,
// confirms, and finds the requester's approval figures changed; deleting the contribution
// reverts them.
func TestContributeInBrowser(t *testing.T) {
	base, s := contributeSite(t)
	backup := filepath.Join(t.TempDir(), "HIT_Tracker_Backup_20260930.json")
	if err := os.WriteFile(backup, []byte(contributeBackup), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, log := startBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	visit := 0
	approval := func() (string, string) {
		t.Helper()
		visit++ // pages may be cached by the browser for a minute: each visit asks anew
		u := fmt.Sprintf("%s/requesters/%s?visit=%d", base, contribReq, visit)
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("#approved"))); err != nil {
			t.Fatal(err)
		}
		return text("#approved"), text("#rejected")
	}
	if a, r := approval(); a != "2" || r != "0" {
		t.Fatalf("before: approved %s, rejected %s", a, r)
	}

	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/contribute"),
		chromedp.Click(chromedp.CSS("#get-token")),
		chromedp.WaitVisible(chromedp.CSS("#token-value")),
	)
	if err != nil {
		t.Fatalf("get a token: %v", err)
	}
	token := text("#token-value")
	if !strings.HasPrefix(token, "hwt_") {
		t.Fatalf("token %q", token)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#up-token"), token),
		chromedp.SetUploadFiles(chromedp.CSS("#up-file"), []string{backup}),
		chromedp.Click(chromedp.CSS("#upload")),
		chromedp.WaitVisible(chromedp.CSS("#preview")),
	)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if got := text("#preview-records"); got != "3 (0 with a time on task, 3 without)" {
		t.Errorf("preview records %q", got)
	}
	if got := text("#preview-format"); got != "mturk-suite" {
		t.Errorf("preview format %q", got)
	}
	if got := text("#preview-requesters"); !strings.Contains(got, "Contrib <i>Lab</i>") {
		t.Errorf("preview requesters %q: the name must show as text", got)
	}
	// Nothing is stored before the worker confirms.
	var n uint64
	if err := s.QueryRow(context.Background(), "SELECT count() FROM task_records WHERE via != ''", nil, &n); err != nil || n != 0 {
		t.Fatalf("%d records stored before confirming (%v)", n, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#done"))); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if got := text("#done-summary"); !strings.Contains(got, "3 records read, 3 stored") {
		t.Errorf("done %q", got)
	}
	if a, r := approval(); a != "4" || r != "1" {
		t.Errorf("after the upload: approved %s, rejected %s; want 4 and 1", a, r)
	}
	if got := text("#untimed-count"); got != "3" {
		t.Errorf("untimed count %q", got)
	}

	// The contribution is listed, then deleted: the figures are as before.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/contribute"),
		chromedp.SendKeys(chromedp.CSS("#mine-token"), token),
		chromedp.Click(chromedp.CSS("#list")),
		chromedp.WaitVisible(chromedp.CSS("#contributions")),
	)
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if got := text("#contributions"); !strings.Contains(got, "upload:HIT_Tracker_Backup_20260930.json") || !strings.Contains(got, "upload:mturk-suite") {
		t.Errorf("contributions %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#del-token"), token),
		chromedp.Click(chromedp.CSS("#delete")),
		chromedp.WaitVisible(chromedp.CSS("#deleted")),
	)
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got := text("#deleted"); !strings.HasPrefix(got, "3 records deleted") {
		t.Errorf("deleted %q", got)
	}
	if a, r := approval(); a != "2" || r != "0" {
		t.Errorf("after deleting: approved %s, rejected %s; want 2 and 0", a, r)
	}
	time.Sleep(100 * time.Millisecond)
	if console, offsite := log.take(); len(console) > 0 || len(offsite) > 0 {
		t.Errorf("console errors %v, offsite requests %v", console, offsite)
	}
}
