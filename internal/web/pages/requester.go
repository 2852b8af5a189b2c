package pages

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/provenance"
	"github.com/hitwage/hitwage/internal/wages"
	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/internal/web/view"
)

type requesterPage struct {
	R          *lookup.Requester
	Doc        site.RequesterJSON
	Groups     []wages.Group
	Reviews    []lookup.Review
	Sources    []provenance.Source // the records by source kind
	Studies    []site.Advertised   // a Prolific researcher's listed studies, advertised beside reported
	SourcesURL string              // the source split as JSON
	Charts     []chart.Chart
	Snippets   []site.Snippet
	Review     *reviewForm // nil when the server takes no reviews
}

// Requester renders a requester's page.
func (h *Handler) Requester(c *fiber.Ctx) error {
	r, err := h.site.RequesterParam(c, "hitwage has no reports or listings of requester ID yet.")
	if err != nil {
		return err
	}
	// The plain page is kept once rendered; the one saying a review was saved is seen once per review.
	saved := c.Query("review") == "saved"
	return h.renderRequester(c, r, h.newReviewForm(r.ID, saved), !saved)
}

// renderRequester renders a requester's page with the review form in the given state; keep sends
// the page kept with the requester's cached parts (rendering it the first time).
func (h *Handler) renderRequester(c *fiber.Ctx, r *lookup.Requester, form *reviewForm, keep bool) error {
	parts, err := h.site.PartsOf(c.UserContext(), r.ID, r.Wages.Records > 0)
	if err != nil {
		return err
	}
	demo := h.site.Demo(c)
	render := func() ([]byte, error) {
		return view.RenderBytes("requester", r.Name+" ("+r.PlatformID+")", demo, platform.Get(r.Platform), requesterPage{R: r, Doc: h.site.RequesterDoc(r),
			Snippets: h.site.Snippets(r), Review: form, Groups: parts.Groups, Charts: parts.Charts, Reviews: parts.Reviews,
			Sources: parts.Sources, Studies: parts.Studies, SourcesURL: site.SourcesPath(r.ID)})
	}
	var b []byte
	if keep {
		b, err = parts.Pages.Get(demo, render)
	} else {
		b, err = render()
	}
	if err != nil {
		return err
	}
	return view.SendPage(c, b)
}
