// Package demo generates hitwage's small demo data set: made-up requesters, HIT groups,
// listing snapshots, task records and reviews with the shapes of the real ones, on MTurk (an
// archive since it closed) and on Prolific (live). It is deterministic (same seed and Now, same
// data) and marks the store as demo data so every page says so.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
)

// Options size the data set.
type Options struct {
	Seed       uint64    // default 1
	Requesters int       // MTurk requesters; default 40
	Reporters  int       // MTurk's reporting workers; default 300
	Records    int       // MTurk task records; default 20,000
	Now        time.Time // end of the data's time range; default now, truncated to the hour

	// Archive ends MTurk's part of the data (requesters, listing snapshots, task records, reviews)
	// in the last hour of MTurk's closing day, 2026-09-30 23:00 UTC, when Now is later: MTurk's
	// data is an archive. A zero Now implies it (the site's own demo, whatever the date); a caller
	// that pins a later Now without it gets MTurk data in the weeks before Now, as the fixtures
	// written before MTurk closed expect. With Now on or before that hour it changes nothing.
	// Prolific's part always runs up to Now.
	Archive bool

	Researchers  int // Prolific researchers; default 20
	Participants int // Prolific's reporting workers; default 150
	Submissions  int // Prolific task records; default Records / 4
}

// Summary says what Load wrote: MTurk's requesters, HIT groups, listing snapshots, task records
// and reviews, and Prolific's researchers, studies, submissions and reviews.
type Summary struct {
	Requesters, Groups, Snapshots, Records, Reviews    int
	Researchers, Studies, Submissions, ProlificReviews int
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// A large demo is written in parts: listing snapshots batchRows at a time, task records in
// INSERTs of recordSlice (the same records as one INSERT: market.sql draws record n from n).
const (
	batchRows   = 200_000
	recordSlice = 2_000_000
)

func id(r *rand.Rand, prefix string, n int) string {
	b := []byte(prefix)
	for len(b) < n {
		b = append(b, alnum[r.IntN(len(alnum))])
	}
	return string(b)
}

var (
	nameParts = [][]string{
		{"Acme", "Blue Lake", "Cognition", "Delta", "Evergreen", "Fieldwork", "Granite", "Harbor", "Insight", "Juniper", "Kestrel", "Lumen"},
		{"Research", "Labs", "Data", "Survey Group", "AI", "Studies", "Transcription", "Analytics", "University Lab", "Media"},
	}
	taskKinds = []struct {
		title   string
		minutes float64 // typical time needed
		reward  float64 // typical reward
	}{
		{"Answer a survey about %s (~10 minutes)", 10, 1.50},
		{"Transcribe a short receipt", 2, 0.10},
		{"Categorize product images of %s", 0.5, 0.03},
		{"Academic study on decision making about %s", 20, 3.00},
		{"Write a one-sentence description of %s", 1.5, 0.15},
		{"Rate the sentiment of tweets about %s", 3, 0.25},
		{"Find the website of a business in %s", 4, 0.20},
	}
	topics = []string{"shopping", "cars", "health", "movies", "food", "travel", "sports", "music", "news", "pets"}
)

type group struct {
	hitSetID, requesterID, requesterName, title string
	reward                                      decimal.Decimal
	allotted                                    uint32
	minutes                                     float64
	hits                                        uint32
	created                                     time.Time
}

// Load writes the demo data set. It refuses a store that already holds task records.
func Load(ctx context.Context, s *store.Store, h *records.Hasher, o Options) (Summary, error) {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Requesters == 0 {
		o.Requesters = 40
	}
	if o.Reporters == 0 {
		o.Reporters = 300
	}
	if o.Records == 0 {
		o.Records = 20_000
	}
	if o.Now.IsZero() {
		o.Now, o.Archive = time.Now().UTC().Truncate(time.Hour), true
	}
	// end is where MTurk's part ends; closed says it was cut at MTurk's close.
	end, closed := o.Now, false
	if last := mturkLastHour(); o.Archive && end.After(last) {
		end, closed = last, true
	}
	var n uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM task_records", nil, &n); err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		return Summary{}, fmt.Errorf("demo: the store already holds %d task records; demo data goes only into an empty store", n)
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x68697477616765))
	var sum Summary

	// Requesters: each has a pay habit (wage multiplier) and a rejection habit.
	type requester struct {
		id, name   string
		payFactor  float64
		rejectRate float64
	}
	reqs := make([]requester, o.Requesters)
	rb, err := s.PrepareBatch(ctx, "requesters", "requester_id", "name", "first_seen", "updated_at")
	if err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	for i := range reqs {
		name := nameParts[0][r.IntN(len(nameParts[0]))] + " " + nameParts[1][r.IntN(len(nameParts[1]))]
		reqs[i] = requester{
			id:         id(r, "A", 13+r.IntN(6)),
			name:       fmt.Sprintf("%s %d", name, i+1),
			payFactor:  math.Exp(r.NormFloat64() * 0.6),
			rejectRate: math.Min(0.6, math.Abs(r.NormFloat64()*0.05)+float64(i%9/8)*0.2),
		}
		first := end.AddDate(0, 0, -60-r.IntN(300))
		if err := rb.Append(reqs[i].id, reqs[i].name, first, end); err != nil {
			return sum, fmt.Errorf("demo: %w", err)
		}
	}
	if err := rb.Send(); err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	sum.Requesters = len(reqs)

	// HIT groups and hourly listing snapshots over the last two weeks.
	var (
		groups []group
		c      curated // the groups again as market.sql's arrays, by requester
	)
	for _, rq := range reqs {
		c.first, c.reject = append(c.first, uint32(len(groups))), append(c.reject, rq.rejectRate)
		for g := 0; g < 2+r.IntN(7); g++ {
			k := taskKinds[r.IntN(len(taskKinds))]
			title := k.title
			if strings.Contains(title, "%s") {
				title = fmt.Sprintf(title, topics[r.IntN(len(topics))])
			}
			reward := math.Max(0.01, k.reward*rq.payFactor*(0.7+0.6*r.Float64()))
			groups = append(groups, group{
				hitSetID: id(r, "3", 30), requesterID: rq.id, requesterName: rq.name, title: title,
				reward:   decimal.NewFromFloat(reward).Round(2),
				allotted: uint32(math.Max(300, k.minutes*60*(3+float64(r.IntN(10))))), minutes: k.minutes,
				hits:    uint32(1 + r.IntN(500)),
				created: end.Add(-time.Duration(r.IntN(14*24)) * time.Hour),
			})
			c.add(groups[len(groups)-1])
		}
		c.count = append(c.count, uint32(len(groups))-c.first[len(c.first)-1])
	}
	sum.Groups = len(groups)
	snapCols := []string{"crawled_at", "crawl_id", "hit_set_id", "requester_id", "requester_name", "title", "description",
		"keywords", "reward", "currency", "assignment_duration_seconds", "assignable_hits", "created_at", "expires_at",
		"qualifications", "source"}
	sb, err := s.PrepareBatch(ctx, "listing_snapshots", snapCols...)
	if err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	for t := end.Add(-14 * 24 * time.Hour); !t.After(end); t = t.Add(3 * time.Hour) {
		crawl := "demo-" + t.Format("2006010215")
		for _, g := range groups {
			if t.Before(g.created) {
				continue
			}
			age := t.Sub(g.created).Hours()
			left := int(float64(g.hits) * math.Exp(-age/(12+float64(g.hits%48))))
			if left <= 0 {
				continue
			}
			exp := g.created.Add(7 * 24 * time.Hour)
			if closed && exp.After(end) {
				exp = end // MTurk's close ended every listing
			}
			if err := sb.Append(t, crawl, g.hitSetID, g.requesterID, g.requesterName, g.title,
				"Demo data: a made-up HIT group.", "demo", g.reward, "USD", g.allotted, uint32(left),
				&g.created, &exp, "[]", "demo"); err != nil {
				return sum, fmt.Errorf("demo: %w", err)
			}
			sum.Snapshots++
			if sb.Rows() >= batchRows { // a large market's snapshots would not fit in memory at once
				if err := sb.Send(); err != nil {
					return sum, fmt.Errorf("demo: %w", err)
				}
				if sb, err = s.PrepareBatch(ctx, "listing_snapshots", snapCols...); err != nil {
					return sum, fmt.Errorf("demo: %w", err)
				}
			}
		}
	}
	if err := sb.Send(); err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}

	// Task records, drawn in ClickHouse by market.sql (the model the benchmarks' generated market
	// uses) from these requesters, groups and reporters over the last two weeks.
	reporters := make([]string, o.Reporters)
	for i := range reporters {
		reporters[i] = h.Reporter("worker", fmt.Sprintf("DEMOWORKER%06d", i))
	}
	// In slices of recordSlice: one INSERT of tens of millions of generated rows holds too much at once.
	for off := uint64(0); off < uint64(o.Records); off += recordSlice {
		n := min(recordSlice, uint64(o.Records)-off)
		if err := curatedRecords(ctx, s, c, reporters, n, off, o.Seed, end, 14*24*time.Hour, closed); err != nil {
			return sum, err
		}
	}
	sum.Records = o.Records

	// Reviews on a 1-5 scale, leaning on each requester's habits. As in real ones, some leave a
	// rating out (0 = none) and some flag a frequent rejecter or a broken task.
	vb, err := s.PrepareBatch(ctx, "reviews", "requester_id", "reporter", "pay", "fairness", "communication",
		"promptness", "text", "tos_violation", "broken_task", "created_at", "updated_at", "deleted")
	if err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	for _, rq := range reqs {
		for k := 0; k < r.IntN(12); k++ {
			pay := clamp(3+math.Log(rq.payFactor)*2+r.NormFloat64()*0.7, 1, 5)
			fair := clamp(5-rq.rejectRate*12+r.NormFloat64()*0.7, 1, 5)
			at := end.Add(-time.Duration(r.IntN(30*24)) * time.Hour)
			text := fmt.Sprintf("Demo review: pay felt %s, fairness %s.", word(pay), word(fair))
			comm, prompt := uint8(clamp(3+r.NormFloat64(), 1, 5)), uint8(clamp(4+r.NormFloat64(), 1, 5))
			if (k+len(rq.id))%5 == 0 {
				comm = 0
			}
			if (k+len(rq.id))%7 == 3 {
				prompt = 0
			}
			tos := rq.rejectRate > 0.15 && k%3 == 0
			broken := pay < 2 && k%4 == 1
			if err := vb.Append(rq.id, reporters[r.IntN(len(reporters))], uint8(pay), uint8(fair),
				comm, prompt, text, tos, broken, at, at, uint8(0)); err != nil {
				return sum, fmt.Errorf("demo: %w", err)
			}
			sum.Reviews++
		}
	}
	if err := vb.Send(); err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}

	// Prolific, live: its researchers, studies, submissions and reviews up to Now (prolific.go).
	if err := loadProlific(ctx, s, h, o, &sum); err != nil {
		return sum, err
	}
	if err := s.SetMeta(ctx, "demo", o.Now.Format(time.RFC3339)); err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	return sum, nil
}

// mturkLastHour is the last hour of MTurk's closing day: the demo's MTurk data ends there.
func mturkLastHour() time.Time {
	return platform.Get(platform.MTurk).Closed.Add(23 * time.Hour)
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, math.Round(x))) }

func word(x float64) string {
	switch {
	case x >= 4:
		return "good"
	case x >= 3:
		return "fair"
	}
	return "poor"
}
