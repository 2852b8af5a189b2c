package reviews

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"time"

	"github.com/hitwage/hitwage/internal/store"
)

// Reason is why a reader flags a review: a code the API takes and a label forms show.
type Reason struct{ Code, Label string }

// Reasons lists what a review can be flagged for, in the order forms show them.
var Reasons = []Reason{
	{"spam", "Spam or advertising"},
	{"abusive", "Abusive, hateful or harassing"},
	{"personal_information", "Reveals someone's personal information"},
	{"off_topic", "Not about this requester or its tasks"},
	{"not_genuine", "Not genuine: by the requester, a rival, or someone who did not do the work"},
	{"other", "Something else"},
}

// ValidReason reports whether code is one of Reasons.
func ValidReason(code string) bool {
	for _, r := range Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

// ErrTooManyFlags refuses a flag from a flagger who sent FlagsPerHour in the last hour.
var ErrTooManyFlags = errors.New("reviews: too many flags from this reader in the last hour")

// moderator is the flagger of a moderator's restore, which hashed flaggers never equal.
const moderator = "moderator"

// find returns the author of the live review reviewID (its public id) of the requester with the
// stored key requesterKey, and whether it is hidden; ErrNotFound when there is none.
func find(ctx context.Context, s *store.Store, requesterKey, reviewID string) (author string, hidden bool, err error) {
	var h uint8
	err = s.QueryRow(ctx, `SELECT author, hidden FROM live_reviews WHERE requester_id = {rid:String} AND review_id = {id:String}`,
		store.Args{"rid": requesterKey, "id": reviewID}, &author, &h)
	if errors.Is(err, store.ErrNoRows) {
		return "", false, ErrNotFound
	}
	if err != nil {
		return "", false, fmt.Errorf("reviews: flag: %w", err)
	}
	return author, h == 1, nil
}

// Flag records flagger's flag (reason, one of Reasons) of the live review reviewID of the
// requester with the stored key requesterKey, and reports whether the review is hidden now. A
// flagger counts once per review however often they flag it; from HideAfter distinct flaggers
// the review is hidden. ErrNotFound when there is no such live review, ErrTooManyFlags when the
// flagger sent FlagsPerHour flags in the last hour.
func Flag(ctx context.Context, s *store.Store, requesterKey, reviewID, flagger, reason string, now time.Time) (bool, error) {
	if !ValidReason(reason) {
		return false, fmt.Errorf("reviews: flag: unknown reason %q", reason)
	}
	author, _, err := find(ctx, s, requesterKey, reviewID)
	if err != nil {
		return false, err
	}
	var recent uint64
	err = s.QueryRow(ctx, `SELECT count() FROM review_flags WHERE flagger = {f:String} AND at > {since:DateTime64(3, 'UTC')}`,
		store.Args{"f": flagger, "since": now.Add(-time.Hour).UTC()}, &recent)
	if err != nil {
		return false, fmt.Errorf("reviews: flag: %w", err)
	}
	if recent >= FlagsPerHour {
		return false, ErrTooManyFlags
	}
	if err := addFlag(ctx, s, requesterKey, author, flagger, reason, now); err != nil {
		return false, err
	}
	_, hidden, err := find(ctx, s, requesterKey, reviewID)
	return hidden, err
}

// Restore is a moderator's answer to a review's flags: the flags sent before now stop counting,
// so a hidden review shows again (later flags count anew). ErrNotFound when there is no such
// live review.
func Restore(ctx context.Context, s *store.Store, requesterKey, reviewID string, now time.Time) error {
	author, _, err := find(ctx, s, requesterKey, reviewID)
	if err != nil {
		return err
	}
	return addFlag(ctx, s, requesterKey, author, moderator, "cleared", now)
}

func addFlag(ctx context.Context, s *store.Store, requesterKey, author, flagger, reason string, now time.Time) error {
	err := s.Insert(ctx, "review_flags", []string{"requester_id", "author", "flagger", "reason", "at"}, 1, func(int) []any {
		return []any{requesterKey, author, flagger, reason, now.UTC()}
	})
	if err != nil {
		return fmt.Errorf("reviews: flag: %w", err)
	}
	return nil
}

// Flagged is a review as moderators see it: hidden, flagged, or possibly the requester's own.
type Flagged struct {
	RequesterID                              string // the requester's stored key (platform.Key)
	ReviewID                                 string
	Flaggers                                 uint64 // distinct readers flagging it since its last restore
	Hidden, Own                              bool
	Reasons                                  string // the reasons given, comma-separated
	LastFlag                                 time.Time
	Pay, Fairness, Communication, Promptness uint8
	Text                                     string
	UpdatedAt                                time.Time
}

// Which reviews Moderation lists.
const (
	ListHidden  = "hidden"  // hidden by readers' flags
	ListFlagged = "flagged" // flagged by any reader, hidden or not
	ListOwn     = "own"     // possibly the requester's own
)

//go:embed flagged.sql
var flaggedSQL string

// Moderation lists the live reviews of one kind (ListHidden, ListFlagged, ListOwn), hidden ones
// first, then by their last flag and last edit, newest first.
func Moderation(ctx context.Context, s *store.Store, kind string) ([]Flagged, error) {
	switch kind {
	case ListHidden, ListFlagged, ListOwn:
	default:
		return nil, fmt.Errorf("reviews: no list %q (%s, %s, %s)", kind, ListHidden, ListFlagged, ListOwn)
	}
	rows, err := s.Query(ctx, flaggedSQL, store.Args{"kind": kind})
	if err != nil {
		return nil, fmt.Errorf("reviews: moderation: %w", err)
	}
	defer rows.Close()
	var out []Flagged
	for rows.Next() {
		var f Flagged
		var hidden, own uint8
		if err := rows.Scan(&f.RequesterID, &f.ReviewID, &f.Flaggers, &hidden, &own, &f.Reasons, &f.LastFlag,
			&f.Pay, &f.Fairness, &f.Communication, &f.Promptness, &f.Text, &f.UpdatedAt); err != nil {
			return nil, fmt.Errorf("reviews: moderation: %w", err)
		}
		f.Hidden, f.Own = hidden == 1, own == 1
		out = append(out, f)
	}
	return out, rows.Err()
}
