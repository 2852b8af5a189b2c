package pages

import (
	"errors"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/reports"
)

// reportMaxAge is how long clients may keep a report: a past period's report changes only when
// late data arrives and the job reruns.
const reportMaxAge = 3600

// platformReports are one platform's written reports, as the index lists them.
type platformReports struct {
	Platform        *platform.Platform
	Path            string // where its reports live on the site: /reports, /reports/prolific
	Floor           string // its floor in its market currency, e.g. "£6.00/h"
	Weekly, Monthly []reports.Period
}

// reportPlatform is the platform whose reports a request is about: the one its route names
// (/reports/prolific/...), else MTurk. A query cannot change it: a report's URL is permanent.
func reportPlatform(c *fiber.Ctx) *platform.Platform {
	if p, ok := site.RoutePlatform(c); ok {
		return p
	}
	return platform.Get(platform.MTurk)
}

// Reports lists every platform's reports: the open platforms' first, the archives' after.
func (h *Handler) Reports(c *fiber.Ctx) error {
	var open, closed []platformReports
	for _, pl := range platform.All() {
		list, err := h.site.ReportList(pl.ID)
		if err != nil {
			return err
		}
		f := pl.Floor(pl.Currency)
		pr := platformReports{Platform: pl, Path: reports.Path(pl.ID),
			Floor: platform.Symbol(pl.Currency) + strconv.FormatFloat(f.Minimum, 'f', 2, 64) + "/h"}
		for _, e := range list {
			if e.Period.Kind == reports.Monthly {
				pr.Monthly = append(pr.Monthly, e.Period)
			} else {
				pr.Weekly = append(pr.Weekly, e.Period)
			}
		}
		if pl.Archive() {
			closed = append(closed, pr)
		} else {
			open = append(open, pr)
		}
	}
	return h.render(c, "reports", "Wage reports", append(open, closed...))
}

// PlatformReports sends /reports/prolific to the platform's part of the reports index.
func (h *Handler) PlatformReports(p *platform.Platform) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return c.Redirect("/reports/#"+string(p.ID), fiber.StatusFound)
	}
}

// reportFile reads one file of a platform's written report; the period name was checked by
// ParsePeriod, so it cannot leave the platform's reports folder.
func (h *Handler) reportFile(pl *platform.Platform, p reports.Period, file string) ([]byte, error) {
	if h.site.Deps.ReportsDir == "" {
		return nil, site.NotFound("no reports are published here")
	}
	b, err := os.ReadFile(filepath.Join(reports.Dir(h.site.Deps.ReportsDir, pl.ID), p.Name, file))
	if errors.Is(err, os.ErrNotExist) {
		if pl.ID != platform.MTurk {
			return nil, site.NotFound("no " + pl.Short + " report for " + p.Name + " yet")
		}
		return nil, site.NotFound("no report for " + p.Name + " yet")
	}
	return b, err
}

func parseReportName(name string) (reports.Period, error) {
	p, err := reports.ParsePeriod(name)
	if err != nil {
		return p, site.NotFound("no report " + name + ": a report is named by an ISO week (2026-W47) or a month (2026-11)")
	}
	return p, nil
}

type reportPage struct {
	Period reports.Period
	Body   template.HTML
}

// Report serves /reports/2026-W47 (HTML), /reports/2026-W47.md and /reports/2026-W47.csv, and
// each other platform's under its path (/reports/prolific/2026-W49).
func (h *Handler) Report(c *fiber.Ctx) error {
	pl := reportPlatform(c)
	name := c.Params("name")
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name, ext = name[:i], name[i:]
	}
	p, err := parseReportName(name)
	if err != nil {
		return err
	}
	switch ext {
	case "":
		b, err := h.reportFile(pl, p, reports.HTMLFile)
		if err != nil {
			return err
		}
		title := "Wage report " + p.Name
		if pl.ID != platform.MTurk {
			title = pl.Short + " wage report " + p.Name
		}
		// The fragment was rendered by reports' html/template, which escaped every value.
		if err := h.render(c, "reports_period", title, reportPage{Period: p, Body: template.HTML(b)}); err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		return nil
	case ".md":
		return h.sendReportFile(c, pl, p, reports.MarkdownFile, "text/markdown; charset=utf-8")
	case ".csv":
		return h.sendReportFile(c, pl, p, reports.AllCSVFile, "text/csv; charset=utf-8")
	}
	return site.NotFound("no report format " + ext + ": use none (HTML), .md or .csv")
}

var tableFile = regexp.MustCompile(`^[a-z]+\.csv$`)

// ReportTable serves one table of a report as CSV: /reports/2026-W47/requesters.csv.
func (h *Handler) ReportTable(c *fiber.Ctx) error {
	p, err := parseReportName(c.Params("period"))
	if err != nil {
		return err
	}
	file := c.Params("table")
	if !tableFile.MatchString(file) || file == reports.AllCSVFile {
		return site.NotFound("no table " + file + " in report " + p.Name)
	}
	return h.sendReportFile(c, reportPlatform(c), p, file, "text/csv; charset=utf-8")
}

func (h *Handler) sendReportFile(c *fiber.Ctx, pl *platform.Platform, p reports.Period, file, contentType string) error {
	b, err := h.reportFile(pl, p, file)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	if strings.HasSuffix(file, ".csv") {
		stem := "hitwage-"
		if pl.ID != platform.MTurk {
			stem += string(pl.ID) + "-"
		}
		c.Set(fiber.HeaderContentDisposition, `inline; filename="`+stem+p.Name+"-"+file+`"`)
	}
	return c.Send(b)
}
