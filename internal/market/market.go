// Package market reads the MTurk market's dynamics from listing snapshots: each HIT group's
// life (first and last seen, peak and consumed HITs), requesters' posting volume, the
// market's groups and reward available per hour, and a labelled wage estimate for groups
// that no worker has reported yet. The figures are SQL views (migration 0004_market.sql)
// and embedded queries; this package only runs them.
package market

import "errors"

// ErrNotFound reports a HIT group that no snapshot mentions.
var ErrNotFound = errors.New("market: HIT group not found")
