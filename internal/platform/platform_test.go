package platform

import (
	"strings"
	"testing"
)

func TestIDShapes(t *testing.T) {
	m, p := Get(MTurk), Get(Prolific)
	for _, c := range []struct {
		p    *Platform
		id   string
		want bool
	}{
		{m, "A2FIXTUREREQ01", true},
		{m, "a2fixturereq01", false},
		{m, "5f3c9a1b2d4e6f8091a2b3c4", false},
		{p, "5f3c9a1b2d4e6f8091a2b3c4", true},
		{p, "5F3C9A1B2D4E6F8091A2B3C4", false}, // upper case is not Prolific's shape
		{p, "5f3c9a1b2d4e6f8091a2b3c", false},  // 23 characters
		{p, "A2FIXTUREREQ01", false},
	} {
		if got := c.p.ValidRequester(c.id); got != c.want {
			t.Errorf("%s.ValidRequester(%q) = %v, want %v", c.p.ID, c.id, got, c.want)
		}
	}
}

func TestKeysAreScoped(t *testing.T) {
	id := "5f3c9a1b2d4e6f8091a2b3c4"
	if k := Key(MTurk, "A2FIXTUREREQ01"); k != "A2FIXTUREREQ01" {
		t.Errorf("an MTurk key must stay as stored before platforms: %q", k)
	}
	k := Key(Prolific, id)
	if k == id {
		t.Fatal("a Prolific key must say its platform")
	}
	if p, got := Split(k); p != Prolific || got != id {
		t.Errorf("Split(%q) = %q, %q", k, p, got)
	}
	if p, got := Split("A2FIXTUREREQ01"); p != MTurk || got != "A2FIXTUREREQ01" {
		t.Errorf("Split of an MTurk key = %q, %q", p, got)
	}
}

func TestStatuses(t *testing.T) {
	p := Get(Prolific)
	for in, want := range map[string]string{
		"SCREENED OUT": "screened_out", "TIMED-OUT": "timed_out", "AWAITING REVIEW": "pending",
		"APPROVED": "approved", "RETURNED": "returned", "REJECTED": "rejected", "DANCING": "",
	} {
		if got := p.Status(in); got != want {
			t.Errorf("Prolific status %q = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Paid": "approved", "Approved - Pending Payment": "approved", "Pending Approval": "pending"} {
		if got := Get(MTurk).Status(in); got != want {
			t.Errorf("MTurk status %q = %q, want %q", in, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	if p, err := Parse(""); err != nil || p.ID != MTurk {
		t.Errorf("Parse(\"\") = %v, %v; want the default, MTurk", p, err)
	}
	if _, err := Parse("toloka"); err == nil || !strings.Contains(err.Error(), "mturk, prolific") {
		t.Errorf("Parse(toloka) error = %v, want one listing the platforms", err)
	}
}

func TestRates(t *testing.T) {
	r := DefaultRates()
	if r.Version == "" {
		t.Fatal("the shipped table has no version")
	}
	if rate, ok := r.Rate("GBP", "USD"); !ok || rate != r.USD["GBP"] {
		t.Errorf("GBP->USD = %v, %v", rate, ok)
	}
	if rate, _ := r.Rate("USD", "GBP"); rate*r.USD["GBP"] < 0.999999 || rate*r.USD["GBP"] > 1.000001 {
		t.Errorf("USD->GBP = %v is not the inverse", rate)
	}
	for _, c := range []struct{ in, err string }{
		{"version,currency,usd_per_unit\nv1,USD,1\n", "no rate for GBP"},
		{"version,currency,usd_per_unit\nv1,USD,1\nv1,GBP,-2\n", "x.csv:3: usd_per_unit"},
		{"version,currency,usd_per_unit\nv1,USD,1\nv2,GBP,1.2\n", "x.csv:3: version"},
		{"version,currency,usd_per_unit\nv1,usd,1\n", "x.csv:2: currency"},
		{"cur,rate,x\n", "x.csv:1: header"},
		{"", "empty"},
	} {
		_, err := ParseRates(strings.NewReader(c.in), "x.csv")
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("ParseRates(%q) error = %v, want %q", c.in, err, c.err)
		}
	}
}
