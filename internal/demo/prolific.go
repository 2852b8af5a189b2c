package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// Prolific's part of the demo: made-up university labs ("researchers") with studies and the
// submissions of participants over the two weeks before Now, some in Now's own week, so the
// home page's "this week" for Prolific is never empty on a fresh site. Drawn in Go from their
// own random stream, so adding them left MTurk's part as it was.

var (
	labPlaces = []string{"Ashcombe", "Brennford", "Carrowmere", "Dunholt", "Elsworth", "Fairhaven", "Glenmoor",
		"Hollinsby", "Kestwick", "Larchfield", "Marrowby", "Northcliff"}
	labKinds = []string{"Decision Lab", "Cognition Lab", "Social Psychology Group", "Language and Mind Lab",
		"Behavioural Economics Unit", "Health Psychology Lab", "Political Behaviour Lab", "Memory and Attention Lab"}
	studyKinds = []struct {
		title   string
		minutes int // the estimate the study states
	}{
		{"Decisions under uncertainty: %s", 12},
		{"A short survey about %s", 5},
		{"How people judge %s: an online experiment", 20},
		{"Reading short texts about %s", 15},
		{"Your experience with %s (screener)", 3},
		{"Memory for images of %s", 25},
		{"Opinions on %s: follow-up study", 8},
		{"Word associations with %s", 4},
	}
	// studyPrices are rewards Prolific studies commonly pay, in pounds or dollars: rewards snap to
	// the nearest one (in log distance).
	studyPrices = []float64{0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.60, 0.75, 0.80, 0.90, 1.00, 1.05, 1.20,
		1.25, 1.35, 1.50, 1.75, 1.80, 2.00, 2.25, 2.50, 3.00, 3.50, 3.75, 4.00, 4.50, 5.00, 6.00, 7.50}
	// screenPays are what a researcher pays a screened-out participant; many pay nothing.
	screenPays = []string{"0.00", "0.10", "0.14", "0.20", "0.00", "0.25", "0.30", "0.00"}
	bonuses    = []string{"0.10", "0.25", "0.50", "0.75", "1.00"}
)

// researcher is a made-up Prolific researcher and its habits.
type researcher struct {
	id, key, name string
	currency      string
	rate          float64 // hourly pay on the studies' estimates, in its currency
	slow          float64 // how much longer than the estimate participants take (a factor)
	reject        float64 // share of submissions rejected
	screen        float64 // share of participants screened out
	screenPay     decimal.Decimal
	bonus         float64 // share of approved submissions that get a bonus
	reviewHours   int     // how long it takes to review a submission
	weight        float64 // its share of the submissions, relative
	studies       []study
}

// study is one Prolific study (a HIT group).
type study struct {
	id, title string
	minutes   int // stated estimate
	reward    decimal.Decimal
	allotted  uint32 // maximum time allowed, seconds
}

// hex24 returns a Prolific-shaped id: 24 lower-case hexadecimal characters.
func hex24(r *rand.Rand) string {
	return fmt.Sprintf("%016x%08x", r.Uint64(), r.Uint32())
}

// snapPrice returns the common price nearest to x in log distance.
func snapPrice(x float64) decimal.Decimal {
	best := studyPrices[0]
	for _, p := range studyPrices {
		if math.Abs(math.Log(p/x)) < math.Abs(math.Log(best/x)) {
			best = p
		}
	}
	return decimal.NewFromFloat(best).Round(2)
}

// weekStart is the Monday 00:00 UTC that begins t's week (wages.Week's).
func weekStart(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// researchers makes n researchers with their studies. Their pay rates spread evenly (in log)
// from £4.50 to £16 an hour, so some pay under Prolific's minimum (£6) and some over its
// recommendation (£9); one in seven pays in dollars (at the same rates times 1.3).
func researchers(r *rand.Rand, n int) []researcher {
	names := r.Perm(len(labPlaces) * len(labKinds))
	ranks := r.Perm(n)
	out := make([]researcher, n)
	for i := range out {
		rs := &out[i]
		rs.id = hex24(r)
		rs.key = platform.Key(platform.Prolific, rs.id)
		k := names[i%len(names)]
		rs.name = labPlaces[k/len(labKinds)] + " University " + labKinds[k%len(labKinds)]
		rs.currency = "GBP"
		rs.rate = 4.5 * math.Pow(16/4.5, (float64(ranks[i])+0.5)/float64(n))
		if i%7 == 3 {
			rs.currency, rs.rate = "USD", rs.rate*1.3
		}
		rs.slow = math.Exp(0.1 + 0.15*r.NormFloat64())
		rs.reject = math.Min(0.3, math.Abs(0.03*r.NormFloat64())+float64(i%8/7)*0.12)
		rs.screen = 0.02 * r.Float64()
		if i%4 == 1 {
			rs.screen = 0.15 + 0.2*r.Float64() // a study with a screener up front
		}
		rs.screenPay = decimal.RequireFromString(screenPays[i/4%len(screenPays)])
		rs.bonus = 0.01
		if i%5 == 2 {
			rs.bonus = 0.15
		}
		rs.reviewHours = 6 + r.IntN(110)
		rs.weight = math.Exp(0.6 * r.NormFloat64())
		for range 1 + r.IntN(4) {
			kind := studyKinds[r.IntN(len(studyKinds))]
			minutes := max(1, int(math.Round(float64(kind.minutes)*(0.8+0.4*r.Float64()))))
			rs.studies = append(rs.studies, study{
				id:       hex24(r),
				title:    fmt.Sprintf(kind.title, topics[r.IntN(len(topics))]),
				minutes:  minutes,
				reward:   snapPrice(rs.rate * float64(minutes) / 60),
				allotted: uint32(3*minutes+2) * 60,
			})
		}
	}
	return out
}

// submissions draws n submissions by participants over the two weeks before now. Participants
// work in sessions of 1-4 studies, one after another; one session in 20 ends within now's own
// week (at now itself when the week has just begun).
func submissions(r *rand.Rand, rs []researcher, participants []string, n int, now time.Time) []records.Record {
	var total float64
	for _, x := range rs {
		total += x.weight
	}
	pick := func() *researcher {
		u := r.Float64() * total
		for i := range rs {
			if u -= rs[i].weight; u < 0 {
				return &rs[i]
			}
		}
		return &rs[len(rs)-1]
	}
	const span = 14 * 24 * time.Hour
	week := weekStart(now)
	out := make([]records.Record, 0, n)
	for session := 0; len(out) < n; session++ {
		who := participants[r.IntN(len(participants))]
		var cursor time.Time // the session's end; its studies are laid out backwards from it
		if session%20 == 0 {
			cursor = week.Add(time.Duration(r.Int64N(int64(now.Sub(week)/time.Second)+1)) * time.Second)
		} else {
			cursor = now.Add(-time.Duration(r.Int64N(int64(span/time.Second))) * time.Second)
		}
		for range 1 + r.IntN(4) {
			if len(out) == n {
				break
			}
			x := pick()
			st := x.studies[r.IntN(len(x.studies))]
			rec := records.Record{
				RequesterID: x.key, RequesterName: x.name, HitSetID: st.id, AssignmentID: hex24(r), Title: st.title,
				Reward: st.reward, Currency: x.currency, Reporter: who, AllottedSeconds: st.allotted, Source: "demo",
			}
			secs := uint32(max(20, float64(st.minutes)*60*x.slow*math.Exp(0.4*r.NormFloat64())))
			u := r.Float64()
			switch {
			case u < 0.04: // returned part way: unpaid
				rec.Status, secs = records.Returned, uint32(float64(secs)*(0.1+0.5*r.Float64()))
			case u < 0.055: // ran past the time allowed: unpaid
				rec.Status, secs = records.TimedOut, st.allotted+uint32(r.IntN(120))
			case u < 0.055+x.screen: // screened out after a few questions: the screen-out payment, if any
				rec.Status, secs, rec.Reward = records.ScreenedOut, uint32(40+r.IntN(150)), x.screenPay
			case u < 0.055+x.screen+x.reject:
				rec.Status = records.Rejected
			default:
				rec.Status = records.Approved
				if r.Float64() < x.bonus {
					rec.Bonus = decimal.RequireFromString(bonuses[r.IntN(len(bonuses))])
				}
			}
			fin := cursor
			acc := fin.Add(-time.Duration(secs) * time.Second)
			cursor = acc.Add(-time.Duration(20+r.IntN(280)) * time.Second)
			if rec.Status == records.Approved || rec.Status == records.Rejected {
				dec := fin.Add(time.Duration(x.reviewHours)*time.Hour + time.Duration(r.IntN(3600))*time.Second)
				if dec.After(now) {
					rec.Status = records.Pending // awaiting review
				} else {
					rec.DecidedAt = &dec
				}
			}
			rec.AcceptedAt, rec.FinishedAt, rec.DurationSeconds = &acc, &fin, secs
			rec.ReceivedAt = fin.Add(time.Minute)
			if rec.DecidedAt != nil {
				rec.ReceivedAt = rec.DecidedAt.Add(time.Minute)
			}
			if rec.ReceivedAt.After(now) {
				rec.ReceivedAt = now
			}
			out = append(out, rec)
		}
	}
	return out
}

// loadProlific writes Prolific's researchers, submissions and reviews, counting them in sum.
func loadProlific(ctx context.Context, s *store.Store, h *records.Hasher, o Options, sum *Summary) error {
	if o.Researchers == 0 {
		o.Researchers = 20
	}
	if o.Participants == 0 {
		o.Participants = 150
	}
	if o.Submissions == 0 {
		o.Submissions = o.Records / 4
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x70726f6c69666963))
	rs := researchers(r, o.Researchers)
	participants := make([]string, o.Participants)
	for i := range participants {
		participants[i] = h.Reporter("worker", hex24(r))
	}

	rb, err := s.PrepareBatch(ctx, "requesters", "requester_id", "name", "first_seen", "updated_at")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, x := range rs {
		if err := rb.Append(x.key, x.name, o.Now.AddDate(0, 0, -30-r.IntN(400)), o.Now); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		sum.Studies += len(x.studies)
	}
	if err := rb.Send(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	sum.Researchers = len(rs)

	recs := submissions(r, rs, participants, o.Submissions, o.Now)
	if err := records.Insert(ctx, s, recs); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	sum.Submissions = len(recs)

	// Reviews: a few per researcher, by distinct participants, leaning on its pay and its screen-outs.
	vb, err := s.PrepareBatch(ctx, "reviews", "requester_id", "reporter", "pay", "fairness", "communication",
		"promptness", "text", "tos_violation", "broken_task", "created_at", "updated_at", "deleted")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, x := range rs {
		target := platform.Get(platform.Prolific).Floors[x.currency].Target
		unpaidScreens := 0.0
		if x.screenPay.IsZero() {
			unpaidScreens = x.screen
		}
		for _, p := range r.Perm(len(participants))[:r.IntN(4)] {
			pay := clamp(3.5+2.5*math.Log(x.rate/x.slow/target)+0.6*r.NormFloat64(), 1, 5)
			fair := clamp(5-x.reject*10-unpaidScreens*8+0.6*r.NormFloat64(), 1, 5)
			comm, prompt := uint8(clamp(4+r.NormFloat64(), 1, 5)), uint8(clamp(5-float64(x.reviewHours)/30+0.5*r.NormFloat64(), 1, 5))
			text := fmt.Sprintf("Demo review: pay felt %s, fairness %s.", word(pay), word(fair))
			if unpaidScreens > 0.1 {
				text += " Screened out after the consent form, unpaid."
			}
			at := o.Now.Add(-time.Duration(r.IntN(14*24)) * time.Hour)
			if err := vb.Append(x.key, participants[p], uint8(pay), uint8(fair), comm, prompt, text,
				false, false, at, at, uint8(0)); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			sum.ProlificReviews++
		}
	}
	if err := vb.Send(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
