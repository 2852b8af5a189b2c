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

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
)

// MinimumWage is the US federal minimum wage in dollars per hour, MTurk's floor (the other
// platforms' floors are in platform.Floors).
const MinimumWage = 7.25

// ReporterCap is the most of a key's time one reporter's records may weigh in its pay score
// (Figures.PayScore): a flood of records from one reporter moves the score by at most 100 x
// ReporterCap points (docs/methodology.md, "Flooding").
const ReporterCap = 0.10

// ErrNotFound reports a requester, HIT group or reporter without (unflagged) records.
var ErrNotFound = errors.New("wages: not found")

// Config tunes the wage figures.
type Config struct {
	Target     float64         // MTurk's target hourly wage in dollars; default 15 (other platforms: platform.Floors)
	Rates      *platform.Rates // the currency table amounts are converted through; default platform.DefaultRates()
	MaxOverlap float64         // a reporter's task time over merged time above this is impossible overlap; default 30, at least 1
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
		c.Target = platform.Get(platform.MTurk).Floors["USD"].Target
	}
	if c.Rates == nil {
		c.Rates = platform.DefaultRates()
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
	floors      store.Args   // the floors and the currency table every query binds (floorArgs), made once
	gate        *writeGate   // the runs writing figures now (WritesQuiet, WroteSince)
}

// New returns a Wages reading and writing s.
func New(s *store.Store, cfg Config) *Wages {
	w := &Wages{s: s, cfg: cfg.withDefaults(), gate: newWriteGate()}
	w.floors = w.makeFloorArgs()
	return w
}

// Target is the configured target hourly wage of MTurk, in dollars.
func (w *Wages) Target() float64 { return w.cfg.Target }

// Floor returns the floor and target a platform's figures in currency are judged by: the
// platform's (platform.Floors), with MTurk's target as configured.
func (w *Wages) Floor(p platform.ID, currency string) platform.Floor {
	pl := platform.Get(p)
	if pl == nil {
		pl = platform.Get(platform.Default)
	}
	f := pl.Floor(currency)
	if pl.ID == platform.MTurk {
		f.Target = w.cfg.Target
	}
	return f
}

// Rates is the currency table the figures convert amounts through.
func (w *Wages) Rates() *platform.Rates { return w.cfg.Rates }

// floorArgs binds the floors of every platform and currency (figures.sql's "floors") and the
// currency table (source.sql's fx) into a.
func (w *Wages) floorArgs(a store.Args) {
	for k, v := range w.floors {
		a[k] = v
	}
}

func (w *Wages) makeFloorArgs() store.Args {
	a := store.Args{}
	var keys []string
	var mins, targets []float64
	for _, p := range platform.All() {
		for _, c := range p.Currencies {
			f := w.Floor(p.ID, c)
			keys = append(keys, string(p.ID)+"/"+c)
			mins, targets = append(mins, f.Minimum), append(targets, f.Target)
		}
	}
	a["floor_keys"], a["floor_min"], a["floor_target"] = keys, mins, targets
	a["minimum"], a["target"] = MinimumWage, w.cfg.Target // the floors of a platform and currency not listed
	a["fx_cur"], a["fx_usd"] = w.cfg.Rates.Arrays()
	return a
}
