package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed market.sql
var marketSQL string

var marketTmpl = template.Must(template.New("market.sql").Parse(marketSQL))

// pricePoints are the rewards requesters commonly set, in dollars: generated rewards snap to the
// nearest one (in log distance), so they cluster as real ones do.
var pricePoints = []float64{0.01, 0.02, 0.03, 0.05, 0.08, 0.10, 0.12, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50,
	0.60, 0.75, 0.80, 1.00, 1.25, 1.50, 2.00, 2.50, 3.00, 3.50, 4.00, 5.00, 6.00, 7.50, 8.00, 10.00}

// MarketOptions size a generated market.
type MarketOptions struct {
	Records    uint64        // task records to write; required
	Requesters uint64        // default Records / 200
	Reporters  uint64        // distinct reporters; default Records / 100
	Offset     uint64        // the first record's number: a later batch of the same market starts after the last; default 0
	Seed       uint64        // default 1
	End        time.Time     // records finish before it; default now, truncated to the hour
	Span       time.Duration // records start within this span before End; default 8 weeks
}

// Market writes a generated market's task records (market.sql): a long tail of requesters, rewards
// clustered at common price points, log-normal task times, some workers keeping several tasks open.
// The benchmarks measure on it; Load draws the demo's task records from the same model.
func Market(ctx context.Context, s *store.Store, o MarketOptions) error {
	if o.Records == 0 {
		return fmt.Errorf("demo: market: no records asked for")
	}
	if o.Requesters == 0 {
		o.Requesters = max(o.Records/200, 1)
	}
	if o.Reporters == 0 {
		o.Reporters = max(o.Records/100, 1)
	}
	args := marketArgs(o.Records, o.Offset, o.Seed, o.End, o.Span)
	args["requesters"] = o.Requesters
	args["reporters"] = o.Reporters
	args["name1"], args["name2"] = nameParts[0], nameParts[1]
	args["topics"] = topics
	args["prices"] = pricePoints
	titles, minutes, rewards := make([]string, len(taskKinds)), make([]float64, len(taskKinds)), make([]float64, len(taskKinds))
	for i, k := range taskKinds {
		titles[i], minutes[i], rewards[i] = k.title, k.minutes, k.reward
	}
	args["kind_title"], args["kind_minutes"], args["kind_reward"] = titles, minutes, rewards
	if err := s.Exec(ctx, renderMarket(false, false), args); err != nil {
		return fmt.Errorf("demo: market: %w", err)
	}
	return nil
}

// marketArgs binds what both kinds of market share: size, seed and time range.
func marketArgs(n, offset, seed uint64, end time.Time, span time.Duration) store.Args {
	if seed == 0 {
		seed = 1
	}
	if end.IsZero() {
		end = time.Now().UTC().Truncate(time.Hour)
	}
	if span <= 0 {
		span = 8 * 7 * 24 * time.Hour
	}
	return store.Args{"n": n, "offset": offset, "seed": seed, "end": end.UTC(), "span": uint32(span / time.Second)}
}

// curated is the demo's own requesters and HIT groups, for market.sql to draw records from.
type curated struct {
	first, count                []uint32  // per requester: its first group's index (from 0) and how many it has
	reject                      []float64 // per requester: share of tasks rejected
	requester, name, hit, title []string
	cents, allotted             []uint32
	minutes                     []float64
}

// add appends a group to the arrays.
func (c *curated) add(g group) {
	c.requester, c.name, c.hit, c.title = append(c.requester, g.requesterID), append(c.name, g.requesterName),
		append(c.hit, g.hitSetID), append(c.title, g.title)
	c.cents = append(c.cents, uint32(g.reward.Shift(2).IntPart()))
	c.minutes, c.allotted = append(c.minutes, g.minutes), append(c.allotted, g.allotted)
}

// curatedRecords writes n task records, from record number offset, drawn from the demo's requesters, groups and reporters.
// closed says end is the platform's close: no decision comes after it.
func curatedRecords(ctx context.Context, s *store.Store, c curated, reporters []string, n, offset, seed uint64, end time.Time, span time.Duration, closed bool) error {
	args := marketArgs(n, offset, seed, end, span)
	args["r_first"], args["r_count"], args["r_reject"] = c.first, c.count, c.reject
	args["g_requester"], args["g_name"], args["g_hit"], args["g_title"] = c.requester, c.name, c.hit, c.title
	args["g_cents"], args["g_minutes"], args["g_allotted"] = c.cents, c.minutes, c.allotted
	args["reporter_ids"] = reporters
	if err := s.Exec(ctx, renderMarket(true, closed), args); err != nil {
		return fmt.Errorf("demo: records: %w", err)
	}
	return nil
}

func renderMarket(curated, closed bool) string {
	var b bytes.Buffer
	if err := marketTmpl.Execute(&b, struct{ Curated, Closed bool }{curated, closed}); err != nil {
		panic(fmt.Sprintf("demo: market.sql: %v", err)) // the template and its data are constants
	}
	return strings.TrimSpace(b.String())
}
