package market

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
)

//go:embed estimate_target.sql
var estimateTargetSQL string

//go:embed estimate_basis.sql
var estimateBasisSQL string

// EstimateLabel marks every Estimate: it is not a measured wage and must be shown as one.
const EstimateLabel = "estimate"

// The bases an Estimate can rest on, from best to weakest.
const (
	BasisRequesterAndSimilar = "requester_history+similar_groups"
	BasisRequester           = "requester_history"
	BasisSimilar             = "similar_groups"
	BasisMarket              = "market"
	BasisAllotted            = "allotted_time"
)

// Tunables of the estimate (see docs/estimates.md).
const (
	MinReports      = 5    // reports a basis needs before it is used
	AllottedShare   = 0.25 // share of the allotted time assumed when no report helps
	MinTaskSeconds  = 5.0  // an estimate never assumes a HIT takes less than this
	estimateMaxSecs = 7 * 24 * 3600
)

// ErrNoBasis reports a group with no allotted time and no reports to go on.
var ErrNoBasis = errors.New("market: no basis for a wage estimate")

// Estimate is a labelled guess at a HIT group's hourly wage for a worker who takes the
// typical time, made before (or without) worker reports of the group itself.
type Estimate struct {
	HitSetID         string
	Label            string // always EstimateLabel
	Basis            string // one of the Basis constants
	Reward           decimal.Decimal
	AllottedSeconds  uint32
	Seconds          float64         // estimated working time per HIT
	Hourly           decimal.Decimal // Reward / Seconds x 3600, to the cent
	RequesterReports uint64          // reports of the requester's other groups
	SimilarReports   uint64          // reports of similar groups
	MarketReports    uint64          // reports market-wide (other groups)
	OwnReports       uint64          // reports of this group: when > 0, show the measured wage instead
}

// basis is what estimate_basis.sql returns.
type basis struct {
	own, reqN, simN, allN       uint64
	reqRatio, simSecs, allRatio float64
}

// EstimateWage estimates a HIT group's hourly wage from its listing (reward, allotted time,
// title), its requester's history and similar groups; ErrNotFound when no snapshot names it.
func EstimateWage(ctx context.Context, s *store.Store, hitSetID string) (Estimate, error) {
	e := Estimate{HitSetID: hitSetID, Label: EstimateLabel}
	var rid, title string
	err := s.QueryRow(ctx, estimateTargetSQL, store.Args{"id": hitSetID}, &rid, &title, &e.Reward, &e.AllottedSeconds)
	if errors.Is(err, store.ErrNoRows) {
		return Estimate{}, ErrNotFound
	}
	if err != nil {
		return Estimate{}, fmt.Errorf("market: estimate %s: %w", hitSetID, err)
	}
	var b basis
	err = s.QueryRow(ctx, estimateBasisSQL, store.Args{"id": hitSetID, "rid": rid, "title": title, "allotted": e.AllottedSeconds},
		&b.own, &b.reqN, &b.reqRatio, &b.simN, &b.simSecs, &b.allN, &b.allRatio)
	if err != nil {
		return Estimate{}, fmt.Errorf("market: estimate %s: %w", hitSetID, err)
	}
	e.OwnReports, e.RequesterReports, e.SimilarReports, e.MarketReports = b.own, b.reqN, b.simN, b.allN
	secs, basisName, ok := combine(float64(e.AllottedSeconds), b)
	if !ok {
		return e, ErrNoBasis
	}
	e.Seconds, e.Basis = secs, basisName
	e.Hourly = e.Reward.Mul(decimal.NewFromInt(3600)).Div(decimal.NewFromFloat(secs)).Round(2)
	return e, nil
}

// combine picks the estimated seconds per HIT: the geometric mean of the requester-history
// and similar-group figures when both have MinReports, else the one that has, else the
// market's typical share of the allotted time, else AllottedShare of it. The result is
// kept within [MinTaskSeconds, allotted].
func combine(allotted float64, b basis) (float64, string, bool) {
	usable := func(n uint64, v float64) bool { return n >= MinReports && v > 0 && !math.IsNaN(v) && !math.IsInf(v, 0) }
	var secs float64
	var name string
	fromReq := allotted > 0 && usable(b.reqN, b.reqRatio)
	fromSim := usable(b.simN, b.simSecs)
	switch {
	case fromReq && fromSim:
		secs, name = math.Sqrt(b.reqRatio*allotted*b.simSecs), BasisRequesterAndSimilar
	case fromReq:
		secs, name = b.reqRatio*allotted, BasisRequester
	case fromSim:
		secs, name = b.simSecs, BasisSimilar
	case allotted > 0 && usable(b.allN, b.allRatio):
		secs, name = b.allRatio*allotted, BasisMarket
	case allotted > 0:
		secs, name = AllottedShare*allotted, BasisAllotted
	default:
		return 0, "", false
	}
	if allotted > 0 {
		secs = math.Min(secs, allotted)
	}
	secs = math.Min(math.Max(secs, MinTaskSeconds), estimateMaxSecs)
	return secs, name, true
}
