package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
)

// How a request reaches the store, by its method and path (storeUse).
const (
	usesMemory   = iota // answered from memory, or a static file: never limited
	usesStore           // queries the store every time: charged and given a slot for its handler
	usesUncached        // a requester page: charged when its parts are not kept (the read takes the slot)
	usesExport          // a research export: charged and given a slot for its handler (the stream takes an export slot)
)

// storeUse says how a request reaches the store. Routes whose loading path limits itself (the
// HIT groups, loadHitGroup) are usesMemory here.
func storeUse(method, path string) int {
	get := method == fiber.MethodGet || method == fiber.MethodHead
	exact := strings.TrimSuffix(path, "/") // ids keep their case
	path = routeKey(path)
	switch {
	case path == "/me":
		if method == fiber.MethodPost {
			return usesStore
		}
		return usesMemory // the empty form
	case strings.HasPrefix(path, "/api/"):
		switch {
		case !get:
			return usesMemory // reports and reviews: token-checked writes with limits of their own
		case path == "/api/v1/me/wages":
			return usesStore
		case strings.HasPrefix(path, "/api/v1/export/"):
			return usesExport
		}
		return usesMemory
	case !get:
		return usesMemory
	case strings.HasSuffix(path, "/market") && isMarketPath(path):
		return usesStore // the listing charts are live queries
	}
	if _, ok := site.RequesterKeyOfPath(exact); ok {
		return usesUncached
	}
	return usesMemory
}

// routeKey is a path as fiber matches it to a route: whatever the case, with or without a
// trailing slash. Whatever decides by the path (the store limits, the body limits) must compare
// this, or "/MARKET/" would reach the market's handler without being counted as a store read.
func routeKey(path string) string { return strings.TrimSuffix(strings.ToLower(path), "/") }

func isMarketPath(path string) bool {
	for _, p := range platform.All() {
		if path == site.Prefix(p.ID)+"/market" {
			return true
		}
	}
	return false
}

// limitStore is the middleware that applies Limits to the requests that query the store, and
// gives every 429 of them (from here or a handler) its Retry-After.
func (a *App) limitStore(c *fiber.Ctx) error {
	err := a.limitedNext(c)
	if after, ok := site.RetryAfter(err); ok {
		c.Set(fiber.HeaderRetryAfter, after)
	}
	return err
}

func (a *App) limitedNext(c *fiber.Ctx) error {
	switch storeUse(c.Method(), c.Path()) {
	case usesStore, usesExport:
		if err := a.site.Limits.Charge(c); err != nil {
			return err
		}
		release, err := a.site.Limits.Acquire(c.UserContext())
		if err != nil {
			return err
		}
		defer release()
	case usesUncached:
		if key, ok := site.RequesterKeyOfPath(c.Path()); ok && !a.site.PartsKept(key) {
			if err := a.site.Limits.Charge(c); err != nil {
				return err
			}
		}
	}
	return c.Next()
}
