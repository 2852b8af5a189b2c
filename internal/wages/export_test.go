package wages

import "time"

// WithoutRunTables makes w compute as it does on a ClickHouse server: no run tables, every
// scope reading the records itself.
func WithoutRunTables(w *Wages) { w.noRunTables = true }

// CacheCopies is how many runs of w read their records from its records cache.
func CacheCopies(w *Wages) int64 { return w.cacheCopies.Load() }

// ProcessStart is when this process began, as the run tables' leftover test sees it.
func ProcessStart() time.Time { return processStart }
