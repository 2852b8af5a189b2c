package records

import (
	"regexp"
	"testing"
)

var (
	personIDRe = regexp.MustCompile(`^A[A-Z0-9]{12,20}$`)
	taskIDRe   = regexp.MustCompile(`^[A-Z0-9]{30}$`)
)

// FuzzIDChecks checks the hand-written id checks against the documented patterns.
func FuzzIDChecks(f *testing.F) {
	for _, s := range []string{"A3HWTESTREQ0001", "A1234567890AB", "A123456789012345678901", "a3HWTESTREQ0001", "A3HWTESTREQ000\n",
		"3HWASG000000000000000000000001", "3HWASG00000000000000000000000a", "3HWASG0000000000000000000000001", "", "A", "É3HWTESTREQ0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsPersonID(s), personIDRe.MatchString(s); got != want {
			t.Fatalf("IsPersonID(%q) = %v, pattern says %v", s, got, want)
		}
		if got, want := IsTaskID(s), taskIDRe.MatchString(s); got != want {
			t.Fatalf("IsTaskID(%q) = %v, pattern says %v", s, got, want)
		}
	})
}
