package site

import (
	"fmt"

	"github.com/hitwage/hitwage/internal/platform"
)

// Plural says n things: "1 report", "3 reports" (n is any integer count a template has).
func Plural(n any, thing string) string {
	s := fmt.Sprint(n)
	if s == "1" {
		return "1 " + thing
	}
	return s + " " + thing + "s"
}

// F0 prints a count or amount without decimals (templates and chart axes).
func F0(v float64) string { return fmt.Sprintf("%.0f", v) }

// Dollars prints dollars and cents (templates and chart axes).
func Dollars(v float64) string { return fmt.Sprintf("$%.2f", v) }

// MoneyIn returns a printer of amounts in currency cur ("£6.00"), for chart axes.
func MoneyIn(cur string) func(float64) string {
	sym := platform.Symbol(cur)
	return func(v float64) string { return sym + fmt.Sprintf("%.2f", v) }
}
