package reviews_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/reviews"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func testHasher(t *testing.T) *records.Hasher {
	t.Helper()
	h, err := records.NewHasher([]byte("reviews-trust-test-key-0000"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// liveReview is a row of the live_reviews view.
type liveReview struct {
	Author, ID, Text            string
	Pay                         uint8
	Own, Hidden, Counted, Rated bool
	Flaggers                    uint64
	CreatedAt, UpdatedAt        time.Time
}

func liveOf(t *testing.T, s *store.Store, requesterKey string) []liveReview {
	t.Helper()
	rows, err := s.Query(context.Background(), `SELECT author, review_id, text, pay, own, hidden, counted, rated, flaggers,
		created_at, updated_at FROM live_reviews WHERE requester_id = {rid:String} ORDER BY author`, store.Args{"rid": requesterKey})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []liveReview
	for rows.Next() {
		var r liveReview
		var own, hidden, counted, rated uint8
		if err := rows.Scan(&r.Author, &r.ID, &r.Text, &r.Pay, &own, &hidden, &counted, &rated, &r.Flaggers, &r.CreatedAt, &r.UpdatedAt); err != nil {
			t.Fatal(err)
		}
		r.Own, r.Hidden, r.Counted, r.Rated = own == 1, hidden == 1, counted == 1, rated == 1
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func texts(rs []liveReview) string {
	var out string
	for _, r := range rs {
		out += "[" + r.Text + "]"
	}
	return out
}

// report stores n task records of requesterKey sent through token tokenID.
func report(t *testing.T, s *store.Store, tokenID, requesterKey string, n int) {
	t.Helper()
	recs := make([]records.Record, n)
	for i := range recs {
		recs[i] = records.Record{RequesterID: requesterKey, AssignmentID: fmt.Sprintf("3ASSIGN%s%s%06d", tokenID, requesterKey, i),
			Reporter: "rep-" + tokenID, Reward: decimal.RequireFromString("1.00"), Status: records.Approved, Source: "api",
			ReceivedAt: t0, Via: tokenID}
	}
	if err := records.Insert(context.Background(), s, recs); err != nil {
		t.Fatal(err)
	}
}

// Issue 22: the first token to name a worker no longer takes that worker's review. Two tokens
// naming worker X each hold their own review; neither replaces nor withdraws the other's.
func TestTwoTokensNamingOneWorkerHoldTwoReviews(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h := testHasher(t)
	a := reviews.AuthorOf(h, "tokA", "AWORKERX0000001", false)
	b := reviews.AuthorOf(h, "tokB", "AWORKERX0000001", false)
	if a.Reporter != h.Reporter("token", "tokA") || a.Worker != h.Reporter("worker", "AWORKERX0000001") {
		t.Fatalf("author %+v: the review is the token's, the worker only an attribute", a)
	}
	if err := reviews.Save(ctx, s, a, reviews.Input{RequesterID: rid, Pay: r(2), Text: "A's words"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Save(ctx, s, b, reviews.Input{RequesterID: rid, Pay: r(5), Text: "B's words"}, t0.Add(time.Minute)); err != nil {
		t.Fatalf("a second token naming the same worker: %v", err)
	}
	if got := liveOf(t, s, rid); texts(got) != "[A's words][B's words]" {
		t.Fatalf("live reviews %s, want both", texts(got))
	}
	// Each edits and withdraws its own only.
	if err := reviews.Save(ctx, s, a, reviews.Input{RequesterID: rid, Pay: r(3), Text: "A again"}, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Withdraw(ctx, s, b, rid, t0.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Withdraw(ctx, s, b, rid, t0.Add(4*time.Minute)); !errors.Is(err, reviews.ErrNotFound) {
		t.Fatalf("second withdrawal: %v, want ErrNotFound", err)
	}
	got := liveOf(t, s, rid)
	if texts(got) != "[A again]" || !got[0].CreatedAt.Equal(t0) {
		t.Fatalf("after A's edit and B's withdrawal: %+v", got)
	}
	var leaked uint64
	if err := s.QueryRow(ctx, `SELECT count() FROM reviews WHERE reporter = {w:String}`, store.Args{"w": a.Worker}, &leaked); err != nil || leaked != 0 {
		t.Fatalf("%d reviews filed under the worker's pseudonym (%v)", leaked, err)
	}
}

// A token that is not a declared relay is one reporter: one review per requester, whatever
// worker it names. Naming a second worker does not overwrite the first one's review; naming none
// (the token holder) replaces it.
func TestAPlainTokenHoldsOneReview(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h := testHasher(t)
	forX := reviews.AuthorOf(h, "tokA", "AWORKERX0000001", false)
	forY := reviews.AuthorOf(h, "tokA", "AWORKERY0000001", false)
	holder := reviews.AuthorOf(h, "tokA", "", false)
	if err := reviews.Save(ctx, s, forX, reviews.Input{RequesterID: rid, Pay: r(2), Text: "X"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Save(ctx, s, forY, reviews.Input{RequesterID: rid, Pay: r(5), Text: "Y"}, t0.Add(time.Minute)); !errors.Is(err, reviews.ErrOtherWorker) {
		t.Fatalf("the same token for another worker: %v, want ErrOtherWorker", err)
	}
	if err := reviews.Withdraw(ctx, s, forY, rid, t0.Add(time.Minute)); !errors.Is(err, reviews.ErrOtherWorker) {
		t.Fatalf("withdrawal for another worker: %v, want ErrOtherWorker", err)
	}
	if got := liveOf(t, s, rid); texts(got) != "[X]" {
		t.Fatalf("live %s", texts(got))
	}
	if err := reviews.Save(ctx, s, holder, reviews.Input{RequesterID: rid, Pay: r(4), Text: "holder"}, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := liveOf(t, s, rid); texts(got) != "[holder]" {
		t.Fatalf("the holder's edit: live %s, want one review", texts(got))
	}
	if err := reviews.Save(ctx, s, forY, reviews.Input{RequesterID: rid, Pay: r(1), Text: "Y now"}, t0.Add(3*time.Minute)); err != nil {
		t.Fatalf("after the holder's own review, a worker may write it: %v", err)
	}
	if got := liveOf(t, s, rid); texts(got) != "[Y now]" {
		t.Fatalf("live %s", texts(got))
	}
}

// A relay the operator declared holds one review per worker it names, each under a pseudonym of
// the token and the worker, so two relays naming one worker hold two.
func TestADeclaredRelayHoldsOneReviewPerWorker(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h := testHasher(t)
	_, relay, err := ingest.NewTokens(s).CreateRelay(ctx, "forum relay", "")
	if err != nil {
		t.Fatal(err)
	}
	_, relay2, err := ingest.NewTokens(s).CreateRelay(ctx, "another relay", "")
	if err != nil {
		t.Fatal(err)
	}
	x := reviews.AuthorOf(h, relay.ID, "AWORKERX0000001", relay.Relay)
	y := reviews.AuthorOf(h, relay.ID, "AWORKERY0000001", relay.Relay)
	x2 := reviews.AuthorOf(h, relay2.ID, "AWORKERX0000001", relay2.Relay)
	if x.Reporter == y.Reporter || x.Reporter == x2.Reporter || x.Reporter == x.Worker {
		t.Fatal("a relay's reviews must be filed per token and worker")
	}
	for i, a := range []reviews.Author{x, y, x2} {
		if err := reviews.Save(ctx, s, a, reviews.Input{RequesterID: rid, Pay: r(3), Text: fmt.Sprint(i)}, t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if got := liveOf(t, s, rid); len(got) != 3 {
		t.Fatalf("%d live reviews, want 3: %s", len(got), texts(got))
	}
	if err := reviews.Withdraw(ctx, s, x, rid, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := liveOf(t, s, rid); texts(got) != "[1][2]" && texts(got) != "[2][1]" {
		t.Fatalf("after X's withdrawal through the relay: %s", texts(got))
	}
}

// A store from before migration 0012: reviews a token wrote for two workers (filed under their
// pseudonyms), one it wrote naming none, and one from before tokens were recorded. After the
// migration the token's rows are its one review (the newest), the old one stays its author's (no
// plain token naming its worker can change it; a declared relay can), and the token's next edit
// folds its earlier rows in; its withdrawal ends them all.
func TestReviewsWrittenBeforeTheMigration(t *testing.T) {
	s := storetest.NewUnmigrated(t)
	ctx := context.Background()
	h := testHasher(t)
	if _, err := s.Migrate(ctx, store.MigrateOptions{UpTo: 11}); err != nil {
		t.Fatal(err)
	}
	old := func(reporter, via, text string, at time.Time) {
		t.Helper()
		err := s.Exec(ctx, `INSERT INTO reviews (requester_id, reporter, pay, fairness, communication, promptness, text,
			created_at, updated_at, deleted, via) VALUES ({rid:String}, {rep:String}, 3, 0, 0, 0, {text:String},
			{at:DateTime64(3, 'UTC')}, {at:DateTime64(3, 'UTC')}, 0, {via:String})`,
			store.Args{"rid": rid, "rep": reporter, "via": via, "text": text, "at": at})
		if err != nil {
			t.Fatal(err)
		}
	}
	old(h.Reporter("worker", "AWORKERX0000001"), "tokA", "for X", t0)
	old(h.Reporter("worker", "AWORKERY0000001"), "tokA", "for Y", t0.Add(time.Minute))
	old(h.Reporter("token", "tokB"), "tokB", "B itself", t0)
	old(h.Reporter("worker", "AWORKERZ0000001"), "", "before tokens", t0)
	if _, err := s.Migrate(ctx, store.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := liveOf(t, s, rid); len(got) != 3 || texts(got) != "[before tokens][for Y][B itself]" {
		t.Fatalf("after the migration: %s, want tokA's newest, tokB's and the untokened one", texts(got))
	}
	// tokA writes for X: X's and Y's old rows fold into its one review, which keeps the first
	// creation time.
	a := reviews.AuthorOf(h, "tokA", "", false)
	if err := reviews.Save(ctx, s, a, reviews.Input{RequesterID: rid, Pay: r(4), Text: "A now"}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := liveOf(t, s, rid)
	if texts(got) != "[before tokens][A now][B itself]" || !got[1].CreatedAt.Equal(t0) {
		t.Fatalf("after tokA's edit: %+v", got)
	}
	var live uint64
	if err := s.QueryRow(ctx, `SELECT count() FROM reviews FINAL WHERE via = 'tokA' AND deleted = 0`, nil, &live); err != nil || live != 1 {
		t.Fatalf("tokA has %d live rows (%v), want 1", live, err)
	}
	// The untokened review of worker Z: a plain token naming Z cannot withdraw it (a worker ID is
	// no credential: a requester knows its workers'); a declared relay naming Z may.
	z := reviews.AuthorOf(h, "tokC", "AWORKERZ0000001", false)
	if err := reviews.Withdraw(ctx, s, z, rid, t0.Add(2*time.Hour)); err == nil {
		t.Fatal("a token naming worker Z withdrew Z's review from before tokens")
	}
	if err := reviews.Withdraw(ctx, s, a, rid, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := liveOf(t, s, rid); texts(got) != "[before tokens][B itself]" {
		t.Fatalf("after the withdrawals: %s", texts(got))
	}
	relay := reviews.AuthorOf(h, "tokR", "AWORKERZ0000001", true)
	if err := reviews.Withdraw(ctx, s, relay, rid, t0.Add(4*time.Hour)); err != nil {
		t.Fatalf("a declared relay withdrawing its worker's review from before tokens: %v", err)
	}
	if got := liveOf(t, s, rid); texts(got) != "[B itself]" {
		t.Fatalf("after the relay's withdrawal: %s", texts(got))
	}
}

// The self-review rule: a review through a token whose task reports are (at least OwnShare) for
// the requester it reviews, giving only ratings of OwnMinRating or more, is possibly the
// requester's own and does not count; at the thresholds' other side it does.
func TestPossiblyTheRequestersOwn(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h := testHasher(t)
	const other = "AOTHERREQ000001"
	// tokOwn: 9 of 10 reports for rid (exactly OwnShare); tokMixed: 8 of 10; tokNone: no reports.
	report(t, s, "tokOwn", rid, 9)
	report(t, s, "tokOwn", other, 1)
	report(t, s, "tokMixed", rid, 8)
	report(t, s, "tokMixed", other, 2)
	report(t, s, "tokLow", rid, 10)
	five := reviews.Input{RequesterID: rid, Pay: r(5), Fairness: r(5), Communication: r(5), Promptness: r(5), Text: "own"}
	for _, c := range []struct {
		token string
		in    reviews.Input
	}{
		{"tokOwn", five},
		{"tokMixed", reviews.Input{RequesterID: rid, Pay: r(5), Text: "mixed"}},
		{"tokNone", reviews.Input{RequesterID: rid, Pay: r(5), Text: "none"}},
		{"tokLow", reviews.Input{RequesterID: rid, Pay: r(reviews.OwnMinRating - 1), Fairness: r(5), Text: "low"}},
	} {
		if err := reviews.Save(ctx, s, reviews.AuthorOf(h, c.token, "", false), c.in, t0); err != nil {
			t.Fatal(err)
		}
	}
	own := map[string]bool{}
	for _, l := range liveOf(t, s, rid) {
		own[l.Text] = l.Own
		if l.Counted == l.Own {
			t.Errorf("%s: own %v, counted %v", l.Text, l.Own, l.Counted)
		}
	}
	if !own["own"] || own["mixed"] || own["none"] || own["low"] || len(own) != 4 {
		t.Fatalf("own: %v; want only the token whose reports are 90 %% for the requester, rating it 5", own)
	}
	// The token reports other requesters' tasks: its share falls under 90 % and its review counts.
	report(t, s, "tokOwn", other, 5)
	for _, l := range liveOf(t, s, rid) {
		if l.Text == "own" && l.Own {
			t.Fatal("9 of 15 reports for the requester still read as its own")
		}
	}
}

// Readers' flags: a review is hidden from HideAfter distinct flaggers, not before; the same
// flagger twice counts once; a moderator's restore shows it again, and later flags count anew.
func TestFlagsHideAReview(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h := testHasher(t)
	if err := reviews.Save(ctx, s, reviews.AuthorOf(h, "tokA", "", false), reviews.Input{RequesterID: rid, Pay: r(1), Text: "flag me"}, t0); err != nil {
		t.Fatal(err)
	}
	l := liveOf(t, s, rid)
	if len(l) != 1 || len(l[0].ID) != 24 {
		t.Fatalf("live %+v", l)
	}
	id := l[0].ID
	if id == h.Reporter("token", "tokA")[:24] || l[0].Author == id {
		t.Fatal("the public id gives the pseudonym away")
	}
	flag := func(flagger string, at time.Time) bool {
		t.Helper()
		hidden, err := reviews.Flag(ctx, s, rid, id, flagger, "spam", at)
		if err != nil {
			t.Fatal(err)
		}
		return hidden
	}
	if flag("f1", t0) || flag("f1", t0.Add(time.Second)) || flag("f2", t0.Add(2*time.Second)) || flag("f2", t0.Add(3*time.Second)) {
		t.Fatal("hidden by two flaggers")
	}
	if l := liveOf(t, s, rid); l[0].Flaggers != 2 || l[0].Hidden || !l[0].Counted {
		t.Fatalf("two flaggers, four flags: %+v", l[0])
	}
	if !flag("f3", t0.Add(4*time.Second)) {
		t.Fatalf("not hidden by %d distinct flaggers", reviews.HideAfter)
	}
	if l := liveOf(t, s, rid); l[0].Flaggers != reviews.HideAfter || !l[0].Hidden || l[0].Counted {
		t.Fatalf("after the third flagger: %+v", l[0])
	}
	// Editing does not shake the flags off: they are on the author's review, not one version.
	if err := reviews.Save(ctx, s, reviews.AuthorOf(h, "tokA", "", false), reviews.Input{RequesterID: rid, Pay: r(1), Text: "edited"}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if l := liveOf(t, s, rid); l[0].ID != id || !l[0].Hidden {
		t.Fatalf("after an edit: %+v", l[0])
	}
	list, err := reviews.Moderation(ctx, s, reviews.ListHidden)
	if err != nil || len(list) != 1 || list[0].ReviewID != id || list[0].Text != "edited" || list[0].Reasons != "spam" || list[0].Flaggers != 3 {
		t.Fatalf("moderators' list %+v %v", list, err)
	}
	if err := reviews.Restore(ctx, s, rid, id, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if l := liveOf(t, s, rid); l[0].Hidden || l[0].Flaggers != 0 {
		t.Fatalf("after a restore: %+v", l[0])
	}
	if list, _ := reviews.Moderation(ctx, s, reviews.ListHidden); len(list) != 0 {
		t.Fatalf("hidden after a restore: %+v", list)
	}
	if list, _ := reviews.Moderation(ctx, s, reviews.ListFlagged); len(list) != 1 {
		t.Fatalf("flagged list after a restore: %+v", list)
	}
	if flag("f1", t0.Add(2*time.Hour)) {
		t.Fatal("hidden by one flag after the restore")
	}
	if _, err := reviews.Flag(ctx, s, rid, "000000000000000000000000", "f9", "spam", t0); !errors.Is(err, reviews.ErrNotFound) {
		t.Fatalf("flagging no review: %v", err)
	}
	if _, err := reviews.Flag(ctx, s, rid, id, "f9", "boring", t0); err == nil {
		t.Fatal("an unknown reason was taken")
	}
}

// One flagger sends at most FlagsPerHour flags an hour.
func TestFlagsAreRateLimited(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	h := testHasher(t)
	var ids []string
	for i := 0; i <= reviews.FlagsPerHour; i++ {
		if err := reviews.Save(ctx, s, reviews.AuthorOf(h, fmt.Sprint("tok", i), "", false), reviews.Input{RequesterID: rid, Text: fmt.Sprint(i)}, t0); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range liveOf(t, s, rid) {
		ids = append(ids, l.ID)
	}
	for i, id := range ids {
		_, err := reviews.Flag(ctx, s, rid, id, "busy", "other", t0.Add(time.Duration(i)*time.Minute))
		if i < reviews.FlagsPerHour && err != nil {
			t.Fatalf("flag %d: %v", i+1, err)
		}
		if i == reviews.FlagsPerHour && !errors.Is(err, reviews.ErrTooManyFlags) {
			t.Fatalf("flag %d in an hour: %v, want ErrTooManyFlags", i+1, err)
		}
	}
	if _, err := reviews.Flag(ctx, s, rid, ids[len(ids)-1], "busy", "other", t0.Add(61*time.Minute)); err != nil {
		t.Fatalf("an hour after the first flag: %v", err)
	}
}

// Anonymous flaggers are counted by network: an IPv4 address, an IPv6 /64.
func TestAddressFlagger(t *testing.T) {
	h := testHasher(t)
	f := func(s string) string { return reviews.AddressFlagger(h, netip.MustParseAddr(s)) }
	if f("2001:db8:1:2::1") != f("2001:db8:1:2:ffff::9") {
		t.Error("two addresses of one IPv6 /64 count twice")
	}
	if f("2001:db8:1:2::1") == f("2001:db8:1:3::1") {
		t.Error("two IPv6 /64s count once")
	}
	if f("192.0.2.1") == f("192.0.2.2") || f("192.0.2.1") != f("::ffff:192.0.2.1") {
		t.Error("IPv4 addresses are counted one by one, mapped or not")
	}
	if f("192.0.2.1") == reviews.TokenFlagger(h, "192.0.2.1") || len(f("192.0.2.1")) != 64 {
		t.Error("flaggers of different kinds must not meet")
	}
}
