package embeds

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/site"
)

// The userscript participants install in Violentmonkey or Tampermonkey: it shows researchers'
// figures beside Prolific's studies and reports finished submissions with the participant's
// token (docs/userscript.md). A manager installs a script from any URL ending in .user.js.

// userscriptVersion is the script's @version: managers update an installed script when the
// served version is higher, so raise it with every change to the script.
const userscriptVersion = "1.0.0"

//go:embed userscripts/hitwage.user.js
var userscriptSource string

// userscriptTemplate fills in the site the script talks to. Its values are checked
// (userscriptSite), and the site URL goes into the JavaScript JSON-encoded.
var userscriptTemplate = template.Must(template.New("hitwage.user.js").Parse(userscriptSource))

// hostPattern is a host as the script may name it: a DNS name or an IPv4 address, or an IPv6
// address in brackets, with an optional port. Nothing else can reach the header or the code.
var hostPattern = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]{2,45}\])(?::([0-9]{1,5}))?$`)

// userscriptSite is the site's base URL and its host name (for @connect), from the request's
// scheme and host, or a 400 when either is not a plain scheme and host[:port].
func userscriptSite(c *fiber.Ctx) (base, hostname string, err error) {
	scheme := strings.ToLower(c.Protocol())
	if scheme != "http" && scheme != "https" {
		return "", "", site.BadRequest("X-Forwarded-Proto", "the script is served over http or https only")
	}
	host := strings.ToLower(c.Hostname())
	m := hostPattern.FindStringSubmatch(host)
	if len(host) > 260 || m == nil {
		return "", "", site.BadRequest("Host", "the Host header is not a host name with an optional port")
	}
	hostname = host
	if m[1] != "" {
		if p, _ := strconv.Atoi(m[1]); p < 1 || p > 65535 {
			return "", "", site.BadRequest("Host", "the Host header's port is not between 1 and 65535")
		}
		hostname = host[:len(host)-len(m[1])-1]
	}
	return scheme + "://" + host, hostname, nil
}

// Userscript serves the script for the site it was downloaded from. @connect names the host
// without its port: managers match @connect against host names only.
func (h *Handler) Userscript(c *fiber.Ctx) error {
	base, hostname, err := userscriptSite(c)
	if err != nil {
		return err
	}
	siteJSON, err := json.Marshal(base)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	err = userscriptTemplate.Execute(&b, struct {
		Site, Host, Version, SiteJSON string
	}{base, hostname, userscriptVersion, string(siteJSON)})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/javascript; charset=utf-8")
	// The body depends on the request's host headers: a shared cache must not hand one host's
	// script to another.
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderVary, "Host, X-Forwarded-Host, X-Forwarded-Proto")
	return c.Send(b.Bytes())
}
