package forum

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hitwage/hitwage/internal/records"
)

// Finding is one completion time a poster reported for one HIT group.
type Finding struct {
	Post   *Post
	Export *Export
	Took   time.Duration
	How    string // FromDuration or FromRate
	Quoted bool   // the HIT came from a quoted post: the reply is its author's own report of the same group
	Index  int    // the export's place in the post
}

// PostNote says what was made of one post, with the text that was not understood.
type PostNote struct {
	Post     *Post
	Exports  int
	Findings int
	Unparsed string
}

// Analyze reads the exports and reported times of posts in thread order. A reply without an
// export of its own that quotes one (by content, or by the quoted post's id among posts) and
// states its own time is its author's report for the same HIT group; the quoted post's
// time is never taken as the reply's.
func Analyze(posts []Post) ([]Finding, []PostNote) {
	byID := map[string][]Export{}
	var (
		found []Finding
		notes []PostNote
	)
	for i := range posts {
		p := &posts[i]
		segs := ParseExports(p.Own)
		note := PostNote{Post: p}
		var unparsed []string
		var exports []Export
		var preamble string
		for _, sg := range segs {
			if sg.Export == nil {
				preamble = sg.Text
				continue
			}
			exports = append(exports, *sg.Export)
			unparsed = append(unparsed, sg.Export.Unparsed...)
			took, how, ok := ReportedTime(sg.Text, sg.Export.Reward, sg.Export.HasReward)
			if ok {
				found = append(found, Finding{Post: p, Export: sg.Export, Took: took, How: how, Index: len(exports) - 1})
				note.Findings++
			} else if sg.Text != "" {
				unparsed = append(unparsed, sg.Text)
			}
		}
		if p.ID != "" && len(exports) > 0 {
			byID[p.ID] = exports
		}
		note.Exports = len(exports)
		if len(exports) == 0 && preamble != "" {
			if e := quotedExport(p, byID); e != nil {
				if took, how, ok := ReportedTime(preamble, e.Reward, e.HasReward); ok {
					found = append(found, Finding{Post: p, Export: e, Took: took, How: how, Quoted: true})
					note.Findings++
					preamble = ""
				}
			}
		}
		if preamble != "" {
			unparsed = append([]string{preamble}, unparsed...)
		}
		note.Unparsed = strings.Join(unparsed, "\n")
		notes = append(notes, note)
	}
	return found, notes
}

// quotedExport finds the HIT a reply is about: an export inside its quote, else the export
// of the quoted post when that post was crawled. Only a single export is unambiguous.
func quotedExport(p *Post, byID map[string][]Export) *Export {
	for _, q := range p.Quotes {
		var exports []Export
		for _, sg := range ParseExports(q.Text) {
			if sg.Export != nil {
				exports = append(exports, *sg.Export)
			}
		}
		if len(exports) == 0 {
			exports = byID[q.PostID]
		}
		if len(exports) == 1 {
			return &exports[0]
		}
	}
	return nil
}

// AuthorPseudonym is the reporter of a post's author: the keyed hash of kind "forum" of the
// forum's host and the author's name, so the same name on two forums is two reporters.
func AuthorPseudonym(h *records.Hasher, p *Post) string {
	host := ""
	if u, err := url.Parse(p.URL); err == nil {
		host = u.Host
	}
	return h.Reporter("forum", host+"/"+p.Author)
}

// Records turns findings into task records: reporter is the keyed hash of the forum author
// (kind "forum", with the forum's host), status "submitted" (the post does not say more),
// finished_at the post's time (the task was done by then), source the post's URL. The key
// is the post and HIT group, so a re-crawl or an edited post replaces its record.
// Findings without a requester id or a reward cannot be stored and are skipped.
func Records(found []Finding, h *records.Hasher, now time.Time) []records.Record {
	var out []records.Record
	for _, f := range found {
		e := f.Export
		if e.RequesterID == "" || !e.HasReward {
			continue
		}
		r := records.Record{
			RequesterID:     e.RequesterID,
			Reporter:        AuthorPseudonym(h, f.Post),
			HitSetID:        e.HitSetID,
			RequesterName:   e.RequesterName,
			Title:           e.Title,
			Reward:          e.Reward,
			DurationSeconds: uint32(f.Took / time.Second),
			Status:          records.Submitted,
			AllottedSeconds: uint32(e.Allotted / time.Second),
			Source:          f.Post.URL,
			ReceivedAt:      now,
		}
		if !f.Post.PostedAt.IsZero() {
			t := f.Post.PostedAt.Truncate(time.Millisecond)
			r.FinishedAt = &t
		}
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%s|%d", f.Post.URL, e.HitSetID, f.Index)))
		r.RecordKey = "f:" + hex.EncodeToString(sum[:])[:32]
		out = append(out, r)
	}
	return out
}
