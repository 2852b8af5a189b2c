package platform

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

//go:embed rates.csv
var defaultRates string

// Rates is a currency table: the value of one unit of each currency in US dollars, with the
// table's version. Amounts in different currencies are only ever added after conversion through
// it (see docs/methodology.md, "Currencies").
type Rates struct {
	Version string
	USD     map[string]float64 // currency -> US dollars per unit
}

// DefaultRates returns the table shipped with hitwage (rates.csv).
func DefaultRates() *Rates {
	r, err := ParseRates(strings.NewReader(defaultRates), "rates.csv")
	if err != nil {
		panic("platform: shipped rates.csv: " + err.Error()) // a constant, tested
	}
	return r
}

// LoadRates reads a currency table from a file in rates.csv's shape; "" is the shipped table.
func LoadRates(path string) (*Rates, error) {
	if path == "" {
		return DefaultRates(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("platform: rates: %w", err)
	}
	defer f.Close()
	return ParseRates(f, path)
}

// ParseRates reads a currency table: a CSV with the header version,currency,usd_per_unit, one
// version throughout, and a rate for every currency a platform pays in. Lines starting with # are
// comments. Errors name the file and line.
func ParseRates(rd io.Reader, name string) (*Rates, error) {
	cr := csv.NewReader(rd)
	cr.Comment = '#'
	cr.FieldsPerRecord = 3
	r := &Rates{USD: map[string]float64{}}
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if header {
			if strings.Join(rec, ",") != "version,currency,usd_per_unit" {
				return nil, fmt.Errorf("%s:%d: header is %q, want version,currency,usd_per_unit", name, line, strings.Join(rec, ","))
			}
			header = false
			continue
		}
		v, cur := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if v == "" {
			return nil, fmt.Errorf("%s:%d: version is empty", name, line)
		}
		if r.Version != "" && v != r.Version {
			return nil, fmt.Errorf("%s:%d: version %q, but the table is version %q", name, line, v, r.Version)
		}
		r.Version = v
		if !ValidCurrency(cur) {
			return nil, fmt.Errorf("%s:%d: currency %q is not a three-letter ISO 4217 code", name, line, cur)
		}
		usd, err := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
		if err != nil || usd <= 0 || math.IsInf(usd, 0) || math.IsNaN(usd) {
			return nil, fmt.Errorf("%s:%d: usd_per_unit %q is not a positive number", name, line, rec[2])
		}
		if _, dup := r.USD[cur]; dup {
			return nil, fmt.Errorf("%s:%d: currency %s is listed twice", name, line, cur)
		}
		r.USD[cur] = usd
	}
	if header {
		return nil, fmt.Errorf("%s: empty: want the header version,currency,usd_per_unit", name)
	}
	for _, p := range registry {
		for _, c := range p.Currencies {
			if _, ok := r.USD[c]; !ok {
				return nil, fmt.Errorf("%s: no rate for %s, which %s pays in", name, c, p.Short)
			}
		}
	}
	return r, nil
}

// Rate returns how many units of to one unit of from is worth (1 when they are the same).
func (r *Rates) Rate(from, to string) (float64, bool) {
	if from == to {
		return 1, true
	}
	a, ok1 := r.USD[from]
	b, ok2 := r.USD[to]
	if !ok1 || !ok2 {
		return 0, false
	}
	return a / b, true
}

// Arrays returns the table as two parallel arrays (currencies in order, US dollars per unit), the
// form SQL binds them in.
func (r *Rates) Arrays() ([]string, []float64) {
	cs := make([]string, 0, len(r.USD))
	for c := range r.USD {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	usd := make([]float64, len(cs))
	for i, c := range cs {
		usd[i] = r.USD[c]
	}
	return cs, usd
}

// ValidCurrency reports whether s has the shape of an ISO 4217 code: three upper-case letters.
func ValidCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Symbol returns the sign an amount in currency is written with ("$", "£"), else the code and a space.
func Symbol(currency string) string {
	switch currency {
	case "USD":
		return "$"
	case "GBP":
		return "£"
	case "EUR":
		return "€"
	}
	return currency + " "
}
