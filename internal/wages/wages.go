// Package wages computes effective hourly wages from worker-reported task records, after
// Hara et al. (CHI 2018): nominal and effective hourly wages over merged (non-overlapping) time,
// per-task quantiles, shares of work below wage floors, and the Fair Work bonus owed (Whiting et
// al. 2019). All figures are SQL run by ClickHouse (the .sql files beside this code). Requester,
// HIT group and market figures are precomputed into the wage_figures table by Recompute (all of it)
// and Update (only requesters that received records, a large one once they reach Config.StaleShare
// of its records); lookups read that table.
package wages

import (
	"errors"
	"sync/atomic"

	"github.com/hitwage/hitwage/internal/store"
)

// MinimumWage is the US federal minimum wage in dollars per hour, the fixed lower floor.
const MinimumWage = 7.25

// ErrNotFound reports a requester, HIT group or reporter without (unflagged) records.
var ErrNotFound = errors.New("wages: not found")

// Config tunes the wage figures.
type Config struct {
	Target     float64 // target hourly wage in dollars; default 15
	MaxOverlap float64 // a reporter's task time over merged time above this is impossible overlap; default 30, at least 1
	// StaleShare is how far a requester's figures may fall behind between full recomputes: Update
	// recomputes a requester once the records it received since its figures reach this share of
	// the records they count (default 0.01; negative: every requester that received records). The
	// periodic Recompute includes every record whatever the share.
	StaleShare float64
	// NoRecordCache keeps no copy of the records between full recomputes (recordCache): an update
	// then reads its requesters' records from the store, slower, without holding their memory.
	NoRecordCache bool
}

func (c Config) withDefaults() Config {
	if c.Target <= 0 {
		c.Target = 15
	}
	if c.MaxOverlap <= 0 {
		c.MaxOverlap = 30
	}
	switch {
	case c.StaleShare == 0:
		c.StaleShare = 0.01
	case c.StaleShare < 0:
		c.StaleShare = 0
	}
	// Task time is never below merged time: a ratio under 1 would leave every reporter out.
	c.MaxOverlap = max(c.MaxOverlap, 1)
	return c
}

// Wages answers wage questions from one store. It is safe for concurrent use.
type Wages struct {
	s           *store.Store
	cfg         Config
	noRunTables bool // read the records in every query, as in server mode (see run); set by tests
	cache       recordCache
	cacheCopies atomic.Int64 // runs whose records came from the cache (read by tests)
}

// New returns a Wages reading and writing s.
func New(s *store.Store, cfg Config) *Wages {
	return &Wages{s: s, cfg: cfg.withDefaults()}
}

// Target is the configured target hourly wage in dollars.
func (w *Wages) Target() float64 { return w.cfg.Target }
