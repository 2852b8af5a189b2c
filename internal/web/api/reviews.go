package api

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/web/site"
)

// Workers review requesters with the same tokens they report tasks with. One review per token
// per requester (a declared relay's: per worker it names): posting again edits it, DELETE
// withdraws it. Readers list a requester's reviews and flag one; enough independent flags hide it.
// Scores pick reviews up at the next figures update.

// PostReview stores a worker's review of a requester, or edits the one the token wrote.
func (h *Handler) PostReview(c *fiber.Ctx) error {
	if err := site.ReviewBodySize(c); err != nil {
		return err
	}
	var in reviews.Input
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return reviewJSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF { // one object, nothing after it
		return &site.Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: "the body must be one JSON review object, with nothing after it"}
	}
	p, _ := platform.Parse(in.Platform) // nil for an unknown platform, which saveReview refuses by name
	author, err := h.site.Reviewer(c, p, in.WorkerID)
	if err != nil {
		return err
	}
	// As the review form (on the requester's page): only a requester hitwage has reports or
	// listings of can be reviewed, so that a token cannot make up requester pages.
	if h.site.Deps.Directory != nil && p != nil && p.ValidRequester(in.RequesterID) {
		if _, ok := h.site.Deps.Directory.Get(in.Key()); !ok {
			return &site.Error{Status: fiber.StatusNotFound, Code: "not_found", Field: "requester_id",
				Message: "hitwage has no reports or listings of " + p.Short + " " + p.Requester + " " + in.RequesterID + " yet: report a task of theirs first"}
		}
	}
	if err := h.site.SaveReview(c.UserContext(), author, in); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusOK).JSON(fiber.Map{"stored": true, "requester_id": in.RequesterID, "platform": p.ID})
}

// DeleteReview withdraws the token's review: the path names the requester by its platform's own id, and
// ?platform= (default mturk) the platform, as GET /api/v1/requesters/{id} does.
func (h *Handler) DeleteReview(c *fiber.Ctx) error {
	key, err := site.RequesterIDParam(c)
	if err != nil {
		return err
	}
	p, _ := site.PlatformOf(c) // site.RequesterIDParam has checked it
	_, id := platform.Split(key)
	author, err := h.site.Reviewer(c, p, c.Query("worker_id"))
	if err != nil {
		return err
	}
	err = reviews.Withdraw(c.UserContext(), h.site.Deps.Store, author, key, h.site.Now())
	if errors.Is(err, reviews.ErrNotFound) {
		return site.NotFound("this token has no review of " + p.Short + " " + p.Requester + " " + id)
	}
	if errors.Is(err, reviews.ErrOtherWorker) {
		return site.ErrOtherWorker
	}
	if err != nil {
		return err
	}
	h.site.ReviewsChanged(c.UserContext(), key)
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
		return &site.Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid_review", Field: te.Field,
			Details: []site.FieldError{{Field: te.Field, Message: msg}}, Message: te.Field + " " + msg}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field := strings.Trim(name, `"`)
		return &site.Error{Status: fiber.StatusBadRequest, Code: "unknown_field", Field: field,
			Message: field + " is not a field of a review (platform, requester_id, pay, fairness, communication, promptness, text, tos_violation, broken_task, worker_id)"}
	}
	return &site.Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: "the body must be one JSON review object"}
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

// Reviews lists a requester's reviews as its page does: the newest, without those readers'
// flags hide, each with the public id POST /api/v1/reviews/{id}/flags takes.
func (h *Handler) Reviews(c *fiber.Ctx) error {
	key, err := site.RequesterIDParam(c)
	if err != nil {
		return err
	}
	p, _ := site.PlatformOf(c)
	_, id := platform.Split(key)
	list, err := lookup.ReviewsOf(c.UserContext(), h.site.Deps.Store, key, maxListedReviews)
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
	return site.SendJSON(c, fiber.Map{"requester_id": id, "platform": p.ID, "reviews": out}, 60)
}

// FlagReview records a reader's flag of one review of a requester (the path names the requester
// as DELETE does; the body the review's public id and a reason). A reader with a token counts as
// the token; one without counts as their network address, hashed, and must not come from
// another site's page: a form there could make every visitor an independent flagger.
func (h *Handler) FlagReview(c *fiber.Ctx) error {
	if err := site.ReviewBodySize(c); err != nil {
		return err
	}
	if err := h.site.ReviewsEnabled(); err != nil {
		return err
	}
	key, err := site.RequesterIDParam(c)
	if err != nil {
		return err
	}
	p, _ := site.PlatformOf(c)
	_, id := platform.Split(key)
	var in struct {
		ReviewID string `json:"review_id"`
		Reason   string `json:"reason"`
	}
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return &site.Error{Status: fiber.StatusBadRequest, Code: "bad_json", Field: "body", Message: `the body must be one JSON object: {"review_id": "…", "reason": "…"}`}
	}
	flagger, err := h.site.Flagger(c)
	if err != nil {
		return err
	}
	hidden, err := h.site.Flag(c, key, in.ReviewID, in.Reason, flagger)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"flagged": true, "requester_id": id, "platform": p.ID, "review_id": in.ReviewID, "hidden": hidden})
}
