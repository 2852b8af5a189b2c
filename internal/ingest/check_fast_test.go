package ingest

import (
	"regexp"
	"testing"

	"github.com/shopspring/decimal"
)

var (
	personIDRe = regexp.MustCompile(`^A[A-Z0-9]{12,20}$`)
	taskIDRe   = regexp.MustCompile(`^[A-Z0-9]{30}$`)
	plainRe    = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9]{1,2})?$`)
)

// FuzzIDChecks checks the hand-written id checks against the documented patterns.
func FuzzIDChecks(f *testing.F) {
	for _, s := range []string{"A3HWTESTREQ0001", "A1234567890AB", "A123456789012345678901", "a3HWTESTREQ0001", "A3HWTESTREQ000\n",
		"3HWASG000000000000000000000001", "3HWASG00000000000000000000000a", "3HWASG0000000000000000000000001", "", "A", "É3HWTESTREQ0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := personID(s), personIDRe.MatchString(s); got != want {
			t.Fatalf("personID(%q) = %v, pattern says %v", s, got, want)
		}
		if got, want := taskID(s), taskIDRe.MatchString(s); got != want {
			t.Fatalf("taskID(%q) = %v, pattern says %v", s, got, want)
		}
	})
}

// FuzzPlainCents checks the fast amount parser against decimal: whenever it accepts an
// amount, decimal reads the same value, and it accepts the usual forms.
func FuzzPlainCents(f *testing.F) {
	for _, s := range []string{"0.75", "12.5", "3", "10000", "10000.01", "99999.99", "1.234", ".5", "5.", "+1", "-1", "1e2", "0x10", "007.10", "00000000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := plainCents(s)
		d, err := decimal.NewFromString(s)
		if !ok {
			if err == nil && !d.GreaterThan(maxDollars) && plainRe.MatchString(s) {
				t.Fatalf("plainCents refused the plain amount %q", s)
			}
			return
		}
		if err != nil || !decimal.New(c, -2).Equal(d) || d.GreaterThan(maxDollars) {
			t.Fatalf("plainCents(%q) = %d cents, decimal says %v (%v)", s, c, d, err)
		}
	})
}
