package wages

// WithoutRunTables makes w compute as it does on a ClickHouse server: no run tables, every
// scope reading the records itself.
func WithoutRunTables(w *Wages) { w.noRunTables = true }

// CacheCopies is how many runs of w read their records from its records cache.
func CacheCopies(w *Wages) int64 { return w.cacheCopies.Load() }

// ProcessToken is what this process's run table names carry.
func ProcessToken() string { return processToken }

// BeforeKeep sets a function to run as a recompute's copy is about to be kept as the records cache.
func BeforeKeep(f func(*Wages)) { beforeKeep = f }
