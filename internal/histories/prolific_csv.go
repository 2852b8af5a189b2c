package histories

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/hitwage/hitwage/internal/ingest"
)

// prolificCSV reads Prolific's submission-history download row by row. The download names no
// researcher and no study id: rows are attributed by --researcher or by the study's name in a
// studies file given alongside.
type prolificCSV struct {
	prolificBase
	cr  *csv.Reader
	col map[string]int // lower-cased column name to its place
}

func newProlificCSV(r io.Reader, opts Options) (Reader, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1 // a short row is that row's problem, not the file's
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("the file is empty (want the header %s)", strings.Join(prolificColumns, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := headerIndex(header)
	if miss := missingColumns(col); len(miss) > 0 {
		return nil, fmt.Errorf("the header lacks the column(s) %s (Prolific's download has %s)",
			strings.Join(miss, ", "), strings.Join(prolificColumns, ","))
	}
	return &prolificCSV{prolificBase: prolificBase{format: ProlificCSV, attr: newAttribution(opts)}, cr: cr, col: col}, nil
}

// skipBOM drops the byte-order mark spreadsheet programs put before a file's text.
func skipBOM(r io.Reader) *bufio.Reader {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	return br
}

// Next returns the next finished, attributed row, or a row that could not be read.
func (r *prolificCSV) Next() (*ingest.Item, error) {
	for {
		rec, err := r.cr.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &ingest.Item{Line: pe.StartLine, Input: newInput(),
				Err: fmt.Errorf("line %d, column %d: %w", pe.Line, pe.Column, pe.Err)}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ProlificCSV, err)
		}
		line, _ := r.cr.FieldPos(0)
		if item := r.row(line, rec); item != nil {
			return item, nil
		}
	}
}

// row turns one row into an item, or returns nil for a row deliberately skipped.
func (r *prolificCSV) row(line int, rec []string) *ingest.Item {
	item := &ingest.Item{Line: line, Input: newInput()}
	get := func(c string) string {
		if i := r.col[strings.ToLower(c)]; i < len(rec) {
			return strings.ToValidUTF8(strings.TrimSpace(rec[i]), "\uFFFD")
		}
		return ""
	}
	for _, c := range prolificColumns {
		if r.col[strings.ToLower(c)] >= len(rec) {
			item.Err = fmt.Errorf("line %d: column %q is missing (the row has %d fields)", line, c, len(rec))
			return item
		}
	}
	status := get("Status")
	if r.skipStatus(status) {
		return nil
	}
	in := &item.Input
	in.Title, in.Status = ingest.Text(get("Study")), ingest.Text(status)

	var probs []string
	bad := func(c, format string, args ...any) {
		probs = append(probs, fmt.Sprintf("column %q: ", c)+fmt.Sprintf(format, args...))
	}
	reward, cur, err := csvMoney(get("Reward"))
	if err != nil {
		bad("Reward", "%v", err)
	}
	bonus, bcur, err := csvMoney(get("Bonus"))
	switch {
	case err != nil:
		bad("Bonus", "%v", err)
	case cur != "" && bcur != "" && bcur != cur:
		bad("Bonus", "is in %s but the reward is in %s", bcur, cur)
	case cur == "":
		cur = bcur
	}
	in.Reward, in.Bonus, in.Currency = ingest.Text(reward), ingest.Text(bonus), ingest.Text(cur)
	for _, t := range []struct {
		col string
		to  *ingest.Text
	}{{"Started At", &in.AcceptedAt}, {"Completed At", &in.FinishedAt}} {
		v := get(t.col)
		if v == "" {
			continue // a returned study has no completion time; some rows have no times at all
		}
		tm, err := ingest.ParseTime(v)
		if err != nil {
			bad(t.col, "%q is not a time (Prolific writes 2026-03-25 02:52:58.886000, in UTC)", clip(v))
			continue
		}
		*t.to = ingest.Text(tm.Format(time.RFC3339Nano))
	}
	if len(probs) > 0 {
		item.Err = fmt.Errorf("line %d: %s", line, strings.Join(probs, "; "))
		return item
	}

	rid, rname, sid := r.attr.byStudyName(string(in.Title))
	if rid == "" {
		// Kept for the participant's own figures only (ingest.Input.Unattributed), never guessed.
		r.unattributed++
		in.Unattributed = true
		return item
	}
	in.RequesterID, in.RequesterName, in.HitSetID = ingest.Text(rid), ingest.Text(rname), ingest.Text(sid)
	return item
}

// csvMoney reads an amount as Prolific's download writes it, with a currency sign or code before
// or after it ("£2.67", "CA$10.00", "7.50 USD", "kr50,25"), into exact decimal text with a dot
// and the currency's ISO code ("" when the amount names none).
func csvMoney(s string) (amount, currency string, err error) {
	if s == "" {
		return "", "", nil
	}
	start := strings.IndexAny(s, "0123456789")
	if start < 0 {
		return "", "", fmt.Errorf("%q is not an amount", clip(s))
	}
	end := start
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || s[end] == ',') {
		end++
	}
	prefix, suffix := strings.TrimSpace(s[:start]), strings.TrimSpace(s[end:])
	sign := ""
	for _, cut := range []func(string, string) (string, bool){strings.CutPrefix, strings.CutSuffix} {
		if p, ok := cut(prefix, "-"); ok {
			sign, prefix = "-", strings.TrimSpace(p)
		}
	}
	num, ok := decimalText(s[start:end])
	if !ok {
		return "", "", fmt.Errorf("%q is not an amount", clip(s))
	}
	pc, err := currencyOf(prefix)
	if err != nil {
		return "", "", fmt.Errorf("%q: %v", clip(s), err)
	}
	sc, err := currencyOf(suffix)
	if err != nil {
		return "", "", fmt.Errorf("%q: %v", clip(s), err)
	}
	if pc != "" && sc != "" && pc != sc {
		return "", "", fmt.Errorf("%q names two currencies (%s and %s)", clip(s), pc, sc)
	}
	if pc == "" {
		pc = sc
	}
	return sign + num, pc, nil
}

// decimalText turns the digits of an amount into decimal text with a dot. The last separator is
// the decimal one when one or two digits follow it ("50,25", "1,234.50"); a comma followed by
// three digits groups thousands ("1,000").
func decimalText(n string) (string, bool) {
	dec := strings.LastIndexAny(n, ".,")
	if dec >= 0 && n[dec] == ',' && len(n)-dec-1 == 3 && !strings.Contains(n, ".") {
		dec = -1
	}
	whole, frac, group := n, "", ","
	if dec >= 0 {
		whole, frac = n[:dec], n[dec+1:]
		if n[dec] == ',' {
			group = "."
		}
	}
	whole = strings.ReplaceAll(whole, group, "")
	if whole == "" || strings.ContainsAny(whole, ".,") || strings.ContainsAny(frac, ".,") || (dec >= 0 && frac == "") {
		return "", false
	}
	if dec < 0 {
		return whole, true
	}
	return whole + "." + frac, true
}

// currencyOf names the ISO 4217 code of a currency sign or code as Prolific writes it. A sign
// that several currencies share is an error: guessing would rate a study in the wrong money.
func currencyOf(sign string) (string, error) {
	switch sign {
	case "":
		return "", nil
	case "£":
		return "GBP", nil
	case "$", "US$":
		return "USD", nil
	case "€":
		return "EUR", nil
	case "CA$", "C$":
		return "CAD", nil
	case "A$", "AU$":
		return "AUD", nil
	case "NZ$":
		return "NZD", nil
	case "₹":
		return "INR", nil
	case "¥":
		return "", errors.New(`"¥" may be yen (JPY) or yuan (CNY): the currency cannot be told`)
	}
	switch strings.ToLower(sign) {
	case "kr", "kr.":
		return "", fmt.Errorf("%q may be Swedish, Norwegian or Danish kronor (SEK, NOK, DKK): the currency cannot be told", sign)
	}
	if len(sign) == 3 && strings.IndexFunc(sign, func(c rune) bool { return !unicode.IsLetter(c) || c > unicode.MaxASCII }) < 0 {
		return strings.ToUpper(sign), nil
	}
	return "", fmt.Errorf("%q is not a currency sign or code hitwage knows", clip(sign))
}
