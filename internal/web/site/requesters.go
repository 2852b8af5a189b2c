package site

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
)

// maxIDs is how many requesters one batch lookup may ask for.
const maxIDs = 100

// DirectoryReady is a 503 until the requesters' figures are loaded.
func (s *Site) DirectoryReady() error {
	if s.Deps.Directory == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "unavailable", Message: "requester figures are not loaded yet"}
	}
	return nil
}

// RequesterParam looks up the requester named by the :id path parameter.
func (s *Site) RequesterParam(c *fiber.Ctx, notFound string) (*lookup.Requester, error) {
	if err := s.DirectoryReady(); err != nil {
		return nil, err
	}
	key, err := RequesterIDParam(c)
	if err != nil {
		return nil, err
	}
	r, ok := s.Deps.Directory.Get(key)
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

// RequesterIDParam is the :id path parameter, checked to be a requester id. It is a copy: fiber's
// strings are views of the request's buffers, which the next request overwrites, and the id can be
// kept past the request (a requester page's cache key). Other request strings are used only while
// their request runs; the metrics copy what they keep. (fiber's Immutable option copies every one,
// which cost a measurable share of the lookup throughput: docs/benchmarks.md.)
//
// It returns the requester's stored key (platform.Key): the id checked against the shape of the
// platform the request is about (PlatformOf).
func RequesterIDParam(c *fiber.Ctx) (string, error) {
	p, err := PlatformOf(c)
	if err != nil {
		return "", err
	}
	id := c.Params("id")
	if !p.ValidRequester(id) {
		return "", BadRequest("id", "a "+p.Short+" "+p.Requester+" id is "+p.RequesterShape)
	}
	return platform.Key(p.ID, strings.Clone(id)), nil
}

// ParseIDs splits a comma-separated id list, checking each id against p's shape, and the count.
func ParseIDs(p *platform.Platform, field, raw string) ([]string, error) {
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
