package reports

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/hitwage/hitwage/internal/wages"
)

// Kinds of period.
const (
	Weekly  = "weekly"
	Monthly = "monthly"
)

// Period is one report's time span: an ISO week (2026-W47) or a calendar month (2026-11), in UTC.
type Period struct {
	Name string    // 2026-W47 or 2026-11: the report's permanent name
	Kind string    // Weekly or Monthly
	From time.Time // first instant, inclusive
	To   time.Time // end, exclusive
}

// ErrPeriod reports a period name that is neither an ISO week nor a month.
var ErrPeriod = errors.New("reports: period must be an ISO week like 2026-W47 or a month like 2026-11")

var (
	weekRe  = regexp.MustCompile(`^([0-9]{4})-W([0-9]{2})$`)
	monthRe = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})$`)
)

// ParsePeriod reads a period name: an ISO week (2026-W47) or a month (2026-11).
func ParsePeriod(s string) (Period, error) {
	if m := weekRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		if y < 2000 || y > 2999 || w < 1 || w > isoWeeks(y) {
			return Period{}, fmt.Errorf("%w: no week %d in %d", ErrPeriod, w, y)
		}
		return WeekOf(isoWeekStart(y, w)), nil
	}
	if m := monthRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if y < 2000 || y > 2999 || mo < 1 || mo > 12 {
			return Period{}, fmt.Errorf("%w: no month %q", ErrPeriod, s)
		}
		return MonthOf(time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)), nil
	}
	return Period{}, fmt.Errorf("%w: got %q", ErrPeriod, s)
}

// WeekOf returns the ISO week (Monday 00:00 UTC onwards) that contains t.
func WeekOf(t time.Time) Period {
	r := wages.Week(t)
	y, w := r.From.ISOWeek()
	return Period{Name: fmt.Sprintf("%04d-W%02d", y, w), Kind: Weekly, From: r.From, To: r.To}
}

// MonthOf returns the calendar month (UTC) that contains t.
func MonthOf(t time.Time) Period {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return Period{Name: d.Format("2006-01"), Kind: Monthly, From: d, To: d.AddDate(0, 1, 0)}
}

// Previous returns the period of the same kind just before p.
func (p Period) Previous() Period {
	if p.Kind == Monthly {
		return MonthOf(p.From.AddDate(0, 0, -1))
	}
	return WeekOf(p.From.AddDate(0, 0, -1))
}

// LastComplete returns the newest period of the kind that has ended by now.
func LastComplete(kind string, now time.Time) Period {
	if kind == Monthly {
		return MonthOf(now).Previous()
	}
	return WeekOf(now).Previous()
}

// Label is the period in words, e.g. "week 2026-W47 (2026-11-16 to 2026-11-22)".
func (p Period) Label() string {
	last := p.To.AddDate(0, 0, -1).Format("2006-01-02")
	if p.Kind == Monthly {
		return fmt.Sprintf("month %s (%s to %s)", p.Name, p.From.Format("2006-01-02"), last)
	}
	return fmt.Sprintf("week %s (%s to %s)", p.Name, p.From.Format("2006-01-02"), last)
}

// isoWeekStart is the Monday of ISO week w of year y.
func isoWeekStart(y, w int) time.Time {
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1))
}

// isoWeeks is the number of ISO weeks in year y (52 or 53).
func isoWeeks(y int) int {
	_, w := time.Date(y, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}
