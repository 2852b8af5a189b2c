// Command pageload times cold requester pages (issue 20, item 3): it gathers requester ids through
// the search API, asks for --alone pages one at a time and then every other page once with --conns
// connections at once, each page never asked before, and prints the answers by status, p50/p90/p99
// and pages a second. It replaces curl processes (scripts/coldpages.sh used xargs -P 64 curl), whose
// start-up cost the 2-core machine's CPU shares with the server.
//
//	pageload --base http://127.0.0.1:8191 [--alone 200] [--conns 64] [--path /requesters/]
//
// Loopback only: --base must name 127.0.0.1.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/hitwage/hitwage/scripts/internal/siteids"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8191", "the site's address (loopback)")
	alone := flag.Int("alone", 200, "pages asked one at a time first")
	conns := flag.Int("conns", 64, "connections at once for the rest")
	path := flag.String("path", "/requesters/", "the page's path before the id")
	flag.Parse()
	if u, err := url.Parse(*base); err != nil || u.Hostname() != "127.0.0.1" {
		fmt.Fprintln(os.Stderr, "pageload: --base must be a 127.0.0.1 address")
		os.Exit(2)
	}
	ids, err := siteids.Requesters(*base, siteids.Queries)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pageload:", err)
		os.Exit(1)
	}
	if *alone > len(ids)/2 {
		*alone = len(ids) / 2
	}
	c := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conns}}
	get := func(id string) (int, time.Duration) {
		t := time.Now()
		res, err := c.Get(*base + *path + id)
		if err != nil {
			return 0, time.Since(t)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, time.Since(t)
	}
	var codes []int
	var times []time.Duration
	for _, id := range ids[:*alone] {
		code, d := get(id)
		codes, times = append(codes, code), append(times, d)
	}
	fmt.Printf("one at a time: %d pages\n", *alone)
	report(codes, times)

	rest := ids[*alone:]
	work := make(chan string)
	var mu sync.Mutex
	codes, times = nil, nil
	var wg sync.WaitGroup
	start := time.Now()
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				code, d := get(id)
				mu.Lock()
				codes, times = append(codes, code), append(times, d)
				mu.Unlock()
			}
		}()
	}
	for _, id := range rest {
		work <- id
	}
	close(work)
	wg.Wait()
	el := time.Since(start)
	fmt.Printf("%d at once: %d pages in %.2f s = %.0f pages/s\n", *conns, len(rest), el.Seconds(), float64(len(rest))/el.Seconds())
	report(codes, times)
}

func report(codes []int, times []time.Duration) {
	by := map[int]int{}
	for _, c := range codes {
		by[c]++
	}
	fmt.Printf("  status: %v\n", by)
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	p := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))]) / 1e6 }
	fmt.Printf("  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms\n", p(0.5), p(0.9), p(0.99), p(1))
}
