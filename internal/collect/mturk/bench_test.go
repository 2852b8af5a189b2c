package mturk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/collect/mturk"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// benchPages makes n list pages of 100 groups each in the site's JSON shape, from the
// first group of testdata page 1 with new ids, rewards and counts.
func benchPages(b *testing.B, n int) [][]byte {
	var tmpl struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(read(b, "list-page1.json"), &tmpl); err != nil {
		b.Fatal(err)
	}
	g := tmpl.Results[0]
	pages := make([][]byte, n)
	for p := range pages {
		results := make([]map[string]any, 100)
		for i := range results {
			k := p*100 + i
			c := make(map[string]any, len(g))
			for key, v := range g {
				c[key] = v
			}
			c["hit_set_id"] = fmt.Sprintf("3BENCH%024d", k)
			c["requester_id"] = fmt.Sprintf("A1BENCH%06d", k%2000)
			c["requester_name"] = fmt.Sprintf("Bench requester %d", k%2000)
			c["assignable_hits_count"] = k % 977
			c["monetary_reward"] = map[string]any{"currency_code": "USD", "amount_in_dollars": json.Number(fmt.Sprintf("%d.%02d", k%7, k%100))}
			results[i] = c
		}
		body, err := json.Marshal(map[string]any{"num_results": 100, "total_num_results": n * 100, "page_number": p + 1, "results": results})
		if err != nil {
			b.Fatal(err)
		}
		pages[p] = body
	}
	return pages
}

func parseAll(b *testing.B, pages [][]byte) []*mturk.Group {
	groups := make([]*mturk.Group, 0, len(pages)*100)
	for _, body := range pages {
		p, _, err := mturk.ParsePage(body)
		if err != nil {
			b.Fatal(err)
		}
		for i := range p.Results {
			groups = append(groups, &p.Results[i])
		}
	}
	return groups
}

// BenchmarkParsePages parses 1,000 list pages (100,000 HIT groups).
func BenchmarkParsePages(b *testing.B) {
	pages := benchPages(b, 1000)
	var bytes int64
	for _, p := range pages {
		bytes += int64(len(p))
	}
	b.SetBytes(bytes)
	b.ResetTimer()
	for b.Loop() {
		parseAll(b, pages)
	}
	b.ReportMetric(float64(b.N*100_000)/b.Elapsed().Seconds(), "groups/s")
}

// BenchmarkParseAndStore parses 1,000 list pages and stores their 100,000 snapshots (plus
// 2,000 requesters) in the embedded store, as one crawl.
func BenchmarkParseAndStore(b *testing.B) {
	st := storetest.New(b)
	pages := benchPages(b, 1000)
	ctx := context.Background()
	at := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		groups := parseAll(b, pages)
		i++
		n, err := mturk.Store(ctx, st, fmt.Sprintf("bench-%d", i), at.Add(time.Duration(i)*5*time.Minute), groups)
		if err != nil {
			b.Fatal(err)
		}
		if i == 1 && n != 100_000 {
			b.Fatalf("first crawl: %d new groups; want 100000", n)
		}
	}
	b.ReportMetric(float64(b.N*100_000)/b.Elapsed().Seconds(), "snapshots/s")
}
