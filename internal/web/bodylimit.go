package web

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/web/api"
	"github.com/hitwage/hitwage/internal/web/site"
)

// maxFormBody bounds the body of the small forms (/me: a token, a worker id, two dates).
const maxFormBody = 64 << 10

// maxCodings is the most content codings a body may carry ("gzip, br" is two).
const maxCodings = 2

// errBodyTooLarge ends a decoding that passed the route's limit.
var errBodyTooLarge = errors.New("web: decoded body over the limit")

// decodeBody holds a request body's size limit after decoding. fiber's c.Body() inflates a
// gzip, deflate or br body without bound (a few hundred KiB of gzip are gigabytes of zeros), and
// inflates again at every call; this middleware, ahead of every route, decodes a coded body once
// with the route's limit (bodyLimit), answers 413 past it, and hands the routes the decoded bytes
// with no Content-Encoding left, so that nothing inflates after it. Other codings are a 415.
func (a *App) decodeBody(c *fiber.Ctx) error {
	req := c.Request()
	if len(req.Body()) == 0 {
		return c.Next()
	}
	var header []string // every Content-Encoding line, as fiber's c.Body() reads them
	req.Header.VisitAll(func(k, v []byte) {
		if strings.EqualFold(string(k), fiber.HeaderContentEncoding) {
			header = append(header, string(v))
		}
	})
	var codings []string // in the order they were applied
	for _, h := range header {
		for _, cd := range strings.Split(h, ",") {
			switch cd = strings.ToLower(strings.TrimSpace(cd)); cd {
			case "", "identity":
			case "gzip", "x-gzip", "deflate", "br":
				codings = append(codings, cd)
			default:
				return &site.Error{Status: fiber.StatusUnsupportedMediaType, Code: "unsupported_encoding", Field: "Content-Encoding",
					Message: "Content-Encoding " + strconv.Quote(cd) + " is not accepted: send the body as it is, or coded with gzip, deflate or br"}
			}
		}
	}
	if len(codings) > maxCodings { // each is a pass over up to the limit: a long list would be many
		return &site.Error{Status: fiber.StatusUnsupportedMediaType, Code: "unsupported_encoding", Field: "Content-Encoding",
			Message: "at most " + strconv.Itoa(maxCodings) + " content codings are accepted"}
	}
	req.Header.Del(fiber.HeaderContentEncoding)
	if len(codings) == 0 {
		return c.Next()
	}
	limit, over := a.bodyLimit(c.Path())
	body := req.Body()
	for i := len(codings) - 1; i >= 0; i-- {
		var err error
		if body, err = decode(codings[i], body, limit); errors.Is(err, errBodyTooLarge) {
			return over
		} else if err != nil {
			return site.BadRequest("body", "the body is not valid "+codings[i]+" as its Content-Encoding says")
		}
	}
	req.SetBodyRaw(body)
	req.Header.SetContentLength(len(body))
	return c.Next()
}

// bodyLimit is the most a route takes of a decoded body, and its answer past that: reviews and
// forms are small; reports take what the ingest service does; the rest the server's BodyLimit.
// Routes match whatever the case and a trailing slash, as fiber routes them.
func (a *App) bodyLimit(path string) (int, error) {
	p := routeKey(path)
	switch {
	case strings.HasPrefix(p, "/api/v1/reviews") || strings.HasSuffix(p, "/review") || strings.HasSuffix(p, "/flag"):
		// reviews and flags, through the API or a page's form, on any platform's path
		return site.MaxReviewBody, &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body",
			Message: "a review is at most 64 KiB"}
	case p == "/api/v1/studies":
		return api.MaxStudiesBody, api.StudiesTooLarge()
	case p == "/me" || strings.HasPrefix(p, "/contribute/") && p != "/contribute/upload":
		return maxFormBody, &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body",
			Message: "the form is at most 64 KiB"}
	case p == "/api/v1/reports" && a.site.Deps.Ingest != nil:
		return a.site.Deps.Ingest.Config().MaxBodyBytes, api.ReportsTooLarge(a.site.Deps.Ingest)
	}
	n := a.Config().BodyLimit
	return n, &site.Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body",
		Message: "the body is over " + strconv.Itoa(n) + " bytes once decoded"}
}

// decode undoes one content coding of body, reading at most limit bytes of its output through
// io.LimitReader: errBodyTooLarge when there are more.
func decode(coding string, body []byte, limit int) ([]byte, error) {
	var r io.Reader
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		r = zr
	case "deflate": // HTTP's deflate is the zlib format (RFC 9110 8.4.1.2)
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	default: // br
		r = brotli.NewReader(bytes.NewReader(body))
	}
	r = io.LimitReader(r, int64(limit)+1)
	// Grow by doubling up to the limit: at most about twice the limit is allocated, where
	// io.ReadAll's gentler growth would allocate several times it on the way.
	out := make([]byte, 0, min(limit+1, max(4*len(body), 4<<10)))
	for {
		if len(out) == cap(out) {
			out = append(make([]byte, 0, min(limit+1, 2*cap(out))), out...)
		}
		n, err := r.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if len(out) > limit {
			return nil, errBodyTooLarge
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
