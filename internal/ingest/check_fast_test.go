package ingest

import (
	"regexp"
	"testing"

	"github.com/shopspring/decimal"
)

var (
	plainRe = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9]{1,2})?$`)
)

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
			if err == nil && !d.GreaterThan(maxAmount) && plainRe.MatchString(s) {
				t.Fatalf("plainCents refused the plain amount %q", s)
			}
			return
		}
		if err != nil || !decimal.New(c, -2).Equal(d) || d.GreaterThan(maxAmount) {
			t.Fatalf("plainCents(%q) = %d cents, decimal says %v (%v)", s, c, d, err)
		}
	})
}
