package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/reviews"
)

// Workers review requesters with the same tokens they report tasks with. One review per token
// per requester (a declared relay's: per worker it names): posting again edits it, DELETE
// withdraws it. Readers list a requester's reviews and flag one; enough independent flags hide it.
// Scores pick reviews up at the next figures update.

// maxReviewBody bounds a review request's body, JSON or form.
const maxReviewBody = 64 << 10

// reviewBodySize refuses a review request, JSON or form, whose body is over maxReviewBody.
func reviewBodySize(c *fiber.Ctx) error {
	if len(c.Body()) > maxReviewBody {
		return &Error{Status: fiber.StatusRequestEntityTooLarge, Code: "body_too_large", Field: "body", Message: "a review is at most 64 KiB"}
	}
	return nil
}

// reviewsEnabled says why this server takes no reviews, if it takes none.
func (a *App) reviewsEnabled() error {
	if a.deps.Ingest == nil || a.deps.Hasher == nil {
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "reviews_disabled", Message: "this server does not accept reviews"}
	}
	return nil
}

// reviewer authenticates the request and returns the review's author: the token, and the worker
// a relaying script names. A relaying script's worker id must have the shape of p's worker ids (of
// any platform's when p is nil: the review's platform is unknown, which Check reports).
func (a *App) reviewer(c *fiber.Ctx, p *platform.Platform, workerID string) (reviews.Author, error) {
	if err := a.reviewsEnabled(); err != nil {
		return reviews.Author{}, err
	}
	tok, err := a.authenticate(c)
	if err != nil {
		return reviews.Author{}, err
	}
	if err := platformAllowed(tok, p); err != nil {
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
	return a.authorOf(tok, workerID), nil
}

// platformAllowed refuses a review of a platform the token is not scoped to (400 naming platform).
func platformAllowed(tok ingest.Token, p *platform.Platform) error {
	if p != nil && !tok.Allows(p.ID) {
		return BadRequest("platform", "this token reports for "+tok.Platform+" only")
	}
	return nil
}

// errOtherWorker answers a change, naming one worker, to a plain token's review written for
// another (reviews.ErrOtherWorker).
var errOtherWorker = &Error{Status: fiber.StatusConflict, Code: "token_has_review", Field: "worker_id",
	Message: "this token's review of this requester was written for another worker: a token holds one review per requester " +
		"(a relay token the operator declares holds one per worker); withdraw that review first, or send one token per worker"}

// authorOf is the author of a review written through tok naming workerID ("" for none): the
// token, whose pseudonym the review is filed under (a declared relay's: per worker it names).
func (a *App) authorOf(tok ingest.Token, workerID string) reviews.Author {
	return reviews.AuthorOf(a.deps.Hasher, tok.ID, workerID, tok.Relay)
}

// reviewerOf is the pseudonym the task reports a token sends are filed under, whose wages /me
// reads: the named worker's when a relaying script names one, else the token's own. (A review is
// the token's whatever worker it names: authorOf.)
func (a *App) reviewerOf(tok ingest.Token, workerID string) string {
	if w := strings.TrimSpace(workerID); w != "" {
		return a.deps.Hasher.Reporter("worker", w)
	}
	return a.deps.Hasher.Reporter("token", tok.ID)
}

// saveReview checks a review and stores it as author's one review of the requester; a bad review
// is a 422 *Error whose Details name every bad field.
func (a *App) saveReview(ctx context.Context, author reviews.Author, in reviews.Input) error {
	if ps := reviews.Check(in); len(ps) > 0 {
		details := make([]FieldError, len(ps))
		fields := make([]string, len(ps))
		for i, p := range ps {
			details[i] = FieldError{Field: p.Field, Message: p.Message}
			fields[i] = p.Field
		}
		status, _ := problemStatus(fields)
		return &Error{Status: status, Code: "invalid_review", Field: ps[0].Field, Details: details,
			Message: ps[0].Field + " " + ps[0].Message}
	}
	err := reviews.Save(ctx, a.deps.Store, author, in, a.now())
	if errors.Is(err, reviews.ErrOtherWorker) {
		return errOtherWorker
	}
	if err != nil {
		return err
	}
	a.parts.forget(in.Key()) // the requester's page lists its reviews: show this one now
	return nil
}

func (a *App) postReview(c *fiber.Ctx) error {
	if err := reviewBodySize(c); err != nil {
		return err
	}
	var in reviews.Input
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return reviewJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF { // one object, nothing after it
		return &Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: "the body must be one JSON review object, with nothing after it"}
	}
	p, _ := platform.Parse(in.Platform) // nil for an unknown platform, which saveReview refuses by name
	author, err := a.reviewer(c, p, in.WorkerID)
	if err != nil {
		return err
	}
	// As the review form (on the requester's page): only a requester hitwage has reports or
	// listings of can be reviewed, so that a token cannot make up requester pages.
	if a.deps.Directory != nil && p != nil && p.ValidRequester(in.RequesterID) {
		if _, ok := a.deps.Directory.Get(in.Key()); !ok {
			return &Error{Status: fiber.StatusNotFound, Code: "not_found", Field: "requester_id",
				Message: "hitwage has no reports or listings of " + p.Short + " " + p.Requester + " " + in.RequesterID + " yet: report a task of theirs first"}
		}
	}
	if err := a.saveReview(c.UserContext(), author, in); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusOK).JSON(fiber.Map{"stored": true, "requester_id": in.RequesterID, "platform": p.ID})
}

// deleteReview withdraws the token's review: the path names the requester by its platform's own id, and
// ?platform= (default mturk) the platform, as GET /api/v1/requesters/{id} does.
func (a *App) deleteReview(c *fiber.Ctx) error {
	key, err := requesterIDParam(c)
	if err != nil {
		return err
	}
	p, _ := platformOf(c) // requesterIDParam has checked it
	_, id := platform.Split(key)
	author, err := a.reviewer(c, p, c.Query("worker_id"))
	if err != nil {
		return err
	}
	err = reviews.Withdraw(c.UserContext(), a.deps.Store, author, key, a.now())
	if errors.Is(err, reviews.ErrNotFound) {
		return NotFound("this token has no review of " + p.Short + " " + p.Requester + " " + id)
	}
	if errors.Is(err, reviews.ErrOtherWorker) {
		return errOtherWorker
	}
	if err != nil {
		return err
	}
	a.parts.forget(key)
	return c.JSON(fiber.Map{"deleted": true, "requester_id": id, "platform": p.ID})
}

// reviewJSONError names the field of a review body that could not be decoded: a value of the
// wrong type (a rating of 1.5 or "x", a number too large) is a 422 on that field, as a rating of
// 0 is; an unknown field is a 400 naming it; anything else is a 400 on the body. Go's own wording
// (struct and type names) is not passed on.
func reviewJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		msg := "must be a string"
		switch te.Field {
		case "pay", "fairness", "communication", "promptness":
			msg = "must be a whole number from 1 to 5, or left out for no rating"
		case "tos_violation", "broken_task":
			msg = "must be true or false"
		}
		return &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid_review", Field: te.Field,
			Details: []FieldError{{Field: te.Field, Message: msg}}, Message: te.Field + " " + msg}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field := strings.Trim(name, `"`)
		return &Error{Status: fiber.StatusBadRequest, Code: "unknown_field", Field: field,
			Message: field + " is not a field of a review (platform, requester_id, pay, fairness, communication, promptness, text, tos_violation, broken_task, worker_id)"}
	}
	return &Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: "the body must be one JSON review object"}
}

// maxListedReviews is how many reviews GET /api/v1/reviews/{id} lists, newest first.
const maxListedReviews = 100

// reviewJSON is one listed review: its public id (for flagging), ratings (null: no rating),
// flags and text, and whether it is possibly the requester's own (shown, not counted).
type reviewJSON struct {
	ID            string    `json:"id"`
	Pay           *uint8    `json:"pay"`
	Fairness      *uint8    `json:"fairness"`
	Communication *uint8    `json:"communication"`
	Promptness    *uint8    `json:"promptness"`
	Text          string    `json:"text"`
	TOSViolation  bool      `json:"tos_violation"`
	BrokenTask    bool      `json:"broken_task"`
	UpdatedAt     time.Time `json:"updated_at"`
	PossiblyOwn   bool      `json:"possibly_own"`
}

// listReviews lists a requester's reviews as its page does: the newest, without those readers'
// flags hide, each with the public id POST /api/v1/reviews/{id}/flags takes.
func (a *App) listReviews(c *fiber.Ctx) error {
	key, err := requesterIDParam(c)
	if err != nil {
		return err
	}
	p, _ := platformOf(c)
	_, id := platform.Split(key)
	list, err := lookup.ReviewsOf(c.UserContext(), a.deps.Store, key, maxListedReviews)
	if err != nil {
		return err
	}
	rating := func(v uint8) *uint8 {
		if v == 0 {
			return nil
		}
		return &v
	}
	out := make([]reviewJSON, len(list))
	for i, r := range list {
		out[i] = reviewJSON{ID: r.ID, Pay: rating(r.Pay), Fairness: rating(r.Fairness), Communication: rating(r.Communication),
			Promptness: rating(r.Promptness), Text: r.Text, TOSViolation: r.TOSViolation, BrokenTask: r.BrokenTask,
			UpdatedAt: r.UpdatedAt.UTC(), PossiblyOwn: r.Own}
	}
	return sendJSON(c, fiber.Map{"requester_id": id, "platform": p.ID, "reviews": out}, 60)
}

// flagReview records a reader's flag of one review of a requester (the path names the requester
// as DELETE does; the body the review's public id and a reason). A reader with a token counts as
// the token; one without counts as their network address, hashed, and must not come from
// another site's page: a form there could make every visitor an independent flagger.
func (a *App) flagReview(c *fiber.Ctx) error {
	if err := reviewBodySize(c); err != nil {
		return err
	}
	if err := a.reviewsEnabled(); err != nil {
		return err
	}
	key, err := requesterIDParam(c)
	if err != nil {
		return err
	}
	p, _ := platformOf(c)
	_, id := platform.Split(key)
	var in struct {
		ReviewID string `json:"review_id"`
		Reason   string `json:"reason"`
	}
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return &Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: `the body must be one JSON object: {"review_id": "…", "reason": "…"}`}
	}
	flagger, err := a.flagger(c)
	if err != nil {
		return err
	}
	hidden, err := a.flag(c, key, in.ReviewID, in.Reason, flagger)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"flagged": true, "requester_id": id, "platform": p.ID, "review_id": in.ReviewID, "hidden": hidden})
}

// flag checks a flag's review id and reason and records it (reviews.Flag), answering what the
// store refuses; the requester's page lists its reviews again.
func (a *App) flag(c *fiber.Ctx, key, reviewID, reason, flagger string) (bool, error) {
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
	hidden, err := reviews.Flag(c.UserContext(), a.deps.Store, key, reviewID, flagger, reason, a.now())
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
	a.parts.forget(key)
	return hidden, nil
}

// reviewIDRe is the shape of a public review id (live_reviews.review_id).
var reviewIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)

// errCrossSite refuses an anonymous flag sent from another site's page.
var errCrossSite = &Error{Status: fiber.StatusForbidden, Code: "cross_site", Field: "Origin",
	Message: "an anonymous flag must come from hitwage's own pages or a client of your own; a script on another site must send a token"}

// flagger is who a flag counts as: the token's pseudonym when the request carries one, else the
// hashed network address of an anonymous reader.
func (a *App) flagger(c *fiber.Ctx) (string, error) {
	if c.Get(fiber.HeaderAuthorization) != "" {
		tok, err := a.authenticate(c)
		if err != nil {
			return "", err
		}
		return reviews.TokenFlagger(a.deps.Hasher, tok.ID), nil
	}
	if crossSite(c) {
		return "", errCrossSite
	}
	ip := a.limits.clientAddr(c) // the address the limits use: behind a proxy, the proxy's header
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "", fmt.Errorf("web: flag: client address %q: %w", ip, err)
	}
	return reviews.AddressFlagger(a.deps.Hasher, addr), nil
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
