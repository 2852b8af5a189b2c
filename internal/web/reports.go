package web

import (
	"errors"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/reports"
)

func init() {
	routeSets = append(routeSets, func(a *App) {
		a.Get("/reports", a.reportsIndex)
		a.Get("/reports/", a.reportsIndex)
		a.Get("/api/v1/wage-reports", a.apiReports)
		a.Get("/reports/:name", a.reportPage)
		a.Get("/reports/:period/:table", a.reportTable)
	})
}

// reportMaxAge is how long clients may keep a report: a past period's report changes only when
// late data arrives and the job reruns.
const reportMaxAge = 3600

type reportsIndex struct {
	Weekly, Monthly []reports.Period
}

func (a *App) reportList() ([]reports.Entry, error) {
	if a.deps.ReportsDir == "" {
		return nil, nil
	}
	return reports.List(a.deps.ReportsDir)
}

func (a *App) reportsIndex(c *fiber.Ctx) error {
	list, err := a.reportList()
	if err != nil {
		return err
	}
	var p reportsIndex
	for _, e := range list {
		if e.Period.Kind == reports.Monthly {
			p.Monthly = append(p.Monthly, e.Period)
		} else {
			p.Weekly = append(p.Weekly, e.Period)
		}
	}
	return a.render(c, "reports", "Wage reports", p)
}

func (a *App) apiReports(c *fiber.Ctx) error {
	list, err := a.reportList()
	if err != nil {
		return err
	}
	type item struct {
		Period   string `json:"period"`
		Kind     string `json:"kind"`
		From     string `json:"from"`
		To       string `json:"to"` // exclusive
		URL      string `json:"url"`
		Markdown string `json:"markdown"`
		CSV      string `json:"csv"`
	}
	out := make([]item, 0, len(list))
	base := strings.TrimRight(a.deps.BaseURL, "/") + "/reports/"
	for _, e := range list {
		p := e.Period
		out = append(out, item{Period: p.Name, Kind: p.Kind, From: p.From.Format("2006-01-02"), To: p.To.Format("2006-01-02"),
			URL: base + p.Name, Markdown: base + p.Name + ".md", CSV: base + p.Name + ".csv"})
	}
	return sendJSON(c, fiber.Map{"reports": out}, 300)
}

// reportFile reads one file of a written report; the period name was checked by ParsePeriod, so it
// cannot leave the reports folder.
func (a *App) reportFile(p reports.Period, file string) ([]byte, error) {
	if a.deps.ReportsDir == "" {
		return nil, NotFound("no reports are published here")
	}
	b, err := os.ReadFile(filepath.Join(a.deps.ReportsDir, p.Name, file))
	if errors.Is(err, os.ErrNotExist) {
		return nil, NotFound("no report for " + p.Name + " yet")
	}
	return b, err
}

func parseReportName(name string) (reports.Period, error) {
	p, err := reports.ParsePeriod(name)
	if err != nil {
		return p, NotFound("no report " + name + ": a report is named by an ISO week (2026-W47) or a month (2026-11)")
	}
	return p, nil
}

type reportPage struct {
	Period reports.Period
	Body   template.HTML
}

// reportPage serves /reports/2026-W47 (HTML), /reports/2026-W47.md and /reports/2026-W47.csv.
func (a *App) reportPage(c *fiber.Ctx) error {
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
		b, err := a.reportFile(p, reports.HTMLFile)
		if err != nil {
			return err
		}
		// The fragment was rendered by reports' html/template, which escaped every value.
		if err := a.render(c, "reports_period", "Wage report "+p.Name, reportPage{Period: p, Body: template.HTML(b)}); err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		return nil
	case ".md":
		return a.sendReportFile(c, p, reports.MarkdownFile, "text/markdown; charset=utf-8")
	case ".csv":
		return a.sendReportFile(c, p, reports.AllCSVFile, "text/csv; charset=utf-8")
	}
	return NotFound("no report format " + ext + ": use none (HTML), .md or .csv")
}

var tableFile = regexp.MustCompile(`^[a-z]+\.csv$`)

// reportTable serves one table of a report as CSV: /reports/2026-W47/requesters.csv.
func (a *App) reportTable(c *fiber.Ctx) error {
	p, err := parseReportName(c.Params("period"))
	if err != nil {
		return err
	}
	file := c.Params("table")
	if !tableFile.MatchString(file) || file == reports.AllCSVFile {
		return NotFound("no table " + file + " in report " + p.Name)
	}
	return a.sendReportFile(c, p, file, "text/csv; charset=utf-8")
}

func (a *App) sendReportFile(c *fiber.Ctx, p reports.Period, file, contentType string) error {
	b, err := a.reportFile(p, file)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	if strings.HasSuffix(file, ".csv") {
		c.Set(fiber.HeaderContentDisposition, `inline; filename="hitwage-`+p.Name+"-"+file+`"`)
	}
	return c.Send(b)
}
