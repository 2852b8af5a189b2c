package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/reviews"
)

// Workers review requesters with the same tokens they report tasks with. One review per
// reporter per requester: posting again edits it, DELETE withdraws it. Scores pick reviews up
// at the next figures update.
func init() {
	routeSets = append(routeSets, func(a *App) {
		a.Use("/api/v1/reviews", a.workerSiteCORS("POST,DELETE,OPTIONS"))
		a.Post("/api/v1/reviews", a.postReview)
		a.Delete("/api/v1/reviews/:id", a.deleteReview)
	})
}

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

// reviewer authenticates the request and returns the pseudonym the review is filed under and
// the token it comes through. A relaying script's worker id must have the shape of p's worker
// ids (of any platform's when p is nil: the review's platform is unknown, which Check reports).
func (a *App) reviewer(c *fiber.Ctx, p *platform.Platform, workerID string) (reporter, via string, err error) {
	if err := a.reviewsEnabled(); err != nil {
		return "", "", err
	}
	tok, err := a.authenticate(c)
	if err != nil {
		return "", "", err
	}
	if err := platformAllowed(tok, p); err != nil {
		return "", "", err
	}
	if w := strings.TrimSpace(workerID); w != "" {
		switch {
		case p == nil && !platform.ValidWorker(w):
			return "", "", BadRequest("worker_id", "a worker id is, on "+platform.WorkerShapes())
		case p != nil && !p.ValidRequester(w):
			return "", "", BadRequest("worker_id", "a worker id is "+p.RequesterShape+" ("+p.Short+")")
		}
	}
	return a.reviewerOf(tok, workerID), tok.ID, nil
}

// platformAllowed refuses a review of a platform the token is not scoped to (400 naming platform).
func platformAllowed(tok ingest.Token, p *platform.Platform) error {
	if p != nil && !tok.Allows(p.ID) {
		return BadRequest("platform", "this token reports for "+tok.Platform+" only")
	}
	return nil
}

// errOtherToken answers a change to a review that another token wrote (reviews.ErrOtherToken).
var errOtherToken = &Error{Status: fiber.StatusForbidden, Code: "not_yours", Field: "worker_id",
	Message: "this worker's review was written through another token; only that token can change or withdraw it"}

// reviewerOf is the pseudonym a token's review is filed under: the named worker's when a
// relaying script names one, else the token's own.
func (a *App) reviewerOf(tok ingest.Token, workerID string) string {
	if w := strings.TrimSpace(workerID); w != "" {
		return a.deps.Hasher.Reporter("worker", w)
	}
	return a.deps.Hasher.Reporter("token", tok.ID)
}

// saveReview checks a review and stores it as reporter's one review of the requester, written
// through token via; a bad review is a 422 *Error whose Details name every bad field.
func (a *App) saveReview(ctx context.Context, reporter, via string, in reviews.Input) error {
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
	err := reviews.Put(ctx, a.deps.Store, reporter, via, in, a.now())
	if errors.Is(err, reviews.ErrOtherToken) {
		return errOtherToken
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
	reporter, via, err := a.reviewer(c, p, in.WorkerID)
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
	if err := a.saveReview(c.UserContext(), reporter, via, in); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusOK).JSON(fiber.Map{"stored": true, "requester_id": in.RequesterID, "platform": p.ID})
}

// deleteReview withdraws a review: the path names the requester by its platform's own id, and
// ?platform= (default mturk) the platform, as GET /api/v1/requesters/{id} does.
func (a *App) deleteReview(c *fiber.Ctx) error {
	key, err := requesterIDParam(c)
	if err != nil {
		return err
	}
	p, _ := platformOf(c) // requesterIDParam has checked it
	_, id := platform.Split(key)
	reporter, via, err := a.reviewer(c, p, c.Query("worker_id"))
	if err != nil {
		return err
	}
	err = reviews.Delete(c.UserContext(), a.deps.Store, reporter, via, key, a.now())
	if errors.Is(err, reviews.ErrNotFound) {
		return NotFound("you have no review of " + p.Short + " " + p.Requester + " " + id)
	}
	if errors.Is(err, reviews.ErrOtherToken) {
		return errOtherToken
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
