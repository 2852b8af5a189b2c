package market

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed studies.sql
var studiesSQL string

// The two filters of studies.sql: constants, whose values are bound parameters.
var (
	researcherStudiesSQL = studiesQuery("requester_id = {rid:String}")
	oneStudySQL          = studiesQuery("hit_set_id = {sid:String}")
)

func studiesQuery(where string) string {
	var b strings.Builder
	if err := template.Must(template.New("studies.sql").Parse(studiesSQL)).Execute(&b, struct{ Where string }{where}); err != nil {
		panic(err) // a constant template and filter: fails in every test or never
	}
	return b.String()
}

// Listing snapshots of Prolific's studies: their source, and the crawls of those that are
// reporters' words (listing_snapshots.reported, migration 0017) rather than the platform's.
const (
	ListingSource = "prolific-studies" // listing_snapshots.source of Prolific's study listings
	RelayCrawl    = "relay"            // the crawl of listings a participant's userscript relayed
	uploadCrawl   = "upload:"          // the crawl of listings a worker uploaded starts so
)

// UploadCrawl is the crawl of the study listings of an uploaded file.
func UploadCrawl(file string) string { return uploadCrawl + file }

// MaxStudies is how many of a researcher's studies ResearcherStudies returns, newest listed first.
const MaxStudies = 200

// Study is a Prolific study as its latest listing advertised it.
type Study struct {
	StudyID          string
	RequesterID      string // the researcher's stored key (platform.Key)
	RequesterName    string // untrusted text: escape it wherever it is shown
	Title            string // untrusted text
	Reward           decimal.Decimal
	Currency         string
	AdvertisedHourly decimal.Decimal // the reward per hour Prolific showed; 0: not given
	EstimatedSeconds uint32          // the researcher's estimated completion time; 0: not given
	AverageSeconds   uint32          // Prolific's average completion time; 0: not given
	Places           uint32          // places in all; 0: not given
	MaxSeconds       uint32          // the maximum time allowed
	FirstSeen        time.Time
	LastSeen         time.Time
	Snapshots        uint64
}

// Hourly is the reward per hour the study advertised: Prolific's own figure when the listing gave
// one (stated), else the reward over the estimated time; ok is false when neither is known.
func (s Study) Hourly() (v float64, stated, ok bool) {
	if s.AdvertisedHourly.IsPositive() {
		return s.AdvertisedHourly.InexactFloat64(), true, true
	}
	if s.EstimatedSeconds == 0 {
		return 0, false, false
	}
	return s.Reward.InexactFloat64() * 3600 / float64(s.EstimatedSeconds), false, true
}

// ResearcherStudies returns the latest listings of a Prolific researcher's studies (by stored
// key), newest seen first, at most MaxStudies; empty when none was listed.
func ResearcherStudies(ctx context.Context, s *store.Store, requesterID string) ([]Study, error) {
	out, err := queryStudies(ctx, s, researcherStudiesSQL, store.Args{"src": ListingSource, "rid": requesterID, "n": MaxStudies})
	if err != nil {
		return nil, fmt.Errorf("market: studies of %s: %w", requesterID, err)
	}
	return out, nil
}

// StudyListing returns a Prolific study's latest listing, or ErrNotFound.
func StudyListing(ctx context.Context, s *store.Store, studyID string) (Study, error) {
	out, err := queryStudies(ctx, s, oneStudySQL, store.Args{"src": ListingSource, "sid": studyID, "n": 1})
	if err != nil {
		return Study{}, fmt.Errorf("market: study %s: %w", studyID, err)
	}
	if len(out) == 0 {
		return Study{}, ErrNotFound
	}
	return out[0], nil
}

func queryStudies(ctx context.Context, s *store.Store, q string, args store.Args) ([]Study, error) {
	rows, err := s.Query(ctx, q, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Study
	for rows.Next() {
		var st Study
		if err := rows.Scan(&st.StudyID, &st.RequesterID, &st.RequesterName, &st.Title, &st.Reward, &st.Currency,
			&st.AdvertisedHourly, &st.EstimatedSeconds, &st.AverageSeconds, &st.Places, &st.MaxSeconds,
			&st.FirstSeen, &st.LastSeen, &st.Snapshots); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}
