package reports

import (
	"path/filepath"

	"github.com/hitwage/hitwage/internal/platform"
)

// Dir is the folder of platform p's reports under root, the reports folder: root itself for MTurk,
// whose reports were written there before there were other platforms (and keep their paths), else
// root/<platform>, e.g. DATA/reports/prolific.
func Dir(root string, p platform.ID) string {
	if p == platform.MTurk || p == "" {
		return root
	}
	return filepath.Join(root, string(p))
}

// Path is the site path platform p's reports live under: /reports for MTurk (its permanent URLs
// predate the other platforms), else /reports/<platform>, e.g. /reports/prolific/2026-W49.
func Path(p platform.ID) string {
	if p == platform.MTurk || p == "" {
		return "/reports"
	}
	return "/reports/" + string(p)
}

// unit is what a report's amounts are in: the platform's market currency, its sign, and the
// floor and target the shares under them are measured against.
type unit struct {
	code, sign string
	floor      platform.Floor
}

// unit returns the currency of b's reports: its platform's market currency (MTurk: US dollars,
// Prolific: pounds), with the floor and target the wage figures use for it.
func (b *Builder) unit() unit {
	pl := b.plat()
	return unit{code: pl.Currency, sign: platform.Symbol(pl.Currency), floor: b.Wages.Floor(pl.ID, pl.Currency)}
}

// perHour is a column heading's unit: "$/h", "£/h".
func (m unit) perHour() string { return m.sign + "/h" }

// amount writes an amount of the currency for prose: "$7.25", "£6.00".
func (m unit) amount(v float64) string { return m.sign + num(v) }

// plat is the platform the report covers; MTurk unless set (an unknown id is MTurk too: Builders
// are made by the binaries from the registry).
func (b *Builder) plat() *platform.Platform {
	if p := platform.Get(b.Platform); p != nil {
		return p
	}
	return platform.Get(platform.MTurk)
}

// ForPlatform returns a copy of b that reports on platform p.
func (b *Builder) ForPlatform(p platform.ID) *Builder {
	c := *b
	c.Platform = p
	return &c
}

// crawled reports whether the platform's listings are crawled, so the report can show its supply
// (market.Hourly reads MTurk's HIT group crawls, the only listings hitwage crawls).
func (b *Builder) crawled() bool { return b.plat().ID == platform.MTurk }
