package ratings_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/ratings"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

const (
	proLab = "prolific:aaaaaaaaaaaaaaaaaaaaaaaa"
	study1 = "111111111111111111111111" // advertised 10 min (its latest stated estimate)
	study2 = "222222222222222222222222" // advertised 5 min
	study3 = "333333333333333333333333" // listed without an estimate
	mtReq  = "A1B2C3D4E5F6G7"
)

// sub is one Prolific submission of proLab, the i-th: started i x 3 hours after t0 (so no
// participant's submissions overlap), taking secs (0: untimed, a history without times), decided
// decidedH hours after it finished (0: not decided).
func sub(i int, study, participant, status, reward string, secs, decidedH int) records.Record {
	r := records.Record{RequesterID: proLab, Reporter: participant, HitSetID: study, AssignmentID: fmt.Sprintf("%024x", i+1),
		RequesterName: "Ashcombe Decision Lab", Title: "Study " + study[:1], Reward: decimal.RequireFromString(reward),
		Currency: "GBP", Status: records.Status(status), Source: "test", ReceivedAt: t0.Add(time.Duration(i)*3*time.Hour + time.Hour)}
	if secs > 0 {
		acc := t0.Add(time.Duration(i) * 3 * time.Hour)
		fin := acc.Add(time.Duration(secs) * time.Second)
		r.AcceptedAt, r.FinishedAt, r.DurationSeconds = &acc, &fin, uint32(secs)
		r.ReceivedAt = fin.Add(time.Minute)
		if decidedH > 0 {
			dec := fin.Add(time.Duration(decidedH) * time.Hour)
			r.DecidedAt = &dec
			r.ReceivedAt = dec.Add(time.Minute)
		}
	}
	return r
}

// proRecords are proLab's submissions from six participants p0-p5, in GBP.
func proRecords() []records.Record {
	return []records.Record{
		// Study 1: three submitted (720, 600, 900 s), two screened out (120, 180 s), one returned.
		sub(0, study1, "p0", "approved", "3.00", 720, 40),
		sub(1, study1, "p1", "approved", "3.00", 600, 60),
		sub(2, study1, "p2", "approved", "3.00", 900, 60),
		sub(3, study1, "p3", "screened_out", "0.14", 120, 0),
		sub(4, study1, "p4", "screened_out", "0.14", 180, 0),
		sub(5, study1, "p5", "returned", "3.00", 300, 0),
		// Study 2: four submitted (300, 420, 360, 240 s), one timed out after 1500 s.
		sub(6, study2, "p0", "approved", "1.50", 300, 80),
		sub(7, study2, "p1", "rejected", "1.50", 420, 30),
		sub(8, study2, "p2", "pending", "1.50", 360, 0),
		sub(9, study2, "p3", "approved", "1.50", 240, 100),
		sub(10, study2, "p4", "timed_out", "1.50", 1500, 0),
		// Study 3 (no estimate): one submitted, one screen-out without a time (from a history).
		sub(11, study3, "p5", "approved", "2.00", 600, 200),
		sub(12, study3, "p5", "screened_out", "0.00", 0, 0),
		// Flagged (over a day on task): counted nowhere. Were its 90,000 s counted, the screen-out
		// time share would be 90,300 / 96,240 = 0.94.
		sub(13, study3, "p0", "screened_out", "0.00", 90000, 0),
	}
}

// mtRecords are an MTurk requester's: four approved, one returned and one abandoned, five workers.
func mtRecords() []records.Record {
	var out []records.Record
	for i := 0; i < 4; i++ {
		out = append(out, rec(mtReq, fmt.Sprint("m", i), fmt.Sprint("ma", i), "2.50", 0, 600, records.Approved))
	}
	return append(out, rec(mtReq, "m4", "ma4", "2.50", 0, 300, records.Returned),
		rec(mtReq, "m4", "ma5", "2.50", 30, 200, records.Abandoned))
}

// listing inserts a study listing snapshot of proLab crawled at, stating estimate seconds (0: none).
func listing(t *testing.T, s *store.Store, source, study string, at time.Time, estimate int) {
	t.Helper()
	err := s.Exec(context.Background(), `INSERT INTO listing_snapshots (crawled_at, hit_set_id, requester_id, reward,
		currency, source, estimated_seconds) VALUES ({at:DateTime64(3, 'UTC')}, {h:String}, {r:String}, 1.50, 'GBP', {src:String}, {e:UInt32})`,
		store.Args{"at": at, "h": study, "r": proLab, "src": source, "e": estimate})
	if err != nil {
		t.Fatal(err)
	}
}

func near(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %.6f", name, want)
	} else if math.Abs(*got-want) > 1e-6 {
		t.Errorf("%s = %.6f, want %.6f", name, *got, want)
	}
}

// TestProlificComponents works out a Prolific researcher's components by hand and checks that an
// MTurk requester in the same store is rated exactly as in a store without Prolific's records.
func TestProlificComponents(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	if err := records.Insert(ctx, s, append(proRecords(), mtRecords()...)); err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	listing(t, s, "prolific-studies", study1, t0.Add(-3*day), 300) // an older estimate: replaced
	listing(t, s, "prolific-studies", study1, t0.Add(-2*day), 600) // the latest that states one
	listing(t, s, "prolific-studies", study1, t0.Add(-day), 0)     // states none: not an estimate of 0
	listing(t, s, "prolific-studies", study2, t0.Add(-day), 300)
	listing(t, s, "prolific-studies", study3, t0.Add(-day), 0)
	listing(t, s, "mturk", study2, t0, 60) // another source: not Prolific's listing
	r := refreshed(t, s)

	lab, ok := r.Get(proLab)
	if !ok || lab.Platform != platform.Prolific || lab.Currency != "GBP" || lab.Reporters != 6 || lab.Records != 13 || !lab.EnoughData {
		t.Fatalf("lab = %+v", lab)
	}
	var names []string
	for _, c := range lab.Components {
		names = append(names, c.Name)
	}
	if want := []string{"pay", "approval", "promptness", "advertised_time", "screen_outs", "screen_out_time", "returns", "time_outs", "reviews"}; !reflect.DeepEqual(names, want) {
		t.Errorf("components %v, want %v", names, want)
	}
	get := func(name string) ratings.Component {
		c, ok := lab.Component(name)
		if !ok {
			t.Fatalf("no %s component", name)
		}
		return c
	}

	// Screen-outs: 3 (two timed, one untimed; the flagged one not counted) of 0 submitted + 1
	// pending + 6 approved + 1 rejected + 3 screened out = 3/11 = 0.272727; score 100 - 100 x
	// (3/11) / 0.5 = 45.454545. Weight 0: shown only.
	so := get(ratings.ScreenOuts)
	near(t, "screen-outs raw", so.Raw, 3.0/11)
	near(t, "screen-outs own score", so.OwnScore, 100-100*(3.0/11)/0.5)
	if so.Weight != 0 || !strings.Contains(so.Explanation, "Screened out 3 of 11") {
		t.Errorf("screen-outs: weight %v, %q", so.Weight, so.Explanation)
	}

	// Screen-out time: timed, unflagged time 720 + 600 + 900 + 120 + 180 + 300 (study 1) + 300 +
	// 420 + 360 + 240 + 1500 (study 2) + 600 (study 3) = 6240 s, of which screened out 120 + 180 =
	// 300 s: 300/6240 = 0.048077; score 100 - 100 x 0.048077 / 0.25 = 80.769231.
	sot := get(ratings.ScreenOutTime)
	near(t, "screen-out time raw", sot.Raw, 300.0/6240)
	near(t, "screen-out time own score", sot.OwnScore, 100-100*(300.0/6240)/0.25)
	if sot.Weight != 0.05 || !strings.Contains(sot.Explanation, "4.8% of the 1.7 hours") {
		t.Errorf("screen-out time: weight %v, %q", sot.Weight, sot.Explanation)
	}

	// Returns: 1 returned of 13 records = 0.076923 (abandoned would count on MTurk; there are
	// none here); score 100 - 100 x (1/13) / 0.25 = 69.230769.
	ret := get(ratings.Returns)
	near(t, "returns raw", ret.Raw, 1.0/13)
	near(t, "returns own score", ret.OwnScore, 100-100*(1.0/13)/0.25)
	if ret.Weight != 0.05 || !strings.Contains(ret.Explanation, "7.7% of 13 reported submissions were returned") {
		t.Errorf("returns: weight %v, %q", ret.Weight, ret.Explanation)
	}

	// Time-outs: 1 of 13 = 0.076923; score 100 - 100 x (1/13) / 0.10 = 23.076923.
	to := get(ratings.TimeOuts)
	near(t, "time-outs raw", to.Raw, 1.0/13)
	near(t, "time-outs own score", to.OwnScore, 100-100*(1.0/13)/0.10)
	if to.Weight != 0.05 || !strings.Contains(to.Explanation, "7.7% of 13 reported submissions timed out") {
		t.Errorf("time-outs: weight %v, %q", to.Weight, to.Explanation)
	}

	// Advertised time: study 1, estimate 600 s (the latest snapshot stating one; not the older
	// 300 s), 3 submitted reports with median 720 s; study 2, estimate 300 s, 4 reports (240, 300,
	// 360, 420 s) with median (300 + 360) / 2 = 330 s; study 3 has no estimate. Weighted by reports:
	// (3 x 720 + 4 x 330) / (3 x 600 + 4 x 300) = 3480 / 3000 = 1.16 exactly; score 100 - 100 x
	// (1.16 - 1) / (2 - 1) = 84. (Taking the older estimate would give 3480 / 2100 = 1.66; the latest
	// snapshot's missing one as 0, 3480 / 1200 = 2.90; the screen-outs' and the time-out's times
	// as reports would change both medians.)
	adv := get(ratings.AdvertisedTime)
	near(t, "advertised raw", adv.Raw, 1.16)
	near(t, "advertised own score", adv.OwnScore, 84)
	if adv.Weight != 0.10 || !strings.Contains(adv.Explanation, "1.16 times their advertised time") ||
		!strings.Contains(adv.Explanation, "2 studies weighted by 7 reports") {
		t.Errorf("advertised: weight %v, %q", adv.Weight, adv.Explanation)
	}

	// Approval delay (promptness): approved submissions decided 40, 60, 60, 80, 100, 200 hours after
	// they finished (the rejection's 30 h is a decision, not an approval): median (60 + 80) / 2 =
	// 70 h; Prolific's curve 100 - 100 x (70 - 48) / (504 - 48) = 95.175439 (MTurk's would give
	// 93.390805).
	pr := get(ratings.Promptness)
	near(t, "promptness raw", pr.Raw, 70)
	near(t, "promptness own score", pr.OwnScore, 100-100*22.0/456)
	if !strings.Contains(pr.Explanation, "a median 2.9 days") { // 70 h / 24
		t.Errorf("promptness: %q", pr.Explanation)
	}

	// Pay, balanced by participant (six, so each weighs the same): p0 £4.50 for 1020 s, p1 £3.00
	// for 1020 s, p2 £4.50 for 1260 s, p3 £1.64 for 360 s all at least the £9 target (100); p4
	// £0.14 for 1680 s = £0.30/h (3.333333); p5 £2.00 for 900 s = £8.00/h (88.888889): mean
	// 492.222222 / 6 = 82.037037.
	pay := get(ratings.Pay)
	near(t, "pay own score", pay.OwnScore, (400+100*0.3/9+100*8.0/9)/6)
	if pay.Unit != "gbp_per_hour" || pay.Weight != 0.35 {
		t.Errorf("pay: unit %q weight %v", pay.Unit, pay.Weight)
	}
	// Reviews: none here or market-wide, so left out of the weighting.
	if rv := get(ratings.Reviews); rv.Score != nil || rv.Weight != 0.10 {
		t.Errorf("reviews = %+v, want no score", rv)
	}

	// The market is this researcher alone, so each score is its own. Composite: the weighted
	// mean over the components with a score, weights 0.35 + 0.20 + 0.10 + 0.10 + 0 + 0.05 + 0.05 +
	// 0.05 = 0.90 (reviews left out).
	for _, c := range lab.Components {
		if c.Score != nil && *c.Score != *c.OwnScore {
			t.Errorf("%s: score %v, own %v; the market is the researcher alone", c.Name, *c.Score, *c.OwnScore)
		}
	}
	want := (0.35*(400+100*0.3/9+100*8.0/9)/6 + 0.20*ratings.ApprovalScore(6, 1) + 0.10*(100-100*22.0/456) +
		0.10*84 + 0.05*(100-100*(300.0/6240)/0.25) + 0.05*(100-100*(1.0/13)/0.25) + 0.05*(100-100*(1.0/13)/0.10)) / 0.90
	near(t, "composite", lab.Score, want)
	if lab.Grade != ratings.Grade(want) || lab.Gate != "" {
		t.Errorf("grade %s gate %q, want %s", lab.Grade, lab.Gate, ratings.Grade(want))
	}

	// The MTurk requester: its six components, returns counting the abandoned task (2 of 6 =
	// 0.333333, score 0), and exactly the rating it gets in a store without Prolific's records.
	mt, ok := r.Get(mtReq)
	if !ok || len(mt.Components) != 6 {
		t.Fatalf("MTurk requester = %+v", mt)
	}
	mret, _ := mt.Component(ratings.Returns)
	near(t, "MTurk returns raw", mret.Raw, 2.0/6)
	near(t, "MTurk returns own score", mret.OwnScore, 0)
	alone := storetest.New(t)
	if err := records.Insert(ctx, alone, mtRecords()); err != nil {
		t.Fatal(err)
	}
	ref, _ := refreshed(t, alone).Get(mtReq)
	if !reflect.DeepEqual(mt.Components, ref.Components) || !reflect.DeepEqual(mt.Score, ref.Score) || mt.Grade != ref.Grade {
		t.Errorf("MTurk requester beside Prolific's records:\n%+v\nalone:\n%+v", mt.Components, ref.Components)
	}
}
