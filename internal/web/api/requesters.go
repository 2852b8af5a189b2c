package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

// Requester answers one requester's document, encoded once per directory snapshot.
func (h *Handler) Requester(c *fiber.Ctx) error {
	r, err := h.site.RequesterParam(c, "no requester ID in hitwage's data")
	if err != nil {
		return err
	}
	d, err := h.cachedRequester(r, h.site.Deps.Directory.RefreshedAt())
	if err != nil {
		return err
	}
	return site.SendRaw(c, d.body, d.etag, 300)
}

// Requesters answers a batch of requesters by id, with the ids it has no figures of.
func (h *Handler) Requesters(c *fiber.Ctx) error {
	if err := h.site.DirectoryReady(); err != nil {
		return err
	}
	p, err := site.PlatformOf(c)
	if err != nil {
		return err
	}
	ids, err := site.ParseIDs(p, "ids", c.Query("ids"))
	if err != nil {
		return err
	}
	// Assembled from the cached documents: {"requesters":[...],"missing":[...]}.
	refreshed := h.site.Deps.Directory.RefreshedAt()
	bp := batchBufs.Get().(*[]byte)
	defer batchBufs.Put(bp)
	buf := append((*bp)[:0], `{"requesters":[`...)
	tag := sha256.New() // the ETag hashes the parts' ETags, not the whole body
	var missing []string
	n := 0
	for _, id := range ids {
		r, ok := h.site.Deps.Directory.Get(platform.Key(p.ID, id))
		if !ok {
			missing = append(missing, id)
			continue
		}
		d, err := h.cachedRequester(r, refreshed)
		if err != nil {
			return err
		}
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, d.body...)
		tag.Write([]byte(d.etag))
		n++
	}
	buf = append(buf, `],"missing":`...)
	if missing == nil {
		missing = []string{}
	}
	mb, err := json.Marshal(missing)
	if err != nil {
		return err
	}
	buf = append(append(buf, mb...), '}')
	tag.Write(mb)
	*bp = buf
	return site.SendCopy(c, buf, `"`+hex.EncodeToString(tag.Sum(nil)[:10])+`"`, 300)
}

// batchBufs recycles the buffers batch answers are assembled in (fasthttp copies the body).
var batchBufs = sync.Pool{New: func() any { b := make([]byte, 0, 256<<10); return &b }}

type searchHit struct {
	RequesterID     string   `json:"requester_id"`
	Platform        string   `json:"platform"`
	Currency        string   `json:"currency"` // of effective_hourly
	Name            string   `json:"name"`
	Records         uint64   `json:"records"`
	EffectiveHourly *float64 `json:"effective_hourly"`
	Grade           *string  `json:"grade"`
	URL             string   `json:"url"`
}

// Search finds requesters by id or part of a name.
func (h *Handler) Search(c *fiber.Ctx) error {
	if err := h.site.DirectoryReady(); err != nil {
		return err
	}
	p, err := site.PlatformOf(c)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("q"))
	if q == "" || len(q) > 100 {
		return site.BadRequest("q", "q is required: a requester id or part of a name (at most 100 characters)")
	}
	limit := 20
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return site.BadRequest("limit", "limit must be a whole number from 1 to 100")
		}
		limit = n
	}
	hits := []searchHit{}
	for _, r := range h.site.Deps.Directory.Search(p.ID, q, limit) {
		h := searchHit{RequesterID: r.PlatformID, Platform: string(r.Platform), Currency: r.Wages.Currency, Name: r.Name,
			Records: r.Wages.Records, EffectiveHourly: site.Cents(r.Wages.EffectiveHourly), URL: h.site.Deps.BaseURL + site.RequesterPath(r.ID)}
		if r.Score != nil && r.Score.Grade != "" {
			g := r.Score.Grade
			h.Grade = &g
		}
		hits = append(hits, h)
	}
	ans := fiber.Map{"query": q, "platform": p.ID, "results": hits}
	if h.site.DemoData() {
		ans["demo"] = true
	}
	return site.SendJSON(c, ans, 60)
}
