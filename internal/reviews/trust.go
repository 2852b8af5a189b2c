package reviews

import (
	"net/netip"

	"github.com/hitwage/hitwage/internal/records"
)

// The trust rules the live_reviews view applies (migration 0012; docs/methodology.md, "Reviews").
// The view holds the numbers; these constants name them for code and messages, and the package's
// tests hold the view to them.
const (
	// HideAfter is how many distinct readers must flag a review before it is hidden from pages,
	// counts, averages and scores. Turkopticon hid a review after enough independent flags; three
	// independent readers are more than one grudge, and a moderator can restore a review.
	HideAfter = 3

	// OwnShare is the share of a token's task reports that, when they are for the requester its
	// review rates, marks the review as possibly the requester's own (with OwnMinRating).
	OwnShare = 0.9

	// OwnMinRating is the lowest rating a possibly-own review gives: every rating it gives is at
	// least this (and it gives one).
	OwnMinRating = 4

	// FlagsPerHour bounds the flags one flagger (a token, an anonymous reader's network) may send
	// in an hour.
	FlagsPerHour = 10
)

// TokenFlagger is the flagger a reader flagging through token tokenID counts as: the token's
// pseudonym, so that a token counts once however its holder flags.
func TokenFlagger(h *records.Hasher, tokenID string) string { return h.Reporter("token", tokenID) }

// AddressFlagger is the flagger an anonymous reader counts as: a keyed hash of their network
// address, never the address itself. An IPv6 reader is counted by /64, the block one household or
// one server gets, so that one machine cannot flag again from each of its addresses.
func AddressFlagger(h *records.Hasher, addr netip.Addr) string {
	addr = addr.Unmap()
	if addr.Is6() {
		addr = netip.PrefixFrom(addr, 64).Masked().Addr()
	}
	return h.Reporter("reader", addr.String())
}
