package records

import "github.com/hitwage/hitwage/internal/platform"

// The shapes of MTurk ids, as error messages describe them (the registry's, platform.Get(MTurk)).
var (
	PersonIDShape = mturk.RequesterShape
	TaskIDShape   = mturk.TaskShape
)

var mturk = platform.Get(platform.MTurk)

// IsPersonID reports whether s looks like an MTurk worker or requester id: A followed by
// 12-20 upper-case letters or digits. Other platforms' ids: the platform registry.
func IsPersonID(s string) bool { return mturk.ValidRequester(s) }

// IsTaskID reports whether s looks like an MTurk HIT, HIT group or assignment id: 30
// upper-case letters or digits.
func IsTaskID(s string) bool { return mturk.ValidTask(s) }
