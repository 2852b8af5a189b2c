package site

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
)

// platformKey is the fiber Locals key under which a platform's own routes (platformRoutes) name
// their platform.
const platformKey = "hitwage.platform"

// RoutePlatform is the platform the request's route names (OnPlatform), if it names one.
func RoutePlatform(c *fiber.Ctx) (*platform.Platform, bool) {
	p, ok := c.Locals(platformKey).(*platform.Platform)
	return p, ok
}

// PlatformOf is the platform a request is about: the one its route names (/prolific/...), else
// ?platform=, else MTurk, so that existing clients and the Turkopticon-shaped endpoints keep working.
func PlatformOf(c *fiber.Ctx) (*platform.Platform, error) {
	if p, ok := RoutePlatform(c); ok {
		return p, nil
	}
	p, err := platform.Parse(c.Query("platform"))
	if err != nil {
		return nil, BadRequest("platform", err.Error())
	}
	return p, nil
}

// OnPlatform serves h as p's: PlatformOf answers p.
func OnPlatform(p *platform.Platform, h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(platformKey, p)
		return h(c)
	}
}

// Prefix is the path every page of p starts with: "" for MTurk (whose pages kept their URLs), else
// "/prolific" and so on.
func Prefix(p platform.ID) string {
	if p == platform.Default || p == "" {
		return ""
	}
	return "/" + string(p)
}

// RequesterPath is the site path of a requester's page, by its stored key: /requesters/ID on
// MTurk, /prolific/researchers/ID on Prolific.
func RequesterPath(key string) string {
	p, id := platform.Split(key)
	return Prefix(p) + "/" + RequesterWord(p) + "/" + id
}

// GroupPath is the site path of a group's page (an MTurk HIT group, a Prolific study).
func GroupPath(p platform.ID, id string) string {
	return Prefix(p) + "/" + GroupWord(p) + "/" + id
}

// BadgePath is the path of a requester's badge, by its stored key.
func BadgePath(key string) string { return "/embed" + RequesterPath(key) + "/badge.svg" }

// CardPath is the path of a requester's card, by its stored key.
func CardPath(key string) string { return "/embed" + RequesterPath(key) + "/card" }

// RequesterWord and GroupWord are the path words of a platform's requesters and groups (the
// registry's, in its workers' nouns); MTurk's for a platform it does not know.
func RequesterWord(p platform.ID) string { return known(p).RequesterPath }

// GroupWord is the path word of a platform's groups (HIT groups, studies).
func GroupWord(p platform.ID) string { return known(p).GroupPath }

// known is platform p, or the default one when the registry does not know p.
func known(p platform.ID) *platform.Platform {
	if pl := platform.Get(p); pl != nil {
		return pl
	}
	return platform.Get(platform.Default)
}

// DemoData reports whether the published figures are the generated demo data set (the directory's
// snapshot says so), which every answer, embed and snippet built from them must say.
func (s *Site) DemoData() bool { return s.Deps.Directory != nil && s.Deps.Directory.Demo() }

// ProblemStatus is the status of a body whose fields have problems: 400 naming the field when one
// names a platform or a currency this server does not know (the request is about something it
// cannot speak of, as an unknown ?platform= is), else 422 (a record or review it understood but
// refuses); every problem is listed either way.
func ProblemStatus(fields []string) (int, string) {
	for _, f := range fields {
		if f == "platform" || f == "currency" {
			return fiber.StatusBadRequest, f
		}
	}
	return fiber.StatusUnprocessableEntity, ""
}

// DirGet is Directory.Get when the site has a directory.
func (s *Site) DirGet(key string) (*lookup.Requester, bool) {
	if s.Deps.Directory == nil {
		return nil, false
	}
	return s.Deps.Directory.Get(key)
}

// RequesterKeyOfPath is the stored key of the requester whose page path is (RequesterPath's
// inverse), if it is one.
func RequesterKeyOfPath(path string) (string, bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	p := platform.Get(platform.Default)
	if len(parts) == 3 { // the platform and the noun match in any case, as fiber routes them
		if p = platform.Get(platform.ID(strings.ToLower(parts[0]))); p == nil || p.ID == platform.Default {
			return "", false
		}
		parts = parts[1:]
	}
	if len(parts) != 2 || !strings.EqualFold(parts[0], RequesterWord(p.ID)) || !p.ValidRequester(parts[1]) {
		return "", false
	}
	return platform.Key(p.ID, parts[1]), true
}

// SourcesPath is the API path of a requester's source split, by its stored key.
func SourcesPath(key string) string {
	p, id := platform.Split(key)
	path := "/api/v1/requesters/" + id + "/sources"
	if p != platform.Default && p != "" {
		path += "?platform=" + string(p)
	}
	return path
}
