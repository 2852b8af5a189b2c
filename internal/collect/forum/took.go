package forum

import (
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/ingest"
)

// How a completion time was read from a post.
const (
	FromDuration = "duration" // the poster wrote how long it took ("took me 6:30", "about 90 seconds each")
	FromRate     = "rate"     // the poster wrote an hourly figure and the export gave the reward
)

var (
	// A clock time ("6:30", "0:06:30") not followed by am/pm.
	clockRe = regexp.MustCompile(`(?i)\b(\d{1,2}:\d{2}(?::\d{2})?)\b(\s*[ap]\.?m\b)?`)
	// A number with a time unit: "90 seconds", "12 minutes", "1.5 hrs", "6m30s".
	unitRe = regexp.MustCompile(`(?i)\b(\d+(?:\.\d+)?\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|hr|s|m|h)(?:\s*\d+(?:\.\d+)?\s*(?:seconds?|secs?|s))?)\b`)
	// An hourly rate: "$13.85/hr", "$2 an hour", "$9 per hour", "$12ph".
	rateRe = regexp.MustCompile(`(?i)\$\s*(\d{1,4}(?:\.\d{1,2})?)\s*(?:/\s*(?:hr|hour|h)\b|an hour|per hour|ph\b|hourly)`)
	// Words that say a duration is the poster's time for the task, not a wait, a deadline or a queue.
	notTaskTime = regexp.MustCompile(`(?i)\b(expire[sd]?|pending|pends?|approv\w*|auto.?approv\w*|timer|allotted|deadline|ago|left|later|until|within|returned after|wait\w*)\b`)
)

// ReportedTime reads the time the poster says the task took them from their own text (quotes
// already removed). A stated duration wins; else an hourly figure with the reward known gives
// reward / rate. It answers false when the text states neither, or nothing between 1 s and 24 h.
func ReportedTime(text string, reward decimal.Decimal, hasReward bool) (time.Duration, string, bool) {
	for _, sentence := range splitSentences(text) {
		if notTaskTime.MatchString(sentence) {
			continue
		}
		if d, ok := clockIn(sentence); ok {
			return d, FromDuration, true
		}
		if m := unitRe.FindString(sentence); m != "" {
			if d, err := ingest.ParseDuration(m); err == nil && d >= time.Second && d <= 24*time.Hour {
				return d, FromDuration, true
			}
		}
	}
	if hasReward && reward.IsPositive() {
		if m := rateRe.FindStringSubmatch(text); m != nil {
			rate, err := decimal.NewFromString(m[1])
			if err == nil && rate.IsPositive() {
				secs, _ := reward.Div(rate).Mul(decimal.NewFromInt(3600)).Float64()
				d := time.Duration(math.Round(secs)) * time.Second
				if d >= time.Second && d <= 24*time.Hour {
					return d, FromRate, true
				}
			}
		}
	}
	return 0, "", false
}

func clockIn(sentence string) (time.Duration, bool) {
	for _, m := range clockRe.FindAllStringSubmatch(sentence, -1) {
		if m[2] != "" {
			continue // a time of day
		}
		if d, err := ingest.ParseDuration(m[1]); err == nil && d >= time.Second && d <= 24*time.Hour {
			return d, true
		}
	}
	return 0, false
}

// splitSentences cuts text at sentence ends and line breaks, keeping decimals ("6.5 min") whole.
func splitSentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		end := c == '\n' || c == '!' || c == '?' || c == ';'
		if c == '.' && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			end = true
		}
		if end {
			if s := strings.TrimSpace(text[start:i]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}
