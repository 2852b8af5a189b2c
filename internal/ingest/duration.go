package ingest

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// ErrDuration is returned for a duration in none of the accepted formats.
var ErrDuration = errors.New("ingest: not a duration; use seconds (390), 390s, 6.5 min, 6:30 or 00:06:30")

// maxParsedDuration bounds what ParseDuration accepts, so sums cannot overflow.
const maxParsedDuration = 400 * 24 * time.Hour

// ParseDuration reads a duration in the forms workers' tools write: a bare number of
// seconds ("390", "390.5"), a number with a unit ("390s", "6.5 min", "1.5 hours"), unit
// sequences ("6m30s", "1 h 2 min"), clock forms ("6:30" is minutes:seconds, "00:06:30" and
// "1:02:03" are hours:minutes:seconds) and ISO 8601 ("PT6M30S").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 64 {
		return 0, ErrDuration
	}
	if strings.Contains(s, ":") {
		return parseClock(s)
	}
	if strings.HasPrefix(s, "pt") {
		s = s[2:]
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return seconds(v)
	}
	var total float64
	rest := s
	parts := 0
	for rest != "" {
		rest = strings.TrimLeft(rest, " ,")
		if rest == "" {
			break
		}
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, ErrDuration
		}
		v, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, ErrDuration
		}
		rest = strings.TrimLeft(rest[i:], " ")
		j := 0
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		unit, ok := units[strings.TrimSuffix(rest[:j], ".")]
		if !ok {
			return 0, ErrDuration
		}
		total += v * unit
		rest = strings.TrimPrefix(rest[j:], ".")
		parts++
	}
	if parts == 0 {
		return 0, ErrDuration
	}
	return seconds(total)
}

var units = map[string]float64{
	"s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
	"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
	"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
	"d": 86400, "day": 86400, "days": 86400,
}

// parseClock reads m:ss, h:mm:ss (and mm:ss.fff fractions of seconds).
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, ErrDuration
	}
	var total float64
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || strings.HasPrefix(p, "-") || strings.HasPrefix(p, "+") {
			return 0, ErrDuration
		}
		last := i == len(parts)-1
		var v float64
		if last {
			f, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return 0, ErrDuration
			}
			v = f
		} else {
			n, err := strconv.ParseUint(p, 10, 32)
			if err != nil {
				return 0, ErrDuration
			}
			v = float64(n)
		}
		if i > 0 && v >= 60 {
			return 0, ErrDuration
		}
		total = total*60 + v
	}
	// Two parts are m:ss, three are h:mm:ss; either way total is now in seconds.
	return seconds(total)
}

func seconds(v float64) (time.Duration, error) {
	if math.IsNaN(v) || v < 0 || v > maxParsedDuration.Seconds() {
		return 0, ErrDuration
	}
	return time.Duration(math.Round(v * float64(time.Second))), nil
}
