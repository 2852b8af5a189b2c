package records

// The shapes of MTurk ids, as error messages describe them.
const (
	PersonIDShape = "A followed by 12-20 upper-case letters or digits"
	TaskIDShape   = "30 upper-case letters or digits"
)

// IsPersonID reports whether s looks like an MTurk worker or requester id: A followed by
// 12-20 upper-case letters or digits (^A[A-Z0-9]{12,20}$). Hand-written: the regexp took ~5 %
// of an import's CPU.
func IsPersonID(s string) bool {
	return len(s) >= 13 && len(s) <= 21 && s[0] == 'A' && upperAlnum(s[1:])
}

// IsTaskID reports whether s looks like an MTurk HIT, HIT group or assignment id: 30
// upper-case letters or digits (^[A-Z0-9]{30}$).
func IsTaskID(s string) bool { return len(s) == 30 && upperAlnum(s) }

func upperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
