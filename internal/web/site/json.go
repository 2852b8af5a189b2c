package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// Cents rounds dollars to the cent for JSON; nil stays null.
func Cents(v *float64) *float64 {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return nil
	}
	r := math.Round(*v*100) / 100
	return &r
}

func ratio(v *float64) *float64 {
	if v == nil || math.IsNaN(*v) {
		return nil
	}
	r := math.Round(*v*10000) / 10000
	return &r
}

// WageJSON is the wage block of the API.
type WageJSON struct {
	Currency              string   `json:"currency"` // of every amount and hourly figure here (ISO 4217)
	EffectiveHourly       *float64 `json:"effective_hourly"`
	NominalHourly         *float64 `json:"nominal_hourly"`
	MedianTaskHourly      *float64 `json:"median_task_hourly"`
	P25TaskHourly         *float64 `json:"p25_task_hourly"`
	P75TaskHourly         *float64 `json:"p75_task_hourly"`
	TrimmedMeanTaskHourly *float64 `json:"trimmed_mean_task_hourly"`
	ShareBelowFloor       *float64 `json:"share_below_floor"`
	ShareBelowTarget      *float64 `json:"share_below_target"`
	Floor                 float64  `json:"floor"`
	Target                float64  `json:"target"`
	PaidTotal             *float64 `json:"paid_total"`
	HoursWorked           float64  `json:"hours_worked"`
	MedianTaskSeconds     *float64 `json:"median_task_seconds"`
	RatesVersion          string   `json:"rates_version,omitempty"` // the currency table amounts in other currencies were converted through
	TimedRecords          uint64   `json:"timed_records"`           // the records every figure here rests on: those with a time on task
}

// WageOf is the API's wage block of figures f.
func WageOf(f wages.Figures) WageJSON {
	paid := f.Paid
	floor := f.Minimum
	if floor == 0 {
		floor = wages.MinimumWage // figures without a floor are MTurk's (the live ones before a platform had its own)
	}
	cur := f.Currency
	if cur == "" {
		cur = "USD"
	}
	return WageJSON{
		Currency:        cur,
		EffectiveHourly: Cents(f.EffectiveHourly), NominalHourly: Cents(f.NominalHourly),
		MedianTaskHourly: Cents(f.MedianHourly), P25TaskHourly: Cents(f.P25Hourly), P75TaskHourly: Cents(f.P75Hourly),
		TrimmedMeanTaskHourly: Cents(f.TrimmedMeanHourly),
		ShareBelowFloor:       ratio(f.ShareBelowMinimum), ShareBelowTarget: ratio(f.ShareBelowTarget),
		Floor: floor, Target: f.Target, PaidTotal: Cents(&paid),
		HoursWorked: math.Round(f.EffectiveSeconds/36) / 100, MedianTaskSeconds: f.MedianTaskSeconds,
		TimedRecords: f.Records - min(f.Untimed, f.Records),
	}
}

// ApprovalJSON is the approval block of the API.
type ApprovalJSON struct {
	Approved              uint64   `json:"approved"`
	Rejected              uint64   `json:"rejected"`
	Pending               uint64   `json:"pending"`
	Rate                  *float64 `json:"rate"`
	MedianApprovalSeconds *float64 `json:"median_approval_seconds"`
	UntimedRecords        uint64   `json:"untimed_records"` // of the records counted here, those without a time on task (saved histories')
}

// ApprovalOf is the API's approval block of figures f.
func ApprovalOf(f wages.Figures) ApprovalJSON {
	ap := ApprovalJSON{Approved: f.Approved, Rejected: f.Rejected, Pending: f.Pending + f.Submitted, MedianApprovalSeconds: f.MedianApprovalSeconds,
		UntimedRecords: f.Untimed}
	if n := f.Approved + f.Rejected; n > 0 {
		r := float64(f.Approved) / float64(n)
		ap.Rate = ratio(&r)
	}
	return ap
}

type componentJSON struct {
	Name        string   `json:"name"`
	Score       *float64 `json:"score"`
	Value       *float64 `json:"value"`
	Unit        string   `json:"unit,omitempty"`
	Explanation string   `json:"explanation"`
}

// reviewsJSON summarises a requester's live reviews: each rating is optional, so each average is
// over the reviews giving that rating (null when none does), with that count beside it.
type reviewsJSON struct {
	Count              uint64   `json:"count"`
	Pay                *float64 `json:"pay"`
	PayCount           uint64   `json:"pay_count"`
	Fairness           *float64 `json:"fairness"`
	FairnessCount      uint64   `json:"fairness_count"`
	Communication      *float64 `json:"communication"`
	CommunicationCount uint64   `json:"communication_count"`
	Promptness         *float64 `json:"promptness"`
	PromptnessCount    uint64   `json:"promptness_count"`
	TOSViolation       uint64   `json:"tos_violation"` // reviews flagging a terms-of-service violation
	BrokenTask         uint64   `json:"broken_task"`   // reviews flagging a broken task
}

func reviewsOf(r lookup.Reviews) reviewsJSON {
	return reviewsJSON{Count: r.Count,
		Pay: avg(r.Pay, r.PayN), PayCount: r.PayN, Fairness: avg(r.Fairness, r.FairnessN), FairnessCount: r.FairnessN,
		Communication: avg(r.Communication, r.CommunicationN), CommunicationCount: r.CommunicationN,
		Promptness: avg(r.Promptness, r.PromptnessN), PromptnessCount: r.PromptnessN,
		TOSViolation: r.TOSViolation, BrokenTask: r.BrokenTask}
}

// RequesterJSON is one requester in the API.
type RequesterJSON struct {
	Demo        bool   `json:"demo,omitempty"` // generated demo data, not real reports
	RequesterID string `json:"requester_id"`   // the platform's own id
	Platform    string `json:"platform"`
	Archive     bool   `json:"archive,omitempty"` // the platform has closed: these figures are an archive
	Name        string `json:"name"`
	Records     uint64 `json:"records"`
	// Of Records, those with a time on task (every wage figure rests on them) and those without
	// (saved histories': counted in approval and volume, never in a wage).
	Timed       uint64          `json:"timed_records"`
	Untimed     uint64          `json:"untimed_records"`
	Reporters   uint64          `json:"reporters"`
	Wage        WageJSON        `json:"wage"`
	Approval    ApprovalJSON    `json:"approval"`
	Returned    uint64          `json:"returned"`
	Abandoned   uint64          `json:"abandoned"`
	ScreenedOut uint64          `json:"screened_out"`
	TimedOut    uint64          `json:"timed_out"`
	Score       *float64        `json:"score"`
	Grade       *string         `json:"grade"`
	GradeNote   string          `json:"grade_note,omitempty"`
	GradeCap    string          `json:"grade_cap,omitempty"` // why pay capped the grade (under the floor: at most D; under half: F)
	Components  []componentJSON `json:"components"`
	Reviews     reviewsJSON     `json:"reviews"`
	URL         string          `json:"url"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

func avg(v float64, n uint64) *float64 {
	if n == 0 {
		return nil
	}
	r := math.Round(v*100) / 100
	return &r
}

// RequesterDoc is requester r as the API, the pages and the cards show it.
func (s *Site) RequesterDoc(r *lookup.Requester) RequesterJSON {
	f := r.Wages
	doc := RequesterJSON{
		Demo: s.DemoData(), RequesterID: r.PlatformID, Platform: string(r.Platform), Name: r.Name, Records: f.Records, Reporters: f.Reporters,
		Timed: f.Records - min(f.Untimed, f.Records), Untimed: f.Untimed,
		Wage: WageOf(f), Approval: ApprovalOf(f), Returned: f.Returned, Abandoned: f.Abandoned,
		ScreenedOut: f.ScreenedOut, TimedOut: f.TimedOut,
		Components: []componentJSON{},
		Reviews:    reviewsOf(r.Reviews),
		URL:        s.Deps.BaseURL + RequesterPath(r.ID), UpdatedAt: r.UpdatedAt,
	}
	if pl := platform.Get(r.Platform); pl != nil {
		doc.Archive = pl.Archive()
		if f.Currency == "" {
			doc.Wage.Currency = pl.Currency
		}
	}
	if s.Deps.Wages != nil {
		if doc.Wage.Target == 0 {
			fl := s.Deps.Wages.Floor(r.Platform, doc.Wage.Currency)
			doc.Wage.Target, doc.Wage.Floor = fl.Target, fl.Minimum
		}
		if doc.Wage.Currency != "USD" || r.Platform != platform.MTurk {
			doc.Wage.RatesVersion = s.Deps.Wages.Rates().Version
		}
	}
	if sc := r.Score; sc != nil {
		if sc.Value != nil {
			v := math.Round(*sc.Value*10) / 10
			doc.Score = &v
		}
		if sc.Grade != "" {
			g := sc.Grade
			doc.Grade = &g
		}
		doc.GradeNote, doc.GradeCap = sc.Reason, sc.Gate
		for _, c := range sc.Components {
			doc.Components = append(doc.Components, componentJSON{Name: c.Name, Score: c.Score, Value: c.Value, Unit: c.Unit, Explanation: c.Explanation})
		}
	} else {
		doc.GradeNote = "scores are not computed yet"
	}
	return doc
}

// SendJSON writes v with an ETag (answering 304 to a matching If-None-Match), a cache
// lifetime, and CORS for any origin: the data is public and userscripts read it from the worker site.
func SendJSON(c *fiber.Ctx, v any, maxAge int) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return SendRaw(c, b, EtagOf(b), maxAge)
}

// SendRaw is SendJSON for a body already encoded; b must stay unchanged after the call.
func SendRaw(c *fiber.Ctx, b []byte, etag string, maxAge int) error {
	if !jsonHeaders(c, etag, maxAge) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(b)
}

// SendCopy is SendRaw for a body in a buffer the caller reuses: the response keeps a copy.
func SendCopy(c *fiber.Ctx, b []byte, etag string, maxAge int) error {
	if !jsonHeaders(c, etag, maxAge) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Response().SetBody(b)
	return nil
}

// jsonHeaders sets the caching and CORS headers and reports whether a body is needed
// (false when If-None-Match matches).
func jsonHeaders(c *fiber.Ctx, etag string, maxAge int) bool {
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(maxAge))
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderVary, "Accept-Encoding")
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && strings.Contains(inm, etag) {
		return false
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return true
}

// EtagOf is the ETag of an answer body b.
func EtagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:10]) + `"`
}
