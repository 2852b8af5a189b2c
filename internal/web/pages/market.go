package pages

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
	"github.com/hitwage/hitwage/internal/web/site"
)

type marketPage struct {
	Platform *platform.Platform
	Listings bool            // the platform's listings are collected (MTurk's were, until it closed)
	Others   []wages.Figures // the platform's markets in its other currencies
	HasWage  bool
	Wage     site.WageJSON
	Fig      wages.Figures
	Top      []market.RequesterVolume
	Charts   []chart.Chart
}

// Market renders a platform's market page: its figures, the listing charts and the wage charts.
func (h *Handler) Market(c *fiber.Ctx) error {
	ctx := c.UserContext()
	pl, err := site.PlatformOf(c)
	if err != nil {
		return err
	}
	p := marketPage{Platform: pl, Listings: pl.ID == platform.MTurk}
	if f, ok := h.site.Market(pl.ID); ok {
		p.HasWage, p.Wage, p.Fig = true, site.WageOf(f), f
	}
	if fs, err := h.site.Deps.Wages.Markets(ctx, pl.ID); err == nil && len(fs) > 1 {
		p.Others = fs[1:]
	}
	var hours []market.Hour
	if p.Listings {
		if hours, err = market.LastHours(ctx, h.site.Deps.Store, h.site.Now(), 14*24*time.Hour); err != nil {
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
		if ch, err := chart.Lines("supply-groups", "HIT groups listed, by hour (UTC)", "hour", "groups", []chart.Series{{Name: "groups", Points: groups}}, site.F0); err == nil {
			p.Charts = append(p.Charts, ch)
		}
		if ch, err := chart.Lines("supply-reward", "Reward available, by hour (UTC)", "hour", "dollars", []chart.Series{{Name: "reward available", Points: reward}}, site.Dollars); err == nil {
			p.Charts = append(p.Charts, ch)
		}
	}
	wageCharts, err := h.marketWageCharts(ctx, pl)
	if err != nil {
		return err
	}
	p.Charts = append(p.Charts, wageCharts...)
	if p.Listings {
		if p.Top, err = market.TopRequesters(ctx, h.site.Deps.Store, 20); err != nil {
			return err
		}
	}
	return h.render(c, "market", pl.Short+" market", p)
}

// marketWageCharts are the market page's wage charts (weekly trend, by hour, by weekday). They
// come from the figures stored at the last recompute, so they are kept per directory snapshot
// (h.marketCharts), as the requester pages' parts are; the listing charts stay live.
func (h *Handler) marketWageCharts(ctx context.Context, pl *platform.Platform) ([]chart.Chart, error) {
	read := func() ([]chart.Chart, error) { return h.readMarketWageCharts(ctx, pl) }
	if h.site.Deps.Directory == nil { // without a directory there is no snapshot to tie them to
		return read()
	}
	return h.marketCharts.Load(h.site.Deps.Directory.RefreshedAt(), string(pl.ID), read)
}

// readMarketWageCharts reads and draws the market page's wage charts.
func (h *Handler) readMarketWageCharts(ctx context.Context, pl *platform.Platform) ([]chart.Chart, error) {
	var chs []chart.Chart
	sym := platform.Symbol(pl.Currency)
	trend, err := h.site.Deps.Wages.MarketTrend(ctx, pl.ID)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		return nil, err
	}
	if len(trend) > 0 {
		if ch, err := site.WeeklyTrend("market-trend", "Market hourly wages by week", pl.Currency, trend); err == nil {
			chs = append(chs, ch)
		}
	}
	byHour, err := h.site.Deps.Wages.MarketByHour(ctx, pl.ID)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		return nil, err
	}
	if len(byHour) > 0 {
		pts := make([]chart.Point, len(byHour))
		for i, h := range byHour {
			pts[i] = chart.Point{X: fmt.Sprintf("%02d", h.Hour), Y: site.Deref(h.EffectiveHourly)}
		}
		if ch, err := chart.Bars("wage-by-hour", "Effective hourly wage by hour of day (UTC, finish time)", "hour", sym+"/hour", pts, site.MoneyIn(pl.Currency)); err == nil {
			chs = append(chs, ch)
		}
	}
	byDay, err := h.site.Deps.Wages.MarketByWeekday(ctx, pl.ID)
	if err != nil && !errors.Is(err, wages.ErrNotFound) {
		return nil, err
	}
	if len(byDay) > 0 {
		pts := make([]chart.Point, len(byDay))
		for i, d := range byDay {
			pts[i] = chart.Point{X: d.Weekday.String()[:3], Y: site.Deref(d.EffectiveHourly)}
		}
		if ch, err := chart.Bars("wage-by-weekday", "Effective hourly wage by weekday (UTC)", "weekday", sym+"/hour", pts, site.MoneyIn(pl.Currency)); err == nil {
			chs = append(chs, ch)
		}
	}
	return chs, nil
}
