package api

import (
	"bufio"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/platform"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/web/site"
	"github.com/hitwage/hitwage/reports"
)

// exportTimeout bounds one streamed export (millions of rows take a while on a slow link).
const exportTimeout = 30 * time.Minute

func (h *Handler) exporter() *export.Exporter {
	return &export.Exporter{Store: h.site.Deps.Store, Revision: reports.Revision(h.site.Deps.Version), BaseURL: h.site.Deps.BaseURL}
}

// ExportIndex serves the data dictionary, the formats and the privacy rules.
func (h *Handler) ExportIndex(c *fiber.Ctx) error {
	base := strings.TrimRight(h.site.Deps.BaseURL, "/") + "/api/v1/export/"
	var urls []string
	for _, d := range export.Datasets {
		for _, f := range []string{"csv", "ndjson", "parquet"} {
			urls = append(urls, base+d.Name+"."+f)
		}
	}
	return site.SendJSON(c, fiber.Map{
		"datasets": export.Datasets,
		"formats":  []string{"csv", "ndjson", "parquet"},
		"urls":     urls,
		"params": fiber.Map{
			"platform": "the platform exported: " + strings.Join(platform.IDs(), " or ") + "; default " + string(platform.Default),
			"from":     "records, workers, weeks: start (inclusive), a date like 2026-11-01 or an RFC 3339 time; moved back to its Monday",
			"to":       "end (exclusive); moved on to the next Monday unless it is one (ranges are whole ISO weeks, named in the stamp)",
			"k":        "fewest distinct reporters behind a published row or cell; default and minimum 5",
		},
		"privacy": "No worker identifiers: in records, reporter is a pseudonym of a worker for one requester, salted per export, " +
			"so no worker can be followed from one requester to another; workers has each worker's weekly totals without any. " +
			"Times cut to the hour, or to the day or week where an hour has fewer than k reporters. Rows and cells describing " +
			"fewer than k distinct reporters in their ISO week are suppressed, and ranges are whole ISO weeks, so two exports " +
			"differ by whole weeks. See docs/data-dictionary.md and docs/methodology.md.",
		"revision": reports.Revision(h.site.Deps.Version),
	}, 300)
}

// Export streams /api/v1/export/records.csv (and .ndjson, .parquet; workers, requesters, weeks).
func (h *Handler) Export(c *fiber.Ctx) error {
	file := c.Params("file")
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		return site.NotFound("no export " + file + ": name a dataset and a format, e.g. records.csv")
	}
	o := export.Options{Platform: platform.ID(c.Query("platform")), Dataset: file[:dot], Format: file[dot+1:]}
	var err error
	if o.From, err = export.ParseTime("from", c.Query("from")); err != nil {
		return site.OptionError(err)
	}
	if o.To, err = export.ParseTime("to", c.Query("to")); err != nil {
		return site.OptionError(err)
	}
	if k := c.Query("k"); k != "" {
		if o.K, err = strconv.Atoi(k); err != nil || o.K < export.MinK { // 0 is not "the default" when asked for
			return site.BadRequest("k", "k must be a whole number of reporters, at least "+strconv.Itoa(export.MinK))
		}
	}
	if _, ok := export.Formats[o.Format]; !ok {
		return site.NotFound("no export format ." + o.Format + ": use .csv, .ndjson or .parquet")
	}
	if h.site.Deps.Store.Mode() != store.Embedded {
		return &site.Error{Status: fiber.StatusNotImplemented, Code: "not_implemented",
			Message: "exports stream from the embedded store only for now; use collector export on the store's host"}
	}
	e := h.exporter()
	about, err := e.About(c.UserContext(), &o)
	if err != nil {
		return site.OptionError(err)
	}
	release, err := h.site.Limits.ExportSlot() // held while the export streams (site.Limits.Exports)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, export.Formats[o.Format].MediaType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="hitwage-`+fileStem(o)+"."+o.Format+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Hitwage-Stamp", about.Stamp)
	c.Set("X-Hitwage-Citation", about.Citation)
	if about.Demo {
		c.Set("X-Hitwage-Demo", "true")
	}
	c.Set(fiber.HeaderLink, `</api/v1/export>; rel="describedby"`)
	log := h.site.Deps.Log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer release()
		// The answer's status is sent; a failure now can only cut the body short (and is logged).
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		if err := e.Write(ctx, o, w); err != nil {
			log.Error("export failed", "platform", string(o.Platform), "dataset", o.Dataset, "format", o.Format, "err", err.Error())
		}
		_ = w.Flush()
	})
	return nil
}

// fileStem names a downloaded export: the dataset, after its platform beyond MTurk (whose files kept
// their names).
func fileStem(o export.Options) string {
	if o.Platform == platform.MTurk {
		return o.Dataset
	}
	return string(o.Platform) + "-" + o.Dataset
}
