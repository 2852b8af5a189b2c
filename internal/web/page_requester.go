package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/provenance"
	"github.com/hitwage/hitwage/internal/wages"
)

type requesterPage struct {
	R          *lookup.Requester
	Doc        requesterJSON
	Groups     []wages.Group
	Reviews    []lookup.Review
	Sources    []provenance.Source // the records by source kind
	Studies    []advertised        // a Prolific researcher's listed studies, advertised beside reported
	SourcesURL string              // the source split as JSON
	Charts     []chart.Chart
	Snippets   []snippet
	Review     *reviewForm // nil when the server takes no reviews
}

func (a *App) requesterPage(c *fiber.Ctx) error {
	r, err := a.requesterParam(c, "hitwage has no reports or listings of requester ID yet.")
	if err != nil {
		return err
	}
	// The plain page is kept once rendered; the one saying a review was saved is seen once per review.
	saved := c.Query("review") == "saved"
	return a.renderRequester(c, r, a.newReviewForm(r.ID, saved), !saved)
}

// renderRequester renders a requester's page with the review form in the given state; keep sends
// the page kept with the requester's cached parts (rendering it the first time).
func (a *App) renderRequester(c *fiber.Ctx, r *lookup.Requester, form *reviewForm, keep bool) error {
	parts, err := a.requesterPartsOf(c.UserContext(), r.ID, r.Wages.Records > 0)
	if err != nil {
		return err
	}
	demo := a.demo(c)
	render := func() ([]byte, error) {
		return a.renderBytes("requester", r.Name+" ("+r.PlatformID+")", demo, platform.Get(r.Platform), requesterPage{R: r, Doc: a.requesterDoc(r),
			Snippets: a.snippets(r), Review: form, Groups: parts.groups, Charts: parts.charts, Reviews: parts.reviews,
			Sources: parts.sources, Studies: parts.studies, SourcesURL: sourcesPath(r.ID)})
	}
	var b []byte
	if keep {
		b, err = parts.pages.get(demo, render)
	} else {
		b, err = render()
	}
	if err != nil {
		return err
	}
	return sendPage(c, b)
}

// wageHistogram draws per-task hourly wages in bins of currency cur.
func wageHistogram(id, title, cur string, bins []wages.Bin) (chart.Chart, error) {
	sym := platform.Symbol(cur)
	pts := make([]chart.Point, len(bins))
	for i, b := range bins {
		label := sym + amount(b.Low) + "+"
		if b.High != nil {
			label = sym + amount(b.Low) + "–" + amount(*b.High)
		}
		pts[i] = chart.Point{X: label, Y: float64(b.Tasks)}
	}
	return chart.Bars(id, title, sym+"/hour", "tasks", pts, f0)
}

// weeklyTrend draws effective and nominal hourly wages by week, in currency cur.
func weeklyTrend(id, title, cur string, pts []wages.WeekPoint) (chart.Chart, error) {
	var eff, nom []chart.Point
	for _, p := range pts {
		x := p.Week.Format("2006-01-02")
		eff = append(eff, chart.Point{X: x, Y: deref(p.EffectiveHourly)})
		nom = append(nom, chart.Point{X: x, Y: deref(p.NominalHourly)})
	}
	return chart.Lines(id, title, "week of", platform.Symbol(cur)+"/hour", []chart.Series{{Name: "effective", Points: eff}, {Name: "nominal", Points: nom}}, moneyIn(cur))
}

// amount prints dollars without cents when they are whole.
func amount(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func deref(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}
