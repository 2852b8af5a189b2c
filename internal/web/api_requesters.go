package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
)

// maxIDs is how many requesters one batch lookup may ask for.
const maxIDs = 100

func (a *App) directoryReady() error {
	if a.deps.Directory == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "unavailable", Message: "requester figures are not loaded yet"}
	}
	return nil
}

// requesterParam looks up the requester named by the :id path parameter.
func (a *App) requesterParam(c *fiber.Ctx, notFound string) (*lookup.Requester, error) {
	if err := a.directoryReady(); err != nil {
		return nil, err
	}
	key, err := requesterIDParam(c)
	if err != nil {
		return nil, err
	}
	r, ok := a.deps.Directory.Get(key)
	if !ok {
		p, id := platform.Split(key)
		msg := strings.ReplaceAll(notFound, "ID", id)
		if pl := platform.Get(p); pl != nil && p != platform.MTurk {
			msg = strings.ReplaceAll(strings.ReplaceAll(msg, "requester", pl.Requester), "hitwage's data", "hitwage's "+pl.Short+" data")
		}
		return nil, NotFound(msg)
	}
	return r, nil
}

// requesterIDParam is the :id path parameter, checked to be a requester id. It is a copy: fiber's
// strings are views of the request's buffers, which the next request overwrites, and the id can be
// kept past the request (a requester page's cache key). Other request strings are used only while
// their request runs; the metrics copy what they keep. (fiber's Immutable option copies every one,
// which cost a measurable share of the lookup throughput: docs/benchmarks.md.)
//
// It returns the requester's stored key (platform.Key): the id checked against the shape of the
// platform the request is about (platformOf).
func requesterIDParam(c *fiber.Ctx) (string, error) {
	p, err := platformOf(c)
	if err != nil {
		return "", err
	}
	id := c.Params("id")
	if !p.ValidRequester(id) {
		return "", BadRequest("id", "a "+p.Short+" "+p.Requester+" id is "+p.RequesterShape)
	}
	return platform.Key(p.ID, strings.Clone(id)), nil
}

func (a *App) apiRequester(c *fiber.Ctx) error {
	r, err := a.requesterParam(c, "no requester ID in hitwage's data")
	if err != nil {
		return err
	}
	d, err := a.cachedRequester(r, a.deps.Directory.RefreshedAt())
	if err != nil {
		return err
	}
	return sendRaw(c, d.body, d.etag, 300)
}

// parseIDs splits a comma-separated id list, checking each id against p's shape, and the count.
func parseIDs(p *platform.Platform, field, raw string) ([]string, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, BadRequest(field, field+" is required: a comma-separated list of requester ids")
	}
	var ids []string
	seen := map[string]bool{}
	for _, id := range strings.Split(raw, ",") {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		if !p.ValidRequester(id) {
			return nil, BadRequest(field, "not a "+p.Short+" "+p.Requester+" id ("+p.RequesterShape+"): "+strconv.Quote(id))
		}
		seen[id] = true
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, BadRequest(field, field+" is required: a comma-separated list of requester ids")
	}
	if len(ids) > maxIDs {
		return nil, BadRequest(field, "at most "+strconv.Itoa(maxIDs)+" ids per request")
	}
	return ids, nil
}

func (a *App) apiRequesters(c *fiber.Ctx) error {
	if err := a.directoryReady(); err != nil {
		return err
	}
	p, err := platformOf(c)
	if err != nil {
		return err
	}
	ids, err := parseIDs(p, "ids", c.Query("ids"))
	if err != nil {
		return err
	}
	// Assembled from the cached documents: {"requesters":[...],"missing":[...]}.
	refreshed := a.deps.Directory.RefreshedAt()
	bp := batchBufs.Get().(*[]byte)
	defer batchBufs.Put(bp)
	buf := append((*bp)[:0], `{"requesters":[`...)
	tag := sha256.New() // the ETag hashes the parts' ETags, not the whole body
	var missing []string
	n := 0
	for _, id := range ids {
		r, ok := a.deps.Directory.Get(platform.Key(p.ID, id))
		if !ok {
			missing = append(missing, id)
			continue
		}
		d, err := a.cachedRequester(r, refreshed)
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
	return sendCopy(c, buf, `"`+hex.EncodeToString(tag.Sum(nil)[:10])+`"`, 300)
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

func (a *App) apiSearch(c *fiber.Ctx) error {
	if err := a.directoryReady(); err != nil {
		return err
	}
	p, err := platformOf(c)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("q"))
	if q == "" || len(q) > 100 {
		return BadRequest("q", "q is required: a requester id or part of a name (at most 100 characters)")
	}
	limit := 20
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return BadRequest("limit", "limit must be a whole number from 1 to 100")
		}
		limit = n
	}
	hits := []searchHit{}
	for _, r := range a.deps.Directory.Search(p.ID, q, limit) {
		h := searchHit{RequesterID: r.PlatformID, Platform: string(r.Platform), Currency: r.Wages.Currency, Name: r.Name,
			Records: r.Wages.Records, EffectiveHourly: cents(r.Wages.EffectiveHourly), URL: a.deps.BaseURL + requesterPath(r.ID)}
		if r.Score != nil && r.Score.Grade != "" {
			g := r.Score.Grade
			h.Grade = &g
		}
		hits = append(hits, h)
	}
	ans := fiber.Map{"query": q, "platform": p.ID, "results": hits}
	if a.demoData() {
		ans["demo"] = true
	}
	return sendJSON(c, ans, 60)
}
