package pages

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/lookup"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/web/site"
)

// The review form on each requester page does what POST /api/v1/reviews does, for a worker who
// pastes their token: the same token check, pseudonym, checks and store, so a review posted by
// form and one posted by API with the same token are the same reporter's one review. The token
// travels in the form body, so another site cannot forge a post; it is never echoed back and no
// cookie is set. Plain HTML: it works without JavaScript.
//
// Each listed review has a "Report this review" form (POST /requesters/{id}/flag, and each
// platform's page address + /flag): a reader flags it anonymously, counted by their network
// address (POST /api/v1/reviews/{id}/flags for the rules).

// ReviewForm sends a reload or bookmark of a refused form's address to the form itself, on
// the requester's page (/requesters/ID, /prolific/researchers/ID).
func (h *Handler) ReviewForm(c *fiber.Ctx) error {
	key, err := site.RequesterIDParam(c)
	if err != nil {
		return err
	}
	return c.Redirect(site.RequesterPath(key)+"#review", fiber.StatusSeeOther)
}

// reviewForm is the review form's state: empty, just saved, or refused with the user's input.
// Every rating is optional ("no rating"), and so are the flags; the review needs at least one
// rating, a text or a flag.
type reviewForm struct {
	Action       string
	Saved        bool
	Ratings      []ratingField
	Text         string
	MaxText      int
	TOSViolation bool
	BrokenTask   bool
	TokenError   string
	TextError    string
	EmptyError   string        // the review has no rating, no text and no flag
	Problems     []formProblem // every refusal, for the summary above the form

	// Each listed review's report form.
	FlagAction  string
	FlagReasons []reviews.Reason
	HideAfter   int
	FlagNotice  string // a reader's flag was recorded
}

// formProblem is one refusal in the summary, linking to the input at fault.
type formProblem struct {
	Message, Anchor string
}

type ratingField struct {
	Name, Label string
	Options     []ratingOption
	Error       string
}

type ratingOption struct {
	Value    string // "" is no rating
	Label    string
	Selected bool
}

var ratingNames = []struct{ name, label string }{
	{"pay", "Pay"}, {"fairness", "Fairness"}, {"communication", "Communication"}, {"promptness", "Promptness"},
}

var ratingWords = [...]string{1: "very poor", 2: "poor", 3: "fair", 4: "good", 5: "excellent"}

// newReviewForm is an empty form for a requester, by its stored key, nil when the server takes
// no reviews.
func (h *Handler) newReviewForm(requesterKey string, saved bool) *reviewForm {
	if h.site.ReviewsEnabled() != nil {
		return nil
	}
	// The fragment brings a refused form's answer, the page again, into view at the form.
	f := &reviewForm{Action: site.RequesterPath(requesterKey) + "/review#review", Saved: saved, MaxText: reviews.MaxText,
		FlagAction: site.RequesterPath(requesterKey) + "/flag#reviews", FlagReasons: reviews.Reasons, HideAfter: reviews.HideAfter}
	f.setInput(reviews.Input{})
	return f
}

// setInput fills the form with a review's ratings and flags (the text is set as typed).
func (f *reviewForm) setInput(in reviews.Input) {
	values := map[string]*int{"pay": in.Pay, "fairness": in.Fairness, "communication": in.Communication, "promptness": in.Promptness}
	f.Ratings = f.Ratings[:0]
	for _, r := range ratingNames {
		rf := ratingField{Name: r.name, Label: r.label}
		v := values[r.name]
		rf.Options = append(rf.Options, ratingOption{Value: "", Label: "no rating", Selected: v == nil})
		for n := 5; n >= 1; n-- {
			rf.Options = append(rf.Options, ratingOption{Value: strconv.Itoa(n), Label: strconv.Itoa(n) + " — " + ratingWords[n], Selected: v != nil && *v == n})
		}
		f.Ratings = append(f.Ratings, rf)
	}
	f.TOSViolation, f.BrokenTask = in.TOSViolation, in.BrokenTask
}

// refuse records why the review was not stored, beside the field at fault and in the summary.
func (f *reviewForm) refuse(field, msg string) {
	label := map[string]string{"token": "The token", "text": "The review text", "review": "The review"}[field]
	for _, r := range ratingNames {
		if r.name == field {
			label = r.label
		}
	}
	if label == "" {
		label = field
	}
	msg = label + " " + msg
	anchor := "review-" + field
	switch field {
	case "token":
		f.TokenError = msg
	case "text":
		f.TextError = msg
	case "review":
		f.EmptyError, anchor = msg, "review-pay"
	}
	f.Problems = append(f.Problems, formProblem{Message: msg, Anchor: anchor})
	for i := range f.Ratings {
		if f.Ratings[i].Name == field {
			f.Ratings[i].Error = msg
		}
	}
}

// formRequester checks a form post about a requester's reviews before reading it: the site takes
// reviews, the requester is known, the body is small.
func (h *Handler) formRequester(c *fiber.Ctx) (*lookup.Requester, error) {
	if err := h.site.ReviewsEnabled(); err != nil {
		return nil, err
	}
	r, err := h.site.RequesterParam(c, "hitwage has no reports or listings of requester ID yet.")
	if err != nil {
		return nil, err
	}
	if err := site.ReviewBodySize(c); err != nil {
		return nil, err
	}
	return r, nil
}

// PostReview stores a review posted with the requester page's form, or shows the form again with why not.
func (h *Handler) PostReview(c *fiber.Ctx) error {
	r, err := h.formRequester(c)
	if err != nil {
		return err
	}
	in := reviewFromForm(c, r.ID)
	form := h.newReviewForm(r.ID, false)
	form.setInput(in)
	form.Text = c.FormValue("text")

	secret := strings.TrimSpace(c.FormValue("token"))
	if secret == "" {
		return h.refuseReview(c, r, form, &site.Error{Status: fiber.StatusUnauthorized, Code: "unauthorized", Field: "token",
			Message: "is missing: paste the reporting token you send task reports with"})
	}
	tok, err := h.site.CheckToken(c, secret)
	if err != nil {
		return h.refuseReview(c, r, form, err)
	}
	if p, err := platform.Parse(in.Platform); err == nil {
		if err := site.PlatformAllowed(tok, p); err != nil {
			return h.refuseReview(c, r, form, err)
		}
	}
	if err := h.site.SaveReview(c.UserContext(), h.site.AuthorOf(tok, ""), in); err != nil {
		return h.refuseReview(c, r, form, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(site.RequesterPath(r.ID)+"?review=saved#review", fiber.StatusSeeOther)
}

// reviewFromForm reads the form's fields as the API's review of the requester with the stored
// key requesterKey (its platform and id). An empty or absent rating is no rating; one that is not
// a number reads as 0, which reviews.Check refuses by name. A flag is set when its checkbox is
// sent at all.
func reviewFromForm(c *fiber.Ctx, requesterKey string) reviews.Input {
	p, id := platform.Split(requesterKey)
	rating := func(name string) *int {
		s := strings.TrimSpace(c.FormValue(name))
		if s == "" {
			return nil
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return reviews.Rating(0)
		}
		return &v
	}
	return reviews.Input{
		Platform:      string(p),
		RequesterID:   id,
		Pay:           rating("pay"),
		Fairness:      rating("fairness"),
		Communication: rating("communication"),
		Promptness:    rating("promptness"),
		// Browsers send a textarea's line breaks as CRLF but count them as one character for
		// maxlength; count them the same way here.
		Text:         strings.ReplaceAll(c.FormValue("text"), "\r\n", "\n"),
		TOSViolation: c.FormValue("tos_violation") != "",
		BrokenTask:   c.FormValue("broken_task") != "",
	}
}

// refuseReview shows the requester page again with the form's input (never the token) and
// the reasons beside the fields: 400 for bad input, 401 for a bad token, 429 when rate-limited.
func (h *Handler) refuseReview(c *fiber.Ctx, r *lookup.Requester, form *reviewForm, err error) error {
	var we *site.Error
	if !errors.As(err, &we) {
		return err
	}
	status := we.Status
	switch {
	case we.Code == "invalid_review":
		status = fiber.StatusBadRequest
		for _, d := range we.Details {
			form.refuse(d.Field, d.Message)
		}
	case status == fiber.StatusUnauthorized && we.Field == "Authorization":
		form.refuse("token", "is unknown or revoked: check that you pasted the whole token")
	case status == fiber.StatusUnauthorized:
		form.refuse("token", we.Message)
	case status == fiber.StatusTooManyRequests:
		form.refuse("token", "has sent too many requests; "+strings.TrimPrefix(we.Message, "too many requests for this token; "))
	default:
		return err
	}
	c.Status(status)
	if err := h.renderRequester(c, r, form, false); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return nil
}

// PostFlag records a reader's report of one review from the requester's page, counted by
// the reader's network address as the API counts an anonymous flag, and shows the page again
// with a notice (a refusal is an error page). Sending it twice counts once.
func (h *Handler) PostFlag(c *fiber.Ctx) error {
	r, err := h.formRequester(c)
	if err != nil {
		return err
	}
	flagger, err := h.site.Flagger(c) // no Authorization header: the reader's address, refused from another site

	if err != nil {
		return err
	}
	hidden, err := h.site.Flag(c, r.ID, c.FormValue("review_id"), c.FormValue("reason"), flagger)
	if err != nil {
		return err
	}
	form := h.newReviewForm(r.ID, false)
	form.FlagNotice = "Thank you: your report of this review was recorded. A review is hidden once " +
		strconv.Itoa(reviews.HideAfter) + " readers report it; moderators can see it and restore it."
	if hidden {
		form.FlagNotice = "Thank you: your report was recorded, and enough readers have reported this review that it is now hidden. Moderators can see it and restore it."
	}
	if err := h.renderRequester(c, r, form, false); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return nil
}
