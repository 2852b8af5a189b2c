// Command soak is the load generator and checker of scripts/soak.sh (issue 17): it serves a store with
// bin/web, drives it with many connections of mixed reads plus token-authenticated ingest batches for a
// bounded time, kills the web process with SIGKILL in the middle and restarts it, stops it cleanly at the
// end, and then (soak count) checks that every record whose POST was answered 200 is in the store.
//
//	soak run --web bin/web --data DIR --tokens FILE --acked FILE [--conns 1000] [--duration 60s] [--kill-at 30s]
//	soak count --data DIR --acked FILE
//
// Loopback only: --addr must be a 127.0.0.1 address. Every loop is bounded by --duration or a time-out.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/scripts/internal/siteids"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: soak run|count [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = cmdRun(os.Args[2:])
	case "count":
		err = cmdCount(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (run, count)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// Request kinds.
const (
	kPage = iota
	kJSON
	kBatch
	kBadge
	kIngest
	nKinds
)

var kindNames = [nKinds]string{"page /requesters/{id}", "JSON /api/v1/requesters/{id}", "batch ?ids= (100)", "badge.svg", "ingest POST /api/v1/reports"}

// Error classes of a request that got no HTTP answer.
const (
	eNone = iota
	eConn
	eTimeout
)

type sample struct {
	start, end time.Duration // since the load began
	kind       uint8
	err        uint8
	status     uint16
}

type runOpts struct {
	web, data, addr, tokens, acked, webLog string
	conns, batch                           int
	duration, killAt, ingestEvery, ready   time.Duration
	reqTimeout                             time.Duration
	extra                                  string
}

func cmdRun(args []string) error {
	var o runOpts
	fs := flag.NewFlagSet("soak run", flag.ContinueOnError)
	fs.StringVar(&o.web, "web", "bin/web", "the web binary")
	fs.StringVar(&o.data, "data", "", "store data directory (required)")
	fs.StringVar(&o.addr, "addr", "127.0.0.1:18097", "address web listens on (loopback only)")
	fs.StringVar(&o.tokens, "tokens", "", "file of reporting tokens, one a line; one ingest worker per token (required)")
	fs.StringVar(&o.acked, "acked", "", "file to write the assignment ids of acknowledged records to (required)")
	fs.StringVar(&o.webLog, "web-log", "", "file web's output is appended to; default DATA/../web.log")
	fs.StringVar(&o.extra, "web-args", "--access-log=false --client-rate 0", "more flags for web, space-separated")
	fs.IntVar(&o.conns, "conns", 1000, "read connections (one closed-loop worker each)")
	fs.IntVar(&o.batch, "batch", 100, "records per ingest batch")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "length of the load")
	fs.DurationVar(&o.killAt, "kill-at", 30*time.Second, "when to SIGKILL web and restart it (0: never)")
	fs.DurationVar(&o.ingestEvery, "ingest-every", 250*time.Millisecond, "pause between one ingest worker's batches (tokens allow 5 a second)")
	fs.DurationVar(&o.ready, "ready-timeout", 180*time.Second, "how long web may take to answer /healthz 200")
	fs.DurationVar(&o.reqTimeout, "timeout", 10*time.Second, "time-out of one request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.data == "" || o.tokens == "" || o.acked == "" {
		return errors.New("run: --data, --tokens and --acked are required")
	}
	if host, _, err := net.SplitHostPort(o.addr); err != nil || host != "127.0.0.1" {
		return fmt.Errorf("run: --addr %q: want 127.0.0.1:PORT (loopback only)", o.addr)
	}
	if o.webLog == "" {
		o.webLog = o.data + ".web.log"
	}
	tokens, err := readLines(o.tokens)
	if err != nil || len(tokens) == 0 {
		return fmt.Errorf("run: tokens from %s: %v (none?)", o.tokens, err)
	}
	return run(o, tokens)
}

// webProc is one run of the web binary.
type webProc struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startWeb(o runOpts) (*webProc, error) {
	logf, err := os.OpenFile(o.webLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	args := append([]string{"--addr", o.addr, "--data", o.data}, strings.Fields(o.extra)...)
	cmd := exec.Command(o.web, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	fmt.Fprintf(logf, "=== soak: starting %s %s at %s\n", o.web, strings.Join(args, " "), time.Now().UTC().Format(time.RFC3339Nano))
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	p := &webProc{cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); logf.Close(); close(p.done) }()
	return p, nil
}

// waitReady polls /healthz until it answers 200, the process exits, or the time-out passes.
func waitReady(p *webProc, addr string, timeout time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("web exited before it was ready: %v", p.err)
		default:
		}
		if res, err := c.Get("http://" + addr + "/healthz"); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("web did not answer /healthz 200 within %s", timeout)
}

// rss reads VmRSS and VmHWM (kB) of a process from /proc.
func rss(pid int) (cur, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1, -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			cur = n
		case "VmHWM:":
			peak = n
		}
	}
	return cur, peak
}

func mib(kb int64) string { return fmt.Sprintf("%.0f MiB", float64(kb)/1024) }

func run(o runOpts, tokens []string) error {
	p, err := startWeb(o)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := waitReady(p, o.addr, o.ready); err != nil {
		return err
	}
	fmt.Printf("web pid %d ready in %.1f s\n", p.cmd.Process.Pid, time.Since(t0).Seconds())
	base := "http://" + o.addr
	ids, err := siteids.Requesters(base, strings.Fields("a b c d e f g h i k l m n o p r s t u w"))
	if err != nil {
		return err
	}
	fmt.Printf("%d requester ids for the reads; %d read connections, %d ingest workers (one token each), %d records a batch\n",
		len(ids), o.conns, len(tokens), o.batch)

	rssStart, _ := rss(p.cmd.Process.Pid)
	tr := &http.Transport{
		MaxIdleConns: o.conns + len(tokens) + 10, MaxIdleConnsPerHost: o.conns + len(tokens) + 10,
		MaxConnsPerHost: o.conns + len(tokens) + 10, IdleConnTimeout: 90 * time.Second,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	client := &http.Client{Transport: tr, Timeout: o.reqTimeout}

	tag := runTag()
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	start := time.Now()
	results := make([][]sample, o.conns+len(tokens))
	var acked [][]string = make([][]string, len(tokens))
	var ackCount, ingestBad atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < o.conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			results[w] = reader(ctx, client, base, ids, start, uint64(w))
		}(w)
	}
	for i, tok := range tokens {
		wg.Add(1)
		go func(i int, tok string) {
			defer wg.Done()
			results[o.conns+i], acked[i] = ingester(ctx, client, base, tok, ids, tag, i, o, start, &ackCount, &ingestBad)
		}(i, tok)
	}

	// The kill and restart, in the middle of the load.
	var killAt, readyAt time.Duration
	var rssBeforeKill, rssAfterRestart, hwmFirst int64
	restartErr := error(nil)
	if o.killAt > 0 && o.killAt < o.duration {
		select {
		case <-time.After(o.killAt):
		case <-ctx.Done():
		}
		rssBeforeKill, hwmFirst = rss(p.cmd.Process.Pid)
		killAt = time.Since(start)
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			return errors.New("web did not die within 10 s of SIGKILL")
		}
		fmt.Printf("SIGKILL at %.1f s (pid %d, RSS %s, peak %s)\n", killAt.Seconds(), p.cmd.Process.Pid, mib(rssBeforeKill), mib(hwmFirst))
		p, err = startWeb(o)
		if err != nil {
			return err
		}
		restartErr = waitReady(p, o.addr, o.ready)
		readyAt = time.Since(start)
		if restartErr != nil {
			fmt.Printf("restart FAILED: %v\n", restartErr)
		} else {
			rssAfterRestart, _ = rss(p.cmd.Process.Pid)
			fmt.Printf("restarted pid %d ready at %.1f s (%.1f s after the kill), RSS %s\n", p.cmd.Process.Pid, readyAt.Seconds(), (readyAt - killAt).Seconds(), mib(rssAfterRestart))
		}
	}
	waitDone := make(chan struct{})
	go func() { wg.Wait(); close(waitDone) }()
	select {
	case <-waitDone:
	case <-time.After(o.duration + 2*o.reqTimeout + 30*time.Second):
		return errors.New("load workers did not stop in time")
	}
	elapsed := time.Since(start)
	rssEnd, hwmEnd := rss(p.cmd.Process.Pid)

	// Stop web cleanly, so that the store can be opened by soak count.
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	stopT := time.Now()
	select {
	case <-p.done:
		fmt.Printf("web stopped cleanly by SIGTERM in %.1f s (exit: %v)\n", time.Since(stopT).Seconds(), p.err)
	case <-time.After(60 * time.Second):
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
		fmt.Println("web did not stop within 60 s of SIGTERM; killed")
	}

	// The acknowledged assignment ids.
	f, err := os.Create(o.acked)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	for _, l := range acked {
		for _, id := range l {
			fmt.Fprintln(bw, id)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}

	report(results, o, elapsed, killAt, readyAt)
	fmt.Printf("ingest: %d records acknowledged (200) in %d ingest answers; %d answers 200 with stored != received\n",
		ackCount.Load(), countKind(results, kIngest, 200), ingestBad.Load())
	fmt.Printf("RSS of web (VmRSS): %s after start, %s before the kill (peak %s); restarted: %s when ready, %s at the end (peak %s)\n",
		mib(rssStart), mib(rssBeforeKill), mib(hwmFirst), mib(rssAfterRestart), mib(rssEnd), mib(hwmEnd))
	if restartErr != nil {
		return restartErr
	}
	return nil
}

func classify(err error) uint8 {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return eTimeout
	}
	return eConn
}

// reader is one connection's closed loop of mixed reads until ctx ends.
func reader(ctx context.Context, c *http.Client, base string, ids []string, start time.Time, seed uint64) []sample {
	r := rand.New(rand.NewPCG(seed, 17))
	out := make([]sample, 0, 1024)
	for ctx.Err() == nil {
		var kind uint8
		var path string
		id := ids[r.IntN(len(ids))]
		switch x := r.IntN(100); {
		case x < 30:
			kind, path = kPage, "/requesters/"+id
		case x < 70:
			kind, path = kJSON, "/api/v1/requesters/"+id
		case x < 80:
			pick := make([]string, 100)
			for i := range pick {
				pick[i] = ids[r.IntN(len(ids))]
			}
			kind, path = kBatch, "/api/v1/requesters?ids="+strings.Join(pick, ",")
		default:
			kind, path = kBadge, "/embed/requesters/"+id+"/badge.svg"
		}
		s := sample{kind: kind, start: time.Since(start)}
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		res, err := c.Do(req)
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			s.status = uint16(res.StatusCode)
		}
		s.end = time.Since(start)
		if err != nil {
			if ctx.Err() != nil {
				break // the load's end cut it off: not counted
			}
			s.err = classify(err)
			out = append(out, s)
			time.Sleep(time.Duration(50+r.IntN(100)) * time.Millisecond) // don't spin while web is down
			continue
		}
		out = append(out, s)
	}
	return out
}

type reportRecord struct {
	RequesterID  string `json:"requester_id"`
	AssignmentID string `json:"assignment_id"`
	Reward       string `json:"reward"`
	Duration     int    `json:"duration_seconds"`
	FinishedAt   string `json:"finished_at"`
	Status       string `json:"status"`
}

// ingester posts a batch of records with fresh assignment ids every o.ingestEvery until ctx ends.
func ingester(ctx context.Context, c *http.Client, base, token string, ids []string, tag string, worker int, o runOpts,
	start time.Time, ackCount, bad *atomic.Int64) ([]sample, []string) {
	r := rand.New(rand.NewPCG(uint64(worker), 99))
	var out []sample
	var acked []string
	seq := 0
	for ctx.Err() == nil {
		recs := make([]reportRecord, o.batch)
		aids := make([]string, o.batch)
		for i := range recs {
			seq++
			// 30 upper-case letters/digits: SK + 6-character run tag + 22 digits (worker, sequence).
			aids[i] = fmt.Sprintf("SK%s%04d%018d", tag, worker, seq)
			fin := time.Date(2026, 9, 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC)
			recs[i] = reportRecord{RequesterID: ids[r.IntN(len(ids))], AssignmentID: aids[i],
				Reward: fmt.Sprintf("%.2f", 0.05+float64(r.IntN(200))/100), Duration: 60 + r.IntN(1800),
				FinishedAt: fin.Format(time.RFC3339), Status: "submitted"}
		}
		body, _ := json.Marshal(recs)
		s := sample{kind: kIngest, start: time.Since(start)}
		req, _ := http.NewRequestWithContext(context.WithoutCancel(ctx), "POST", base+"/api/v1/reports", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := c.Do(req)
		var ans struct{ Received, Stored int }
		if err == nil {
			var b []byte
			b, err = io.ReadAll(res.Body)
			res.Body.Close()
			s.status = uint16(res.StatusCode)
			if err == nil && res.StatusCode == 200 {
				if json.Unmarshal(b, &ans) != nil || ans.Received != o.batch || ans.Stored != o.batch {
					bad.Add(1)
				}
				acked = append(acked, aids...)
				ackCount.Add(int64(len(aids)))
			}
		}
		s.end = time.Since(start)
		if err != nil {
			s.err = classify(err)
		}
		out = append(out, s)
		select {
		case <-ctx.Done():
		case <-time.After(o.ingestEvery):
		}
	}
	return out, acked
}

func runTag() string {
	const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = abc[rand.IntN(len(abc))]
	}
	return string(b)
}

func countKind(results [][]sample, kind uint8, status uint16) int {
	n := 0
	for _, l := range results {
		for _, s := range l {
			if s.kind == kind && s.status == status && s.err == eNone {
				n++
			}
		}
	}
	return n
}

func pct(d []time.Duration, q float64) string {
	if len(d) == 0 {
		return "-"
	}
	x := d[int(q*float64(len(d)-1))]
	if x < 10*time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(x)/1e6)
	}
	return fmt.Sprintf("%.0f ms", float64(x)/1e6)
}

// report prints the figures: per kind, answers by class, errors, p50/p99; and whether the 5xx and the
// connection errors fall in the kill window (from the kill to one second after web answered again).
func report(results [][]sample, o runOpts, elapsed, killAt, readyAt time.Duration) {
	winFrom, winTo := killAt, readyAt+time.Second
	inWin := func(s sample) bool { return killAt > 0 && s.end >= winFrom && s.start <= winTo }
	type agg struct {
		n, ok, c4, c429, c5, c5in, conn, connIn, to, toIn int
		lat                                               []time.Duration
	}
	var a [nKinds + 1]agg // the last one: every read
	statuses := map[uint16]int{}
	for _, l := range results {
		for _, s := range l {
			for _, k := range []int{int(s.kind), nKinds} {
				if k == nKinds && s.kind == kIngest {
					continue
				}
				g := &a[k]
				g.n++
				switch {
				case s.err == eConn:
					g.conn++
					if inWin(s) {
						g.connIn++
					}
				case s.err == eTimeout:
					g.to++
					if inWin(s) {
						g.toIn++
					}
				default:
					g.lat = append(g.lat, s.end-s.start)
					switch {
					case s.status >= 500:
						g.c5++
						if inWin(s) {
							g.c5in++
						}
					case s.status == 429:
						g.c429++
					case s.status >= 400:
						g.c4++
					case s.status < 300:
						g.ok++
					}
				}
			}
			if s.err == eNone {
				statuses[s.status]++
			}
		}
	}
	fmt.Printf("\nload: %.1f s; kill window %.1f-%.1f s (kill to 1 s after web answered /healthz again)\n",
		elapsed.Seconds(), winFrom.Seconds(), winTo.Seconds())
	fmt.Println("| requests | sent | 2xx | 429 | other 4xx | 5xx (in kill window) | conn. errors (in window) | time-outs (in window) | p50 | p99 |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for k := 0; k <= nKinds; k++ {
		g := &a[k]
		name := "all reads"
		if k < nKinds {
			name = kindNames[k]
		}
		sort.Slice(g.lat, func(i, j int) bool { return g.lat[i] < g.lat[j] })
		fmt.Printf("| %s | %d | %d | %d | %d | %d (%d) | %d (%d) | %d (%d) | %s | %s |\n", name, g.n, g.ok, g.c429, g.c4,
			g.c5, g.c5in, g.conn, g.connIn, g.to, g.toIn, pct(g.lat, 0.5), pct(g.lat, 0.99))
	}
	reads := a[nKinds]
	fmt.Printf("reads: %.0f answers/s over the run; 5xx outside the kill window: %d; connection errors outside it: %d; time-outs outside it: %d\n",
		float64(len(reads.lat))/elapsed.Seconds(), reads.c5-reads.c5in, reads.conn-reads.connIn, reads.to-reads.toIn)
	codes := make([]int, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, int(c))
	}
	sort.Ints(codes)
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d: %d", c, statuses[uint16(c)]))
	}
	fmt.Printf("status codes (every request): %s\n", strings.Join(parts, ", "))
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

// cmdCount opens the store (web must be stopped) and counts the acknowledged assignment ids in task_records.
func cmdCount(args []string) error {
	fs := flag.NewFlagSet("soak count", flag.ContinueOnError)
	data := fs.String("data", "", "store data directory (required; web must not be running on it)")
	ackedFile := fs.String("acked", "", "file of acknowledged assignment ids, one a line (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *ackedFile == "" {
		return errors.New("count: --data and --acked are required")
	}
	acked, err := readLines(*ackedFile)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s, err := store.Open(ctx, store.Config{DataDir: *data})
	if err != nil {
		return err
	}
	defer store.ShutdownEmbedded()
	defer s.Close()
	var total uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM task_records FINAL", nil, &total); err != nil {
		return err
	}
	found := map[string]bool{}
	if len(acked) > 0 {
		prefix := acked[0][:8] // SK + the run's tag
		rows, err := s.Query(ctx, "SELECT DISTINCT assignment_id FROM task_records WHERE startsWith(assignment_id, {p:String})", store.Args{"p": prefix})
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			found[id] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
	}
	var missing []string
	uniq := map[string]bool{}
	for _, id := range acked {
		uniq[id] = true
		if !found[id] {
			missing = append(missing, id)
		}
	}
	fmt.Printf("store: %d task records (deduplicated); soak records found: %d; acknowledged: %d (%d distinct); acknowledged but missing: %d\n",
		total, len(found), len(acked), len(uniq), len(missing))
	for i, id := range missing {
		if i == 20 {
			fmt.Printf("  ... and %d more\n", len(missing)-20)
			break
		}
		fmt.Println("  missing:", id)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d acknowledged records are missing from the store", len(missing))
	}
	return nil
}
