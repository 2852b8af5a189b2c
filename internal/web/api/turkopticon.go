package api

import (
	"fmt"
	"math"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

// The two endpoints userscripts already read from Turkopticon, in the same request and response
// shapes, filled from hitwage's data; the methodology page explains the mapping.

type to1Attrs struct {
	Comm string `json:"comm"`
	Pay  string `json:"pay"`
	Fair string `json:"fair"`
	Fast string `json:"fast"`
}

type to1Requester struct {
	Demo     bool     `json:"demo,omitempty"` // generated demo data: an added field old scripts ignore
	Name     string   `json:"name"`
	Attrs    to1Attrs `json:"attrs"`
	Reviews  uint64   `json:"reviews"`
	TOSFlags uint64   `json:"tos_flags"`
}

// TurkopticonAttrs answers Turkopticon 1's multi-attrs.php: an object keyed by requester id; an
// unknown id maps to "" (scripts test for that).
func (h *Handler) TurkopticonAttrs(c *fiber.Ctx) error {
	if err := h.site.DirectoryReady(); err != nil {
		return err
	}
	ids, err := site.ParseIDs(platform.Get(platform.MTurk), "ids", c.Query("ids"))
	if err != nil {
		return err
	}
	out := make(map[string]any, len(ids))
	for _, id := range ids {
		r, ok := h.site.Deps.Directory.Get(id)
		if !ok || (r.Reviews.Count == 0 && r.Wages.Records == 0) {
			out[id] = ""
			continue
		}
		out[id] = to1Requester{Demo: h.site.DemoData(), Name: r.Name, Attrs: to1AttrsOf(r), Reviews: r.Reviews.Count + r.Wages.Records, TOSFlags: r.Reviews.TOSViolation}
	}
	return site.SendJSON(c, out, 300)
}

// to1AttrsOf maps onto Turkopticon 1's four 1-5 averages. Each comes from the reviews that give
// that rating; where none does, pay comes from the effective wage (target wage = 5, $0/h = 1) and
// fast from the median approval time (a day or less = 5, two weeks or more = 1); comm and fair
// need reviews and stay "0.00".
func to1AttrsOf(r *lookup.Requester) to1Attrs {
	f2 := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	rv := r.Reviews
	at := to1Attrs{Comm: "0.00", Fair: "0.00", Pay: "0.00", Fast: "0.00"}
	if w := r.Wages.EffectiveHourly; w != nil && r.Wages.Target > 0 {
		at.Pay = f2(1 + 4*math.Min(1, math.Max(0, *w/r.Wages.Target)))
	}
	if s := r.Wages.MedianApprovalSeconds; s != nil {
		days := *s / 86400
		at.Fast = f2(5 - 4*math.Min(1, math.Max(0, (days-1)/13)))
	}
	if rv.PayN > 0 {
		at.Pay = f2(rv.Pay)
	}
	if rv.FairnessN > 0 {
		at.Fair = f2(rv.Fairness)
	}
	if rv.CommunicationN > 0 {
		at.Comm = f2(rv.Communication)
	}
	if rv.PromptnessN > 0 {
		at.Fast = f2(rv.Promptness)
	}
	return at
}

type to2Aggregate struct {
	Reward    [2]float64 `json:"reward"`
	Pending   *float64   `json:"pending"`
	Comm      [2]uint64  `json:"comm"`
	Recommend [2]uint64  `json:"recommend"`
	Rejected  [1]uint64  `json:"rejected"`
	TOS       [1]uint64  `json:"tos"`
	Broken    [1]uint64  `json:"broken"`
}

type to2Resource struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Attributes struct {
		RID        string `json:"rid"`
		Aggregates *struct {
			All    to2Aggregate `json:"all"`
			Recent to2Aggregate `json:"recent"`
		} `json:"aggregates,omitempty"`
	} `json:"attributes"`
}

// TurkopticonRequesters answers Turkopticon 2's JSON:API requester list. Unknown ids are left out.
func (h *Handler) TurkopticonRequesters(c *fiber.Ctx) error {
	if err := h.site.DirectoryReady(); err != nil {
		return err
	}
	ids, err := site.ParseIDs(platform.Get(platform.MTurk), "rids", c.Query("rids"))
	if err != nil {
		return err
	}
	fields := c.Query("fields[requesters]", "rid,aggregates")
	wantAgg := strings.Contains(fields, "aggregates")
	data := make([]to2Resource, 0, len(ids))
	for _, id := range ids {
		r, ok := h.site.Deps.Directory.Get(id)
		if !ok {
			continue
		}
		var res to2Resource
		res.Type, res.ID = "requesters", id
		res.Attributes.RID = id
		if wantAgg {
			agg := to2AggregateOf(r)
			res.Attributes.Aggregates = &struct {
				All    to2Aggregate `json:"all"`
				Recent to2Aggregate `json:"recent"`
			}{All: agg, Recent: agg}
		}
		data = append(data, res)
	}
	ans := fiber.Map{"data": data}
	if h.site.DemoData() {
		ans["meta"] = fiber.Map{"demo": true} // JSON:API's place for what is not a resource
	}
	return site.SendJSON(c, ans, 300)
}

// to2AggregateOf maps onto Turkopticon 2's aggregates: reward = [dollars paid, seconds worked]
// (so reward[0]/reward[1]*3600 is our effective hourly wage), pending = median seconds to approval,
// comm and recommend = [yes, total] from the reviews that rate communication (pay and fairness),
// rejected = rejected tasks, tos and broken = reviews with that flag.
func to2AggregateOf(r *lookup.Requester) to2Aggregate {
	f := r.Wages
	ag := to2Aggregate{
		Reward:    [2]float64{math.Round(f.Paid*100) / 100, math.Round(f.EffectiveSeconds)},
		Comm:      [2]uint64{r.Reviews.CommunicationGood, r.Reviews.CommunicationN},
		Recommend: [2]uint64{r.Reviews.Recommend, r.Reviews.RecommendN},
		Rejected:  [1]uint64{f.Rejected},
		TOS:       [1]uint64{r.Reviews.TOSViolation},
		Broken:    [1]uint64{r.Reviews.BrokenTask},
	}
	if s := f.MedianApprovalSeconds; s != nil {
		v := math.Round(*s)
		ag.Pending = &v
	}
	return ag
}
