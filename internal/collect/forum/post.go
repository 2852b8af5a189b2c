package forum

import (
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Post is one forum post as crawled: who wrote it, when, and its text in BBCode form with
// quoted posts taken out (a quote is someone else's words).
type Post struct {
	ID        string // the forum's post id
	URL       string // absolute permalink: the records' source
	ThreadURL string
	Author    string
	PostedAt  time.Time
	Own       string  // the poster's own text, BBCode-ish: [b], [url=...], line breaks
	Quotes    []Quote // posts this one quotes
}

// Quote is a quoted post inside a reply.
type Quote struct {
	PostID string // the quoted post's id, when the forum says
	Author string
	Text   string
}

var postIDRe = regexp.MustCompile(`(\d+)\s*$`)

// parsePost reads a XenForo 2 "article.message--post" element.
func parsePost(sel *goquery.Selection, pageURL func(string) string, threadURL string) Post {
	p := Post{ThreadURL: threadURL, Author: strings.TrimSpace(sel.AttrOr("data-author", ""))}
	if m := postIDRe.FindStringSubmatch(sel.AttrOr("data-content", sel.AttrOr("id", ""))); m != nil {
		p.ID = m[1]
	}
	link := sel.Find(".message-attribution-main a[href]").First()
	if href, ok := link.Attr("href"); ok {
		p.URL = pageURL(href)
	} else if p.ID != "" {
		p.URL = pageURL("#post-" + p.ID)
	}
	if dt, ok := sel.Find("time[datetime]").First().Attr("datetime"); ok {
		for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
			if t, err := time.Parse(layout, dt); err == nil {
				p.PostedAt = t.UTC()
				break
			}
		}
	}
	body := sel.Find(".message-body .bbWrapper").First()
	var own strings.Builder
	body.Contents().Each(func(_ int, c *goquery.Selection) { toBBCode(&own, c.Nodes[0], &p) })
	p.Own = strings.TrimSpace(collapseBlankLines(own.String()))
	return p
}

// toBBCode writes a node as the BBCode a poster would have typed; quotes go to p.Quotes.
func toBBCode(w *strings.Builder, n *html.Node, p *Post) {
	switch n.Type {
	case html.TextNode:
		w.WriteString(strings.ReplaceAll(n.Data, "\n", ""))
		return
	case html.ElementNode:
	default:
		return
	}
	children := func(w *strings.Builder) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			toBBCode(w, c, p)
		}
	}
	switch n.Data {
	case "br":
		w.WriteString("\n")
	case "blockquote":
		if hasClass(n, "bbCodeBlock--quote") {
			q := Quote{Author: attr(n, "data-quote")}
			if m := postIDRe.FindStringSubmatch(attr(n, "data-source")); m != nil {
				q.PostID = m[1]
			}
			var qb strings.Builder
			children(&qb)
			q.Text = strings.TrimSpace(qb.String())
			p.Quotes = append(p.Quotes, q)
			w.WriteString("\n")
			return
		}
		children(w)
		w.WriteString("\n")
	case "a":
		w.WriteString("[url=" + attr(n, "href") + "]")
		children(w)
		w.WriteString("[/url]")
	case "b", "strong":
		w.WriteString("[b]")
		children(w)
		w.WriteString("[/b]")
	case "script", "style":
	case "div", "p", "tr", "table", "li":
		children(w)
		w.WriteString("\n")
	default:
		children(w)
	}
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

func collapseBlankLines(s string) string { return blankLines.ReplaceAllString(s, "\n\n") }

// bbQuoteRe finds [QUOTE="author, post: 123, member: 9"]...[/QUOTE] blocks of BBCode source.
var bbQuoteRe = regexp.MustCompile(`(?is)\[quote(?:=("?)([^\]]*?)("?))?\](.*?)\[/quote\]`)

// PostFromBBCode splits a post's BBCode source into its own text and its quotes, as the
// crawler does for HTML pages.
func PostFromBBCode(src string) (own string, quotes []Quote) {
	own = bbQuoteRe.ReplaceAllStringFunc(src, func(m string) string {
		sub := bbQuoteRe.FindStringSubmatch(m)
		q := Quote{Text: strings.TrimSpace(sub[4])}
		parts := strings.Split(sub[2], ",")
		q.Author = strings.TrimSpace(parts[0])
		for _, part := range parts[1:] {
			if k, v, ok := strings.Cut(part, ":"); ok && strings.TrimSpace(k) == "post" {
				q.PostID = strings.TrimSpace(v)
			}
		}
		quotes = append(quotes, q)
		return "\n"
	})
	return strings.TrimSpace(own), quotes
}
