package histories

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// PlatformOf is the platform a format's records belong to.
func PlatformOf(f Format) platform.ID {
	switch f {
	case ProlificCSV, ProlificSubs, ProlificStudy:
		return platform.Prolific
	}
	return platform.MTurk
}

// Extras counts what StoreExtras kept of a history besides its task records, and left out.
type Extras struct {
	Days, BadDays       int // daily statistics kept; with an unreadable date
	Studies, BadStudies int // study listings stored; without a valid id, researcher or reward
}

// StoreExtras keeps what rd's file held besides task records, once it has been read to its end:
// its daily statistics as reporter's (via: the token that uploaded it, "" from the command line)
// and its study listings as the snapshots of crawl.
func StoreExtras(ctx context.Context, s *store.Store, rd Reader, reporter, via, crawl string, at time.Time) (Extras, error) {
	var x Extras
	var err error
	if days := rd.Days(); len(days) > 0 {
		if x.Days, x.BadDays, err = StoreDays(ctx, s, reporter, PlatformOf(rd.Format()), rd.Format(), via, days, at); err != nil {
			return x, err
		}
	}
	if studies := rd.Studies(); len(studies) > 0 {
		if x.Studies, x.BadStudies, err = StoreStudies(ctx, s, crawl, at, studies); err != nil {
			return x, err
		}
	}
	return x, nil
}

var dayColumns = []string{"reporter", "platform", "day", "source", "submitted", "approved", "rejected", "pending",
	"returned", "abandoned", "paid", "earnings", "bonus", "via", "received_at"}

// StoreDays keeps the daily totals a history states as its worker's (worker_days, migration
// 0013): reporter is the pseudonym the history's records are filed under, source the file's
// format, via the token that uploaded it ("" for the command line). Days with a date that cannot
// be read are left out and counted.
func StoreDays(ctx context.Context, s *store.Store, reporter string, p platform.ID, source Format, via string, days []Day, at time.Time) (stored, bad int, err error) {
	type row struct {
		day      time.Time
		earnings *decimal.Decimal
		bonus    *decimal.Decimal
		d        *Day
	}
	rows := make([]row, 0, len(days))
	for i := range days {
		d := &days[i]
		t, err := time.Parse("2006-01-02", d.Date)
		if err != nil {
			bad++
			continue
		}
		rows = append(rows, row{day: t, earnings: amountOf(d.Earnings), bonus: amountOf(d.Bonus), d: d})
	}
	at = at.UTC().Truncate(time.Millisecond)
	err = s.Insert(ctx, "worker_days", dayColumns, len(rows), func(i int) []any {
		r := rows[i]
		return []any{reporter, string(p), r.day, string(source), count32(r.d.Submitted), count32(r.d.Approved),
			count32(r.d.Rejected), count32(r.d.Pending), count32(r.d.Returned), count32(r.d.Abandoned), count32(r.d.Paid),
			r.earnings, r.bonus, via, at}
	})
	if err != nil {
		return 0, bad, fmt.Errorf("histories: store daily statistics: %w", err)
	}
	return len(rows), bad, nil
}

// amountOf reads a day's amount; nil when unknown or not an amount.
func amountOf(s string) *decimal.Decimal {
	if s == "" {
		return nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil || d.Abs().GreaterThan(decimal.NewFromInt(1e9)) {
		return nil
	}
	d = d.Round(2)
	return &d
}

func orZero(d *decimal.Decimal) decimal.Decimal {
	if d == nil {
		return decimal.Zero
	}
	return *d
}

func count32(n *int) *uint32 {
	if n == nil || *n < 0 || *n > math.MaxUint32 {
		return nil
	}
	v := uint32(*n)
	return &v
}

var studyColumns = []string{"crawled_at", "crawl_id", "hit_set_id", "requester_id", "requester_name", "title",
	"description", "keywords", "reward", "currency", "assignment_duration_seconds", "assignable_hits", "created_at",
	"expires_at", "qualifications", "source", "advertised_hourly", "estimated_seconds", "average_seconds", "places"}

// StoreStudies writes study listings as listing snapshots of their researchers (Prolific's keys)
// seen at: the advertised reward per hour, estimated and average times and places beside the
// reward. Studies without a valid id, researcher or reward are left out and counted.
func StoreStudies(ctx context.Context, s *store.Store, crawlID string, seen time.Time, studies []Study) (stored, bad int, err error) {
	pl := platform.Get(platform.Prolific)
	var keep []Study
	for _, st := range studies {
		if !pl.ValidGroup(st.ID) || !pl.ValidRequester(st.ResearcherID) || amountOf(st.Reward) == nil || !pl.PaysIn(st.Currency) {
			bad++
			continue
		}
		keep = append(keep, st)
	}
	seen = seen.UTC().Truncate(time.Millisecond)
	err = s.Insert(ctx, "listing_snapshots", studyColumns, len(keep), func(i int) []any {
		st := keep[i]
		var published *time.Time
		if t, err := time.Parse(time.RFC3339Nano, st.PublishedAt); err == nil {
			t = t.UTC()
			published = &t
		}
		open := st.Places - st.PlacesTaken
		return []any{seen, crawlID, st.ID, platform.Key(platform.Prolific, st.ResearcherID), st.ResearcherName, st.Name,
			"", "", *amountOf(st.Reward), st.Currency, clamp32(st.MaxMinutes * 60), clamp32(open), published, nil, "[]",
			market.ListingSource, orZero(amountOf(st.HourlyRate)), clamp32(st.EstimatedMinutes * 60), clamp32(st.AverageSeconds), clamp32(st.Places)}
	})
	if err != nil {
		return 0, bad, fmt.Errorf("histories: store study listings: %w", err)
	}
	return len(keep), bad, nil
}

func clamp32(n int) uint32 {
	switch {
	case n < 0:
		return 0
	case n > math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(n)
}
