package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
)

// The card and the home page carry no inline style attributes: their CSP (style-src 'self')
// blocks them, so the card drew with margins, no fixed height and the wrong font sizes.
func TestNoInlineStyles(t *testing.T) {
	st := smallSite(t)
	for _, path := range []string{"/", "/requesters/" + longID, "/embed/requesters/" + longID + "/card"} {
		body, h := getPage(t, st.base+path, 200)
		if strings.Contains(body, `style="`) || strings.Contains(body, "style='") {
			t.Errorf("%s has an inline style attribute", path)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s CSP = %q", path, csp)
		}
	}
}

// In a 360×150 frame (the size the snippet gives), the card logs no CSP violation, has no body
// margin, keeps to 150 px and shows the wage even when the requester's name is very long.
func TestCardInBrowser(t *testing.T) {
	st := smallSite(t)
	ctx, clog := startBrowser(t)
	var mu sync.Mutex
	var logged []string
	if err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*cdplog.EventEntryAdded)
		// The site serves no favicon; the browser asks for one anyway.
		if ok && (e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning) && !strings.HasSuffix(e.Entry.URL, "/favicon.ico") {
			mu.Lock()
			logged = append(logged, string(e.Entry.Source)+": "+e.Entry.Text+" "+e.Entry.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 150)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/embed/requesters/" + longID + "/card", "/"} {
		clog.take()
		mu.Lock()
		logged = nil
		mu.Unlock()
		if err := chromedp.Do(ctx, chromedp.Navigate(st.base+path), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatalf("load %s: %v", path, err)
		}
		if path != "/" {
			js := `(function(){var b=getComputedStyle(document.body), c=document.querySelector('.card'), f=document.querySelector('.figure');
				return {Margin:b.marginTop+' '+b.marginLeft, NameOverflow:getComputedStyle(document.querySelector('.card-name')).textOverflow,
				CardHeight:c.getBoundingClientRect().height, FigureBottom:f.getBoundingClientRect().bottom,
				UnitSize:getComputedStyle(f.querySelector('.muted')).fontSize, MetaSize:getComputedStyle(c.lastElementChild).fontSize};})()`
			got, err := chromedp.Run(ctx, chromedp.Evaluate[cardBox](js))
			if err != nil {
				t.Fatal(err)
			}
			// 16 px root font: .8rem is 12.8 px, .85rem is 13.6 px.
			if got.Margin != "0px 0px" || got.CardHeight != 150 || got.FigureBottom > 150 || got.NameOverflow != "ellipsis" ||
				got.UnitSize != "12.8px" || got.MetaSize != "13.6px" {
				t.Errorf("card as drawn: %+v", got)
			}
		}
		time.Sleep(200 * time.Millisecond) // let late log entries arrive
		console, _ := clog.take()
		mu.Lock()
		all := append(console, logged...)
		mu.Unlock()
		for _, m := range all {
			t.Errorf("%s logged %s", path, m)
		}
	}
}

// cardBox is how the card was drawn.
type cardBox struct {
	Margin, NameOverflow string
	CardHeight           float64
	FigureBottom         float64
	UnitSize, MetaSize   string
}
