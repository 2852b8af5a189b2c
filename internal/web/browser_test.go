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

// browse loads each URL in one headless Chromium and reports what it saw.
func browse(t *testing.T, urls ...string) []browserPage {
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
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first run starts the browser; it must not carry a timeout (that would end the browser).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	var (
		mu      sync.Mutex
		console []string
		offsite []string
	)
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				console = append(console, string(e.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			console = append(console, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
		case *network.EventRequestWillBeSent:
			u, err := url.Parse(e.Request.URL)
			if err == nil && (u.Scheme == "data" || u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost" || u.Hostname() == "::1") {
				return
			}
			offsite = append(offsite, e.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var out []browserPage
	for i, u := range urls {
		mu.Lock()
		console, offsite = nil, nil
		mu.Unlock()
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
		mu.Lock()
		p.ConsoleErrors, p.Offsite = append([]string(nil), console...), append([]string(nil), offsite...)
		mu.Unlock()
		out = append(out, p)
	}
	return out
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
