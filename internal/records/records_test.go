package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
)

func TestHasherIsKeyedAndHidesTheID(t *testing.T) {
	a, _ := records.NewHasher([]byte("first-secret-key-0123456789"))
	b, _ := records.NewHasher([]byte("other-secret-key-0123456789"))
	const id = "A1B2C3D4E5F6G7"
	pa, pb := a.Reporter("worker", id), b.Reporter("worker", id)
	if pa == pb {
		t.Fatal("two keys gave the same pseudonym: the hash is not keyed")
	}
	if pa != a.Reporter("worker", id) {
		t.Fatal("the pseudonym must be stable for one key")
	}
	if a.Reporter("token", id) == pa {
		t.Fatal("a token and a worker with the same text must not collide")
	}
	if strings.Contains(pa, id) || strings.Contains(strings.ToUpper(pa), id) || len(pa) != 64 {
		t.Fatalf("pseudonym %q", pa)
	}
	if _, err := records.NewHasher([]byte("short")); err == nil {
		t.Fatal("a short key must be refused")
	}
}

func TestKeyIdentifiesOneTask(t *testing.T) {
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	later := at.Add(time.Minute)
	r := records.Record{Reporter: "r1", HitSetID: "G", AcceptedAt: &at}
	same := r
	same.Status = records.Approved // a later report of the same task
	other := r
	other.AcceptedAt = &later
	if r.Key() != same.Key() {
		t.Fatal("the same task reported twice must have one key")
	}
	if r.Key() == other.Key() {
		t.Fatal("two tasks accepted at different times must have different keys")
	}
	withAssignment := r
	withAssignment.AssignmentID = "3ASSIGNMENT00000000000000000001"
	if withAssignment.Key() != withAssignment.AssignmentID {
		t.Fatal("the assignment id is the key when known")
	}
	for _, s := range records.Statuses {
		if !s.Valid() {
			t.Fatalf("%s invalid", s)
		}
	}
	if records.Status("paid").Valid() {
		t.Fatal("unknown status accepted")
	}
}

func TestRowStoresThePlatformsCurrencyWhenNoneIsNamed(t *testing.T) {
	for _, c := range []struct{ req, cur, want string }{
		{"A3HWTESTREQ0001", "", "USD"},
		{"prolific:5f3c0a1b2c3d4e5f60718293", "", "GBP"},
		{"prolific:5f3c0a1b2c3d4e5f60718293", "USD", "USD"},
	} {
		r := records.Record{RequesterID: c.req, Currency: c.cur}
		row := r.Row()
		if len(row) != len(records.Columns) {
			t.Fatalf("Row has %d values for %d columns", len(row), len(records.Columns))
		}
		for i, col := range records.Columns {
			if col == "currency" && row[i] != c.want {
				t.Errorf("%s %q: currency %v, want %s", c.req, c.cur, row[i], c.want)
			}
		}
	}
	if !records.ScreenedOut.Valid() || !records.TimedOut.Valid() {
		t.Fatal("screened_out and timed_out must be valid statuses")
	}
}
