package site

import (
	"fmt"
	"html"
	"strings"

	"github.com/hitwage/hitwage/internal/lookup"
)

// Snippet is one copy-ready embed a forum post can paste, and what it is written in.
type Snippet struct{ Label, Text string }

// EmbedLabel is what a badge, a card's frame, oEmbed and the snippets call hitwage: "hitwage demo"
// while the figures are the generated demo data set, so a demo figure pasted into a forum says so.
func (s *Site) EmbedLabel() string {
	if s.DemoData() {
		return "hitwage demo"
	}
	return "hitwage"
}

// Snippets are the BBCode, Markdown and HTML a forum post can paste.
func (s *Site) Snippets(r *lookup.Requester) []Snippet {
	page := s.Deps.BaseURL + RequesterPath(r.ID)
	badge := s.Deps.BaseURL + BadgePath(r.ID)
	label := s.EmbedLabel()
	alt := label + ": " + bbEscape(r.Name)
	mdAlt := mdAltEscape(label + ": " + r.Name)
	return []Snippet{
		{"BBCode", fmt.Sprintf("[url=%s][img]%s[/img][/url] %s", page, badge, alt)},
		{"Markdown", fmt.Sprintf("[![%s](%s)](%s)", mdAlt, badge, page)},
		{"HTML", fmt.Sprintf(`<a href="%s"><img src="%s" alt="%s" height="20"></a>`, html.EscapeString(page), html.EscapeString(badge), html.EscapeString(label+": "+r.Name))},
		{"HTML card (iframe)", s.CardIframe(r, CardWidth)},
	}
}

// The card's frame: 360 by 150 pixels, and no narrower than CardMinWidth (its name then ends in
// an ellipsis; the figures still fit).
const (
	CardWidth, CardHeight = 360, 150
	CardMinWidth          = 240
)

// CardIframe is the HTML that frames a requester's card width pixels wide, for snippets and oEmbed.
func (s *Site) CardIframe(r *lookup.Requester, width int) string {
	card := s.Deps.BaseURL + CardPath(r.ID)
	return fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" style="border:0" title="%s"></iframe>`,
		html.EscapeString(card), width, CardHeight, html.EscapeString(s.EmbedLabel()+": "+r.Name))
}

// mdAltText drops what could end a Markdown image's alt text early or turn into markup where a
// Markdown engine copies the alt text into HTML as it is: HTML's special characters (& and '
// become look-alikes), the brackets (made parentheses, as in BBCode), the backslash (it would
// escape what follows), the backtick and line breaks.
var mdAltText = strings.NewReplacer("[", "(", "]", ")", "<", "", ">", "", `"`, "", "'", "’", "&", "＆", `\`, "", "`", "", "\n", " ", "\r", " ")

// mdAltEscape makes a name safe as a Markdown image's alt text.
func mdAltEscape(s string) string { return mdAltText.Replace(s) }

// bbEscape keeps a name from opening BBCode tags.
func bbEscape(s string) string { return strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(s) }
