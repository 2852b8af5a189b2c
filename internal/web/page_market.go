package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/chart"
	"github.com/hitwage/hitwage/internal/market"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/wages"
)

type marketPage struct {
	Platform *platform.Platform
	Listings bool            // the platform's listings are collected (MTurk's were, until it closed)
	Others   []wages.Figures // the platform's markets in its other currencies
	HasWage  bool
	Wage     wageJSON
	Fig      wages.Figures
	Top      []market.RequesterVolume
	Charts   []chart.Chart
}

func (a *App) marketPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	pl, err := platformOf(c)
	if err != nil {
		return err
	}
	p := marketPage{Platform: pl, Listings: pl.ID == platform.MTurk}
	if f, ok := a.market(pl.ID); ok {
		p.HasWage, p.Wage, p.Fig = true, wageOf(f), f
	}
	if fs, err := a.deps.Wages.Markets(ctx, pl.ID); err == nil && len(fs) > 1 {
		p.Others = fs[1:]
	}
	var hours []market.Hour
	if p.Listings {
		if hours, err = market.LastHours(ctx, a.deps.Store, a.now(), 14*24*time.Hour); err != nil {
			return err
		}
	}
	if len(hours) > 0 {
		groups := make([]chart.Point, len(hours))
		reward := make([]chart.Point, len(hours))
		for i, h := range hours {
			x := h.Hour.Format("01-02 15h")
			r, _ := h.RewardAvailable.Float64()
			groups[i], reward[i] = chart.Point{X: x, Y: float64(h.Groups)}, chart.Point{X: x, Y: r}
		}
		if ch, err := chart.Lines("supply-groups", "HIT groups listed, by hour (UTC)", "hour", "groups", []chart.Series{{Name: "groups", Points: groups}}, f0); err == nil {
			p.Charts = append(p.Charts, ch)
		}
		if ch, err := chart.Lines("supply-reward", "Reward available, by hour (UTC)", "hour", "dollars", []chart.Series{{Name: "reward available", Points: reward}}, dollars); err == nil {
			p.Charts = append(p.Charts, ch)
		}
	}
	wageCharts, err := a.marketWageCharts(ctx, pl)
	if err != nil {
		return err
	}
	p.Charts = append(p.Charts, wageCharts...)
	if p.Listings {
		if p.Top, err = market.TopRequesters(ctx, a.deps.Store, 20); err != nil {
			return err
		}
	}
	return a.render(c, "market", pl.Short+" market", p)
}

// marketWageCharts are the market page's wage charts (weekly trend, by hour, by weekday). They
// come from the figures stored at the last recompute, so they are kept per directory snapshot
// (a.marketCharts), as the requester pages' parts are; the listing charts stay live.
func (a *App) marketWageCharts(ctx context.Context, pl *platform.Platform) ([]chart.Chart, error) {
	read := func() ([]chart.Chart, error) { return a.readMarketWageCharts(ctx, pl) }
	if a.deps.Directory == nil { // without a directory there is no snapshot to tie them to
		return read()
	}
	return a.marketCharts.load(a.deps.Directory.RefreshedAt(), string(pl.ID), read)
}

// readMarketWageCharts reads and draws the market page's wage charts.
func (a *App) readMarketWageCharts(ctx context.Context, pl *platform.Platform) ([]chart.Chart, error) {
	var chs []chart.Chart
	sym := platform.Symbol(pl.Currency)
	trend, err := a.deps.Wages.MarketTrend(ctx, pl.ID)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		return nil, err
	}
	if len(trend) > 0 {
		if ch, err := weeklyTrend("market-trend", "Market hourly wages by week", pl.Currency, trend); err == nil {
			chs = append(chs, ch)
		}
	}
	byHour, err := a.deps.Wages.MarketByHour(ctx, pl.ID)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		return nil, err
	}
	if len(byHour) > 0 {
		pts := make([]chart.Point, len(byHour))
		for i, h := range byHour {
			pts[i] = chart.Point{X: fmt.Sprintf("%02d", h.Hour), Y: deref(h.EffectiveHourly)}
		}
		if ch, err := chart.Bars("wage-by-hour", "Effective hourly wage by hour of day (UTC, finish time)", "hour", sym+"/hour", pts, moneyIn(pl.Currency)); err == nil {
			chs = append(chs, ch)
		}
	}
	byDay, err := a.deps.Wages.MarketByWeekday(ctx, pl.ID)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		return nil, err
	}
	if len(byDay) > 0 {
		pts := make([]chart.Point, len(byDay))
		for i, d := range byDay {
			pts[i] = chart.Point{X: d.Weekday.String()[:3], Y: deref(d.EffectiveHourly)}
		}
		if ch, err := chart.Bars("wage-by-weekday", "Effective hourly wage by weekday (UTC)", "weekday", sym+"/hour", pts, moneyIn(pl.Currency)); err == nil {
			chs = append(chs, ch)
		}
	}
	return chs, nil
}

// market returns a platform's market-wide wage figures from the directory's snapshot.
func (a *App) market(p platform.ID) (wages.Figures, bool) {
	if a.deps.Directory == nil {
		return wages.Figures{}, false
	}
	return a.deps.Directory.Market(p)
}

func (a *App) apiMarket(c *fiber.Ctx) error {
	pl, err := platformOf(c)
	if err != nil {
		return err
	}
	f, ok := a.market(pl.ID)
	if !ok {
		return NotFound("no " + pl.Short + " market figures yet")
	}
	ans := fiber.Map{
		"platform": pl.ID, "archive": pl.Archive(),
		"records": f.Records, "reporters": f.Reporters, "wage": wageOf(f), "approval": approvalOf(f),
		"computed_at": f.ComputedAt,
	}
	if a.demoData() {
		ans["demo"] = true
	}
	return sendJSON(c, ans, 300)
}
