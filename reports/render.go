package reports

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	htmltemplate "html/template"
	"io"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

var (
	mdTmpl   = template.Must(template.New("report.md.tmpl").Funcs(template.FuncMap{"md": mdEscape}).ParseFS(templateFiles, "templates/report.md.tmpl"))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("report.html.tmpl").ParseFS(templateFiles, "templates/report.html.tmpl"))
)

// mdReplacer escapes what Markdown (and the HTML it allows) would read as markup, so untrusted names
// show as text in forum posts.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `|`, `\|`, `#`, `\#`, `~`, `\~`,
	`<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`, "\r\n", " ", "\n", " ", "\r", " ",
)

func mdEscape(s string) string { return mdReplacer.Replace(s) }

// Markdown renders the report for forums.
func (r *Report) Markdown() ([]byte, error) {
	var b bytes.Buffer
	if err := mdTmpl.Execute(&b, r); err != nil {
		return nil, fmt.Errorf("reports: markdown %s: %w", r.Period.Name, err)
	}
	return b.Bytes(), nil
}

// HTML renders the report as an HTML fragment for the site's layout: charts as
// <div class="chart" data-chart=...> elements that the site's charts.js draws, each with its table.
func (r *Report) HTML() ([]byte, error) {
	var b bytes.Buffer
	if err := htmlTmpl.Execute(&b, r); err != nil {
		return nil, fmt.Errorf("reports: html %s: %w", r.Period.Name, err)
	}
	return b.Bytes(), nil
}

// CSV writes one table as CSV with a header row.
func (t Table) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Head); err != nil {
		return fmt.Errorf("reports: csv %s: %w", t.Name, err)
	}
	for _, row := range t.Rows {
		if err := cw.Write(csvSafe(row)); err != nil {
			return fmt.Errorf("reports: csv %s: %w", t.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("reports: csv %s: %w", t.Name, err)
	}
	return nil
}

// AllCSV writes every table in one long CSV: table, row number, column heading, value.
func (r *Report) AllCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"table", "row", "column", "value"}); err != nil {
		return fmt.Errorf("reports: csv: %w", err)
	}
	for _, t := range r.Tables {
		for i, row := range t.Rows {
			for j, v := range row {
				if err := cw.Write(csvSafe([]string{t.Name, fmt.Sprint(i + 1), t.Head[j], v})); err != nil {
					return fmt.Errorf("reports: csv: %w", err)
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("reports: csv: %w", err)
	}
	return nil
}

// csvSafe keeps spreadsheet programs from running untrusted text as a formula.
func csvSafe(row []string) []string {
	out := row
	for i, v := range row {
		if v != "" && strings.ContainsRune("=+@\t\r", rune(v[0])) {
			if &out[0] == &row[0] {
				out = append([]string(nil), row...)
			}
			out[i] = "'" + v
		}
	}
	return out
}
