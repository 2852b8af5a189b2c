package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/hitwage/hitwage/internal/ingest"
)

// browserPage is what a headless Chromium saw of one page.
type browserPage struct {
	Charts        int      // elements with data-chart
	Rendered      int      // charts that drew a canvas with a size
	ConsoleErrors []string // console.error calls and uncaught exceptions
	Offsite       []string // requests that left loopback
	Screenshot    string   // PNG path
}

func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("HITWAGE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := exec.LookPath(p); err == nil {
				return p
			}
		}
	}
	t.Skip("chromium is not installed (apt-get install chromium): skipped the browser test")
	return ""
}

// browserLog collects what a page logged as errors and which requests left loopback.
type browserLog struct {
	mu      sync.Mutex
	console []string
	offsite []string
}

// take returns what was logged since the last take and starts afresh.
func (l *browserLog) take() (console, offsite []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	console, offsite = l.console, l.offsite
	l.console, l.offsite = nil, nil
	return console, offsite
}

// startBrowser starts one headless Chromium for the test, logging console errors and offsite requests.
func startBrowser(t *testing.T) (context.Context, *browserLog) {
	t.Helper()
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// The first run starts the browser; it must not carry a timeout (that would end the browser).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	l := &browserLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				l.console = append(l.console, string(e.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			l.console = append(l.console, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
		case *network.EventRequestWillBeSent:
			u, err := url.Parse(e.Request.URL)
			if err == nil && (u.Scheme == "data" || u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost" || u.Hostname() == "::1") {
				return
			}
			l.offsite = append(l.offsite, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	return ctx, l
}

// browse loads each URL in one headless Chromium and reports what it saw.
func browse(t *testing.T, urls ...string) []browserPage {
	t.Helper()
	ctx, log := startBrowser(t)
	var out []browserPage
	for i, u := range urls {
		log.take()
		p, png, err := loadPage(ctx, u)
		if err != nil {
			t.Fatalf("load %s: %v", u, err)
		}
		p.Screenshot = filepath.Join(t.TempDir(), fmt.Sprintf("page-%d.png", i))
		if err := os.WriteFile(p.Screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("HITWAGE_SCREENSHOTS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", strings.ReplaceAll(t.Name(), "/", "_"), i)), png, 0o644)
		}
		time.Sleep(100 * time.Millisecond) // let late console events arrive
		p.ConsoleErrors, p.Offsite = log.take()
		out = append(out, p)
	}
	return out
}

// A worker fills the review form on a requester page and lands back on the page, told it was saved.
func TestReviewFormInBrowser(t *testing.T) {
	rs := newReviewSite(t, ingest.Config{})
	ctx, log := startBrowser(t)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	shot := func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("HITWAGE_SCREENSHOTS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, name), png, 0o644)
		}
	}
	text := "Paid within a day.\nClear instructions <b>really</b>."
	// A mistyped token first: the page comes back with the reason and the input, but not the token.
	// Communication and promptness stay at "no rating" (the browser lets the form go without
	// them), and the worker ticks the terms-of-service flag.
	err := chromedp.Do(ctx,
		chromedp.Navigate(rs.base+"/requesters/"+formReviewedID),
		chromedp.WaitVisible(chromedp.CSS("#review-token")),
		chromedp.SendKeys(chromedp.CSS("#review-token"), "hwt_mistyped"),
		chromedp.SetValue(chromedp.CSS("#review-pay"), "4"),
		chromedp.SetValue(chromedp.CSS("#review-fairness"), "5"),
		chromedp.Click(chromedp.CSS("#review-tos_violation")),
		chromedp.SendKeys(chromedp.CSS("#review-text"), text),
		chromedp.Click(chromedp.CSS("#review button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#review-token-error")),
	)
	if err != nil {
		t.Fatalf("submit with a wrong token: %v", err)
	}
	shot("review-form-refused.png")
	for sel, want := range map[string]string{"#review-token": "", "#review-pay": "4", "#review-fairness": "5", "#review-communication": "",
		"#review-text": text} {
		if got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel))); err != nil || got != want {
			t.Errorf("after a refusal %s = %q (%v), want %q", sel, got, err, want)
		}
	}
	for sel, want := range map[string]bool{"#review-tos_violation": true, "#review-broken_task": false} {
		if got, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("`+sel+`").checked`)); err != nil || got != want {
			t.Errorf("after a refusal %s checked = %v (%v), want %v", sel, got, err, want)
		}
	}
	// Then the right token: the review is saved and the worker lands back on the page.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#review-token"), rs.secret),
		chromedp.Click(chromedp.CSS("#review button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#review .notice-ok")),
	)
	if err != nil {
		t.Fatalf("fill and submit the review form: %v", err)
	}
	shot("review-form-saved.png")
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#review .notice-ok")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(location, "/requesters/"+formReviewedID+"?review=saved#review") || !strings.Contains(notice, "Your review was saved") {
		t.Errorf("after submitting: at %s, notice %q", location, notice)
	}
	revs := liveReviews(t, rs.s)
	if len(revs) != 1 || revs[0].Pay != 4 || revs[0].Fairness != 5 || revs[0].Communication != 0 || revs[0].Promptness != 0 ||
		!revs[0].TOSViolation || revs[0].BrokenTask || revs[0].Text != text {
		t.Fatalf("stored %+v", revs)
	}
	time.Sleep(100 * time.Millisecond) // let late console events arrive
	if console, offsite := log.take(); len(console) > 0 || len(offsite) > 0 {
		t.Errorf("console errors %v, offsite requests %v", console, offsite)
	}
}

func loadPage(ctx context.Context, u string) (browserPage, []byte, error) {
	var p browserPage
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		return p, nil, err
	}
	done := `document.querySelectorAll('[data-chart]').length === document.querySelectorAll('[data-rendered],[data-error]').length`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](done, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		return p, nil, fmt.Errorf("charts did not finish: %w", err)
	}
	var err error
	if p.Charts, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-chart]').length`)); err != nil {
		return p, nil, err
	}
	sized := `Array.from(document.querySelectorAll('[data-chart]')).filter(function(el){var c=el.querySelector('canvas');return c&&c.width>50&&c.height>50;}).length`
	if p.Rendered, err = chromedp.Run(ctx, chromedp.Evaluate[int](sized)); err != nil {
		return p, nil, err
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	return p, png, err
}
