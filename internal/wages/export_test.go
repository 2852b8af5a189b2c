package wages

// WithoutRunTables makes w compute as it does on a ClickHouse server: no run tables, every
// scope reading the records itself.
func WithoutRunTables(w *Wages) { w.noRunTables = true }
