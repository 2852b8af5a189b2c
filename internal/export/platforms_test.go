package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/wages"
)

// Two platforms' requesters, each with six reporters: an MTurk requester (USD), a Prolific
// researcher paying in pounds (and once per reporter in dollars) and one paying in dollars.
const (
	mturkReq    = "AMTURKEXPORT001"
	poundsRes   = "5f0a1b2c3d4e5f60718293a4"
	dollarsRes  = "6a1b2c3d4e5f60718293a4b5"
	poundsStudy = "65aa00bb11cc22dd33ee44ff"
)

func twoPlatforms(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("export-test-key-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []records.Record
	n := 0
	add := func(p platform.ID, req, group, cur, reward string, w string, at time.Time) {
		n++
		fin := at.Add(10 * time.Minute)
		recs = append(recs, records.Record{RequesterID: platform.Key(p, req), Reporter: h.Reporter("worker", w), HitSetID: group,
			AssignmentID: fmt.Sprintf("%s-%04d", p, n), RequesterName: "Lab " + req[:4], Title: "Task " + group,
			Reward: decimal.RequireFromString(reward), Currency: cur, AcceptedAt: &at, FinishedAt: &fin, DurationSeconds: 600,
			Status: records.Approved, AllottedSeconds: 3600, Source: "test", ReceivedAt: fin})
	}
	start := time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
	for i := range 6 {
		w := fmt.Sprintf("W%d", i)
		at := start.Add(time.Duration(i) * time.Hour)
		for j := range 3 {
			add(platform.MTurk, mturkReq, "3MTURKEXPORTGROUP0000000000001", "USD", "1.00", w, at.Add(time.Duration(j)*11*time.Minute))
			add(platform.Prolific, poundsRes, poundsStudy, "GBP", "1.50", w, at.Add(time.Duration(j)*11*time.Minute))
			add(platform.Prolific, dollarsRes, "75bb11cc22dd33ee44ff0011", "USD", "2.00", w, at.Add(time.Duration(j)*11*time.Minute))
		}
		add(platform.Prolific, poundsRes, poundsStudy, "USD", "2.00", w, at.Add(40*time.Minute))
	}
	if err := records.Insert(ctx, s, recs); err != nil {
		t.Fatal(err)
	}
	if err := wages.New(s, wages.Config{}).Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// table runs a CSV export and returns its rows as maps by column.
func table(t *testing.T, e *export.Exporter, o export.Options) []map[string]string {
	t.Helper()
	all, err := csv.NewReader(bytes.NewReader(run(t, e, o))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range all[1:] {
		m := map[string]string{}
		for i, h := range all[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestExportPerPlatform: an export holds its platform's rows only, with the platform's own ids, the
// platform and the currency each row's money is in.
func TestExportPerPlatform(t *testing.T) {
	s := twoPlatforms(t)
	e := &export.Exporter{Store: s, Revision: "test", BaseURL: "https://hitwage.example"}

	rows := table(t, e, export.Options{Platform: platform.Prolific, Dataset: "records", Format: "csv"})
	byCur := map[string]int{}
	for _, r := range rows {
		if r["platform"] != "prolific" || (r["requester_id"] != poundsRes && r["requester_id"] != dollarsRes) {
			t.Fatalf("Prolific records row %v", r)
		}
		byCur[r["requester_id"]+" "+r["currency"]+" "+r["reward"]]++
	}
	want := map[string]int{poundsRes + " GBP 1.5": 18, poundsRes + " USD 2": 6, dollarsRes + " USD 2": 18}
	if fmt.Sprint(byCur) != fmt.Sprint(want) {
		t.Errorf("Prolific records by researcher, currency and reward: %v, want %v", byCur, want)
	}

	for _, ds := range []string{"records", "requesters", "weeks"} {
		body := run(t, e, export.Options{Dataset: ds, Format: "ndjson"}) // the default platform
		for _, bad := range []string{poundsRes, dollarsRes, "prolific", "GBP"} {
			if bytes.Contains(body, []byte(bad)) {
				t.Errorf("MTurk %s export contains %q:\n%s", ds, bad, body)
			}
		}
		if ds != "weeks" && !bytes.Contains(body, []byte(mturkReq)) {
			t.Errorf("MTurk %s export lacks its requester:\n%s", ds, body)
		}
	}
	for _, r := range table(t, e, export.Options{Platform: platform.MTurk, Dataset: "records", Format: "csv"}) {
		if r["platform"] != "mturk" || r["currency"] != "USD" || r["requester_id"] != mturkReq {
			t.Fatalf("MTurk records row %v", r)
		}
	}

	reqs := table(t, e, export.Options{Platform: platform.Prolific, Dataset: "requesters", Format: "csv"})
	if len(reqs) != 2 {
		t.Fatalf("Prolific requesters: %v", reqs)
	}
	for _, r := range reqs {
		cur, floor := "GBP", "6"
		if r["requester_id"] == dollarsRes {
			cur, floor = "USD", "8"
		}
		if r["platform"] != "prolific" || r["currency"] != cur || r["minimum"] != floor {
			t.Errorf("Prolific requesters row %v: want currency %s, minimum %s", r, cur, floor)
		}
	}
	if m := table(t, e, export.Options{Dataset: "requesters", Format: "csv"}); len(m) != 1 || m[0]["minimum"] != "7.25" || m[0]["currency"] != "USD" {
		t.Errorf("MTurk requesters: %v", m)
	}

	var weeks []string
	for _, r := range table(t, e, export.Options{Platform: platform.Prolific, Dataset: "weeks", Format: "csv"}) {
		weeks = append(weeks, r["week"]+" "+r["platform"]+" "+r["currency"]+" "+r["records"])
	}
	if got := strings.Join(weeks, ", "); got != "2026-11-16 prolific GBP 24, 2026-11-16 prolific USD 18" {
		t.Errorf("Prolific weeks: %s", got)
	}

	o := export.Options{Platform: "Prolific", Dataset: "records", Format: "csv"}
	a, err := e.About(context.Background(), &o)
	if err != nil {
		t.Fatal(err)
	}
	if o.Platform != platform.Prolific || a.Platform != "prolific" || !strings.Contains(a.Citation, "of Prolific") ||
		!strings.HasPrefix(a.Stamp, "platform: prolific; data: 2026-11-17 to 2026-11-17") {
		t.Errorf("Prolific about: %+v", a)
	}
	if a, err := e.About(context.Background(), &export.Options{Dataset: "records", Format: "csv"}); err != nil ||
		a.Platform != "mturk" || !strings.Contains(a.Citation, "of Amazon Mechanical Turk") {
		t.Errorf("MTurk about: %+v, %v", a, err)
	}
}

func TestExportBadPlatform(t *testing.T) {
	e := &export.Exporter{Store: storetest.New(t)}
	_, err := e.About(context.Background(), &export.Options{Platform: "toloka", Dataset: "records", Format: "csv"})
	var oe *export.OptionError
	if !errors.As(err, &oe) || oe.Field != "platform" || !errors.Is(err, export.ErrBadOptions) || !strings.Contains(oe.Msg, "mturk, prolific") {
		t.Errorf("bad platform: %v, want an OptionError naming platform and the platforms", err)
	}
}
