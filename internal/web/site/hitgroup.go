package site

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

// HitGroup is what the site knows of one HIT group: listings, reports, or an estimate. It may be
// shared by concurrent requests (loadHitGroup): read it, never change it.
type HitGroup struct {
	Platform *platform.Platform
	HitSetID string
	Listing  *market.Group
	Reported *wages.Group
	Estimate *market.Estimate
	History  []market.Snapshot // listing snapshots, oldest first; read for the page only
	// Advertised is a Prolific study's latest listing beside its reported figures, or a labelled
	// estimate from the listing when no worker reported it with a time.
	Advertised *Advertised
}

// LoadHitGroup reads what the site knows of the HIT group the request names, with its listing
// history when history is set (only the page draws it). Every request is charged against its
// client's rate (Limits); concurrent requests for one group share one read, which holds a store
// slot while it runs.
func (s *Site) LoadHitGroup(c *fiber.Ctx, history bool) (HitGroup, error) {
	pl, err := PlatformOf(c)
	if err != nil {
		return HitGroup{}, err
	}
	id := c.Params("id")
	if !pl.ValidGroup(id) {
		return HitGroup{}, BadRequest("id", "a "+pl.Short+" "+pl.Group+" id is "+pl.GroupShape)
	}
	if err := s.Limits.Charge(c); err != nil {
		return HitGroup{}, err
	}
	id = strings.Clone(id) // kept past this request: the requests that join its read are given it
	ctx := c.UserContext()
	key := string(pl.ID) + "/" + id
	if history {
		key += "/history"
	}
	v, err, _ := s.groupLoads.Do(key, func() (any, error) {
		release, err := s.Limits.Acquire(ctx)
		if err != nil {
			return HitGroup{}, err
		}
		defer release()
		s.Metrics.storeRead(readHitGroup)
		return s.readHitGroup(ctx, pl, id, history)
	})
	g, _ := v.(HitGroup)
	return g, err
}

// readHitGroup reads a HIT group's listings, reports, estimate and (with history) listing history;
// a Prolific study's, its latest listing.
func (s *Site) readHitGroup(ctx context.Context, pl *platform.Platform, id string, history bool) (HitGroup, error) {
	g := HitGroup{Platform: pl, HitSetID: id}
	listed := pl.ID == platform.MTurk // the listings collected are MTurk's
	if !listed {
	} else if l, err := market.GroupStats(ctx, s.Deps.Store, id); err == nil {
		g.Listing = &l
	} else if !errors.Is(err, market.ErrNotFound) {
		return g, err
	}
	if s.Deps.Wages == nil { // a site serving listings only has no reports to show
	} else if r, err := s.Deps.Wages.Group(ctx, pl.ID, id); err == nil {
		g.Reported = &r
	} else if !errors.Is(err, wages.ErrNotFound) {
		return g, err
	}
	if pl.ID == platform.Prolific { // study listings advertise a rate to set beside the reported one
		if st, err := market.StudyListing(ctx, s.Deps.Store, id); err == nil {
			v := AdvertisedOf(st, g.Reported)
			g.Advertised = &v
		} else if !errors.Is(err, market.ErrNotFound) {
			return g, err
		}
	}
	if g.Listing == nil && g.Reported == nil && g.Advertised == nil {
		return g, NotFound("hitwage has no listings or reports of " + pl.Short + " " + pl.Group + " " + id + " yet.")
	}
	if listed && (g.Reported == nil || g.Reported.Records == 0) {
		if e, err := market.EstimateWage(ctx, s.Deps.Store, id); err == nil {
			g.Estimate = &e
		} else if !errors.Is(err, market.ErrNotFound) && !errors.Is(err, market.ErrNoBasis) {
			return g, err
		}
	}
	if history && g.Listing != nil {
		var err error
		if g.History, err = market.GroupHistory(ctx, s.Deps.Store, id, 2000); err != nil {
			return g, err
		}
	}
	return g, nil
}
