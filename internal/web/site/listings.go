package site

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// Advertised is what a Prolific study's latest listing advertised, beside what its workers
// reported of it. A study no worker reported with a time has Reported nil and a labelled
// Estimate instead: an estimate from the listing, kept apart from every reported figure.
type Advertised struct {
	StudyID          string
	RequesterID      string // the researcher's stored key
	RequesterName    string // untrusted text: escaped by the templates
	Title            string // untrusted text
	Currency         string // of Reward and Hourly
	Reward           float64
	Hourly           *float64 // advertised per hour: the listing's own rate, else reward over the estimated time
	Stated           bool     // Hourly is the rate the listing stated, not worked out here
	EstimatedSeconds uint32   // the researcher's estimate; 0: not given
	AverageSeconds   uint32   // Prolific's average completion time; 0: not given
	Places           uint32   // 0: not given
	LastSeen         time.Time
	Reported         *wages.Group // the study's reported figures when some report has a time on task
	Untimed          uint64       // reports of the study without a time on task (in no wage)
	Estimate         string       // when Reported is nil: "advertised, not reported: £X/h if it takes the estimated N min"
}

// AdvertisedOf sets study s's latest listing beside its reported figures g (nil when unreported).
func AdvertisedOf(s market.Study, g *wages.Group) Advertised {
	rw := s.Reward.InexactFloat64()
	v := Advertised{StudyID: s.StudyID, RequesterID: s.RequesterID, RequesterName: s.RequesterName, Title: s.Title,
		Currency: s.Currency, Reward: rw, EstimatedSeconds: s.EstimatedSeconds, AverageSeconds: s.AverageSeconds,
		Places: s.Places, LastSeen: s.LastSeen}
	if v.Currency == "" {
		v.Currency = platform.Get(platform.Prolific).Currency
	}
	if h, stated, ok := s.Hourly(); ok {
		v.Hourly, v.Stated = &h, stated
	}
	if g != nil {
		if g.Records > g.Untimed {
			v.Reported = g
		} else {
			v.Untimed = g.Untimed
		}
	}
	if v.Reported == nil {
		v.Estimate = estimateLabel(v)
	}
	return v
}

// estimateLabel says what a study's listing advertises per hour, labelled as no report.
func estimateLabel(v Advertised) string {
	sym := platform.Symbol(v.Currency)
	switch {
	case v.Hourly != nil && v.EstimatedSeconds > 0:
		return fmt.Sprintf("advertised, not reported: %s%.2f/h if it takes the estimated %s min", sym, *v.Hourly, minutes(v.EstimatedSeconds))
	case v.Hourly != nil:
		return fmt.Sprintf("advertised, not reported: %s%.2f/h as the listing states it (no estimated time given)", sym, *v.Hourly)
	}
	return fmt.Sprintf("advertised, not reported: %s%.2f a place (no estimated time to make an hourly rate of)", sym, v.Reward)
}

// minutes prints seconds as minutes to a tenth: "14", "7.5".
func minutes(secs uint32) string {
	return strconv.FormatFloat(math.Round(float64(secs)/6)/10, 'f', -1, 64)
}

// studyRows sets a researcher's listed studies beside their reported figures (its groups).
func studyRows(studies []market.Study, groups []wages.Group) []Advertised {
	if len(studies) == 0 {
		return nil
	}
	byID := make(map[string]*wages.Group, len(groups))
	for i := range groups {
		byID[groups[i].HitSetID] = &groups[i]
	}
	out := make([]Advertised, len(studies))
	for i, s := range studies {
		out[i] = AdvertisedOf(s, byID[s.StudyID])
	}
	return out
}
