// Package forum collects worker-reported completion times from forum threads where workers
// post HIT exports: it crawls XenForo-style thread pages with colly, parses the BBCode export
// template each post carries, reads the time the poster says the HIT took them, and turns
// each into a task record whose source is the post's URL.
package forum

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/ingest"
)

// Export is one HIT export as a worker extension formats it for a forum post.
type Export struct {
	HitSetID      string
	Title         string
	RequesterID   string
	RequesterName string
	Description   string
	Reward        decimal.Decimal
	HasReward     bool
	Allotted      time.Duration // the "Time:" line: the assignment's allotted time
	Available     int           // HITs available when posted
	Unparsed      []string      // lines of the export that were not understood
}

// Segment is a part of a post: an export (when Export is non-nil) and the poster's text
// that follows it up to the next export. The text before the first export is a segment
// without an export.
type Segment struct {
	Export *Export
	Text   string
}

var (
	tagRe       = regexp.MustCompile(`\[/?[a-zA-Z0-9]+(?:=[^\]]*)?\]`)
	urlRe       = regexp.MustCompile(`(?i)\[url=([^\]]*)\]([^\[]*)\[/url\]`)
	labelRe     = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9 ]{0,30}?)\s*:\s*(.*)$`)
	groupIDRe   = regexp.MustCompile(`(?i)(?:groupId=|/projects/)([A-Z0-9]{30})\b`)
	reqIDRe     = regexp.MustCompile(`\[(A[A-Z0-9]{12,20})\]|requesterId=(A[A-Z0-9]{12,20})\b|/requesters/(A[A-Z0-9]{12,20})\b`)
	moneyRe     = regexp.MustCompile(`\$\s*(\d{1,5}(?:\.\d{1,2})?)`)
	bareMoneyRe = regexp.MustCompile(`(\d{1,5}\.\d{2})`)
	intRe       = regexp.MustCompile(`\d[\d,]*`)
)

// known export labels; "TO 1" and "TO 2" lines carry Turkopticon figures we do not need.
var exportLabels = map[string]bool{"title": true, "worker": true, "requester": true, "to 1": true, "to 2": true, "to": true,
	"description": true, "time": true, "hits available": true, "reward": true, "qualifications": true}

// ParseExports splits a post's BBCode (HTML-escaped or not) into segments: each export with
// the text written after it, and the text before the first export.
func ParseExports(bbcode string) []Segment {
	text := html.UnescapeString(strings.ReplaceAll(bbcode, "\r\n", "\n"))
	lines := strings.Split(text, "\n")
	var (
		segs []Segment
		cur  = &Segment{}
		body []string
		exp  *Export
		done bool // the current export's Qualifications line was seen: what follows is the poster's
	)
	flush := func() {
		cur.Text = strings.TrimSpace(strings.Join(body, "\n"))
		if cur.Export != nil || cur.Text != "" {
			segs = append(segs, *cur)
		}
		body = nil
	}
	for _, line := range lines {
		plain := strings.TrimSpace(tagRe.ReplaceAllString(line, ""))
		label, value := "", ""
		if m := labelRe.FindStringSubmatch(plain); m != nil {
			label, value = strings.ToLower(strings.TrimSpace(m[1])), strings.TrimSpace(m[2])
		}
		if label == "title" {
			flush()
			exp = &Export{}
			cur = &Segment{Export: exp}
			done = false
			exp.setTitle(line, value)
			continue
		}
		if exp != nil && !done {
			switch {
			case exportLabels[label] || strings.HasPrefix(label, "to "):
				exp.setField(label, line, value)
				if label == "qualifications" {
					done = true
				}
				continue
			case plain == "":
				continue
			default:
				done = true // a line that is not the template's: the export is over
			}
		}
		body = append(body, stripTags(line))
	}
	flush()
	return segs
}

func (e *Export) setTitle(line, value string) {
	if m := urlRe.FindStringSubmatch(line); m != nil {
		e.Title = strings.TrimSpace(m[2])
	} else {
		e.Title = value
	}
	if m := groupIDRe.FindStringSubmatch(line); m != nil {
		e.HitSetID = strings.ToUpper(m[1])
	}
}

func (e *Export) setField(label, line, value string) {
	if e.HitSetID == "" {
		if m := groupIDRe.FindStringSubmatch(line); m != nil {
			e.HitSetID = strings.ToUpper(m[1])
		}
	}
	switch label {
	case "requester":
		if m := urlRe.FindStringSubmatch(line); m != nil {
			e.RequesterName = strings.TrimSpace(m[2])
		} else {
			e.RequesterName = strings.TrimSpace(reqIDRe.ReplaceAllString(value, ""))
		}
		if m := reqIDRe.FindStringSubmatch(line); m != nil {
			e.RequesterID = m[1] + m[2] + m[3]
		}
	case "worker":
		if e.RequesterID == "" {
			if m := reqIDRe.FindStringSubmatch(line); m != nil {
				e.RequesterID = m[1] + m[2] + m[3]
			}
		}
	case "description":
		e.Description = value
	case "time":
		if d, err := ingest.ParseDuration(value); err == nil {
			e.Allotted = d
		} else {
			e.Unparsed = append(e.Unparsed, stripTags(line))
		}
	case "hits available":
		if m := intRe.FindString(value); m != "" {
			e.Available, _ = strconv.Atoi(strings.ReplaceAll(m, ",", ""))
		}
	case "reward":
		m := moneyRe.FindStringSubmatch(value)
		if m == nil {
			m = bareMoneyRe.FindStringSubmatch(value)
		}
		if m != nil {
			if d, err := decimal.NewFromString(m[1]); err == nil {
				e.Reward, e.HasReward = d, true
				return
			}
		}
		e.Unparsed = append(e.Unparsed, stripTags(line))
	case "qualifications", "to 1", "to 2", "to":
	default:
		if !strings.HasPrefix(label, "to ") {
			e.Unparsed = append(e.Unparsed, stripTags(line))
		}
	}
}

// stripTags drops BBCode tags and keeps their text.
func stripTags(s string) string { return strings.TrimSpace(tagRe.ReplaceAllString(s, "")) }
