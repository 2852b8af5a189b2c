package site

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/reviews"
)

// MaxReviewBody bounds a review request's body, JSON or form.
const MaxReviewBody = 64 << 10

// ReviewBodySize refuses a review request, JSON or form, whose body is over MaxReviewBody.
func ReviewBodySize(c *fiber.Ctx) error {
	if len(c.Body()) > MaxReviewBody {
		return &Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body", Message: "a review is at most 64 KiB"}
	}
	return nil
}

// ReviewsEnabled says why this server takes no reviews, if it takes none.
func (s *Site) ReviewsEnabled() error {
	if s.Deps.Ingest == nil || s.Deps.Hasher == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "reviews_disabled", Message: "this server does not accept reviews"}
	}
	return nil
}

// Reviewer authenticates the request and returns the review's author: the token, and the worker
// a relaying script names. A relaying script's worker id must have the shape of p's worker ids (of
// any platform's when p is nil: the review's platform is unknown, which Check reports).
func (s *Site) Reviewer(c *fiber.Ctx, p *platform.Platform, workerID string) (reviews.Author, error) {
	if err := s.ReviewsEnabled(); err != nil {
		return reviews.Author{}, err
	}
	tok, err := s.Authenticate(c)
	if err != nil {
		return reviews.Author{}, err
	}
	if err := PlatformAllowed(tok, p); err != nil {
		return reviews.Author{}, err
	}
	if w := strings.TrimSpace(workerID); w != "" {
		switch {
		case p == nil && !platform.ValidWorker(w):
			return reviews.Author{}, BadRequest("worker_id", "a worker id is, on "+platform.WorkerShapes())
		case p != nil && !p.ValidRequester(w):
			return reviews.Author{}, BadRequest("worker_id", "a worker id is "+p.RequesterShape+" ("+p.Short+")")
		}
	}
	return s.AuthorOf(tok, workerID), nil
}

// PlatformAllowed refuses a review of a platform the token is not scoped to (400 naming platform).
func PlatformAllowed(tok ingest.Token, p *platform.Platform) error {
	if p != nil && !tok.Allows(p.ID) {
		return BadRequest("platform", "this token reports for "+tok.Platform+" only")
	}
	return nil
}

// ErrOtherWorker answers a change, naming one worker, to a plain token's review written for
// another (reviews.ErrOtherWorker).
var ErrOtherWorker = &Error{Status: fiber.StatusConflict, Code: "token_has_review", Field: "worker_id",
	Message: "this token's review of this requester was written for another worker: a token holds one review per requester " +
		"(a relay token the operator declares holds one per worker); withdraw that review first, or send one token per worker"}

// AuthorOf is the author of a review written through tok naming workerID ("" for none): the
// token, whose pseudonym the review is filed under (a declared relay's: per worker it names).
func (s *Site) AuthorOf(tok ingest.Token, workerID string) reviews.Author {
	return reviews.AuthorOf(s.Deps.Hasher, tok.ID, workerID, tok.Relay)
}

// ReviewerOf is the pseudonym the task reports a token sends are filed under, whose wages /me
// reads: the named worker's when a relaying script names one, else the token's own. (A review is
// the token's whatever worker it names: authorOf.)
func (s *Site) ReviewerOf(tok ingest.Token, workerID string) string {
	if w := strings.TrimSpace(workerID); w != "" {
		return s.Deps.Hasher.Reporter("worker", w)
	}
	return s.Deps.Hasher.Reporter("token", tok.ID)
}

// SaveReview checks a review and stores it as author's one review of the requester; a bad review
// is a 422 *Error whose Details name every bad field.
func (s *Site) SaveReview(ctx context.Context, author reviews.Author, in reviews.Input) error {
	if ps := reviews.Check(in); len(ps) > 0 {
		details := make([]FieldError, len(ps))
		fields := make([]string, len(ps))
		for i, p := range ps {
			details[i] = FieldError{Field: p.Field, Message: p.Message}
			fields[i] = p.Field
		}
		status, _ := ProblemStatus(fields)
		return &Error{Status: status, Code: "invalid_review", Field: ps[0].Field, Details: details,
			Message: ps[0].Field + " " + ps[0].Message}
	}
	err := reviews.Save(ctx, s.Deps.Store, author, in, s.Now())
	if errors.Is(err, reviews.ErrOtherWorker) {
		return ErrOtherWorker
	}
	if err != nil {
		return err
	}
	s.ReviewsChanged(ctx, in.Key()) // the requester's page lists its reviews: show this one now
	return nil
}

// Flag checks a flag's review id and reason and records it (reviews.Flag), answering what the
// store refuses; the requester's page lists its reviews again.
func (s *Site) Flag(c *fiber.Ctx, key, reviewID, reason, flagger string) (bool, error) {
	if !reviewIDRe.MatchString(reviewID) {
		return false, &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid_flag", Field: "review_id",
			Message: "review_id must be a review's id: 24 lower-case hexadecimal characters, as GET /api/v1/reviews/{id} and the requester's page list them"}
	}
	if !reviews.ValidReason(reason) {
		codes := make([]string, len(reviews.Reasons))
		for i, r := range reviews.Reasons {
			codes[i] = r.Code
		}
		return false, &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid_flag", Field: "reason",
			Message: "reason must be one of " + strings.Join(codes, ", ")}
	}
	hidden, err := reviews.Flag(c.UserContext(), s.Deps.Store, key, reviewID, flagger, reason, s.Now())
	switch {
	case errors.Is(err, reviews.ErrNotFound):
		return false, &Error{Status: fiber.StatusNotFound, Code: "not_found", Field: "review_id", Message: "this requester has no live review with that id"}
	case errors.Is(err, reviews.ErrTooManyFlags):
		c.Set(fiber.HeaderRetryAfter, "3600")
		return false, &Error{Status: fiber.StatusTooManyRequests, Code: "too_many_flags",
			Message: "at most " + strconv.Itoa(reviews.FlagsPerHour) + " flags an hour from one reader; retry later"}
	case err != nil:
		return false, err
	}
	s.ReviewsChanged(c.UserContext(), key)
	return hidden, nil
}

// reviewIDRe is the shape of a public review id (live_reviews.review_id).
var reviewIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)

// errCrossSite refuses an anonymous flag sent from another site's page.
var errCrossSite = &Error{Status: fiber.StatusForbidden, Code: "cross_site", Field: "Origin",
	Message: "an anonymous flag must come from hitwage's own pages or a client of your own; a script on another site must send a token"}

// Flagger is who a flag counts as: the token's pseudonym when the request carries one, else the
// hashed network address of an anonymous reader.
func (s *Site) Flagger(c *fiber.Ctx) (string, error) {
	if c.Get(fiber.HeaderAuthorization) != "" {
		tok, err := s.Authenticate(c)
		if err != nil {
			return "", err
		}
		return reviews.TokenFlagger(s.Deps.Hasher, tok.ID), nil
	}
	if crossSite(c) {
		return "", errCrossSite
	}
	ip := s.Limits.ClientAddr(c) // the address the limits use: behind a proxy, the proxy's header
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "", fmt.Errorf("web: flag: client address %q: %w", ip, err)
	}
	return reviews.AddressFlagger(s.Deps.Hasher, addr), nil
}

// crossSite reports whether a browser sent the request from another site's page: its
// Sec-Fetch-Site says so, or its Origin is not this site's. Clients that are not browsers send
// neither, and can flag only from their own address.
func crossSite(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return true
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host != string(c.Request().Host())
}
