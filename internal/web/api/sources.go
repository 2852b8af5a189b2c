package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
)

// sourcesJSON is how a requester's records split by the kind of source they came from.
type sourcesJSON struct {
	Demo        bool         `json:"demo,omitempty"` // generated demo data, not real reports
	RequesterID string       `json:"requester_id"`   // the platform's own id
	Platform    string       `json:"platform"`
	Sources     []sourceJSON `json:"sources"`
	URL         string       `json:"url"` // the requester's page
}

// sourceJSON is one kind of source of a requester's records.
type sourceJSON struct {
	Kind      string `json:"kind"`  // api, import:<format>, upload:<format>, forum, demo (import, other: before formats were recorded)
	Label     string `json:"label"` // the kind as a reader says it
	Records   uint64 `json:"records"`
	Timed     uint64 `json:"timed_records"`
	Untimed   uint64 `json:"untimed_records"` // in approval and volume figures, never in a wage
	Reporters uint64 `json:"reporters"`       // a worker who used several kinds counts in each
	Flagged   uint64 `json:"flagged_records"` // set aside: in no figure
}

// Sources answers a requester's source split, from its page's cached parts: the first request
// since the snapshot reads them (charged like the page), the rest are served from memory.
func (h *Handler) Sources(c *fiber.Ctx) error {
	r, err := h.site.RequesterParam(c, "no requester ID in hitwage's data")
	if err != nil {
		return err
	}
	if !h.site.PartsKept(r.ID) {
		if err := h.site.Limits.Charge(c); err != nil {
			return err
		}
	}
	parts, err := h.site.PartsOf(c.UserContext(), r.ID, r.Wages.Records > 0)
	if err != nil {
		return err
	}
	d := sourcesJSON{Demo: h.site.DemoData(), RequesterID: r.PlatformID, Platform: string(r.Platform), Sources: []sourceJSON{},
		URL: h.site.Deps.BaseURL + site.RequesterPath(r.ID)}
	for _, s := range parts.Sources {
		d.Sources = append(d.Sources, sourceJSON{Kind: s.Kind, Label: s.Label(), Records: s.Records, Timed: s.Timed(),
			Untimed: s.Untimed, Reporters: s.Reporters, Flagged: s.Flagged})
	}
	return site.SendJSON(c, d, 300)
}
