package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Args binds values to the {name:Type} placeholders of a query. The engine parses each
// value as the placeholder's type, so nothing from the caller is ever spliced into SQL.
type Args map[string]any

// paramEscaper turns a Go string into the TSV-escaped text ClickHouse reads parameter values as.
var paramEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`, "\x00", `\0`)

// quotedEscaper quotes a string nested in an array or tuple parameter.
var quotedEscaper = strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\t", `\t`, "\n", `\n`, "\r", `\r`, "\x00", `\0`)

// TimeLayout is how times are written as parameters and expected in DateTime64(3, 'UTC') columns.
const TimeLayout = "2006-01-02 15:04:05.000"

// encodeArgs renders Args as the text form both transports send.
func encodeArgs(args Args) (map[string]string, error) {
	if len(args) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(args))
	for k, v := range args {
		s, err := paramText(v, false)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", k, err)
		}
		out[k] = s
	}
	return out, nil
}

func paramText(v any, nested bool) (string, error) {
	switch x := v.(type) {
	case nil:
		if nested {
			return "NULL", nil
		}
		return `\N`, nil
	case string:
		if nested {
			return "'" + quotedEscaper.Replace(x) + "'", nil
		}
		return paramEscaper.Replace(x), nil
	case []byte:
		return paramText(string(x), nested)
	case bool:
		if x {
			return "true", nil
		}
		return "false", nil
	case int:
		return strconv.FormatInt(int64(x), 10), nil
	case int8:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint8:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint16:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case decimal.Decimal:
		return x.String(), nil
	case time.Time:
		s := x.UTC().Format(TimeLayout)
		if nested {
			return "'" + s + "'", nil
		}
		return s, nil
	case time.Duration:
		return strconv.FormatInt(int64(x/time.Millisecond), 10), nil
	case []string:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i], _ = paramText(e, true)
		}
		return wrapNested("["+strings.Join(parts, ",")+"]", nested), nil
	case [][]string: // Array(Tuple(String, ...)): each inner slice one tuple of two or more strings
		parts := make([]string, len(x))
		for i, tuple := range x {
			fields := make([]string, len(tuple))
			for j, e := range tuple {
				fields[j], _ = paramText(e, true)
			}
			parts[i] = "(" + strings.Join(fields, ",") + ")"
		}
		return wrapNested("["+strings.Join(parts, ",")+"]", nested), nil
	case []uint64:
		return wrapNested(numberList(x, func(e uint64) string { return strconv.FormatUint(e, 10) }), nested), nil
	case []int64:
		return wrapNested(numberList(x, func(e int64) string { return strconv.FormatInt(e, 10) }), nested), nil
	case []uint32:
		return wrapNested(numberList(x, func(e uint32) string { return strconv.FormatUint(uint64(e), 10) }), nested), nil
	case []float64:
		return wrapNested(numberList(x, func(e float64) string { return strconv.FormatFloat(e, 'g', -1, 64) }), nested), nil
	case fmt.Stringer:
		return paramText(x.String(), nested)
	}
	return "", fmt.Errorf("unsupported type %T", v)
}

// numberList renders numbers as an array literal.
func numberList[T any](x []T, format func(T) string) string {
	parts := make([]string, len(x))
	for i, e := range x {
		parts[i] = format(e)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// wrapNested returns an array literal as is: the engine parses a composite parameter with its
// own quoted-element rules, not as one TSV field, so its elements carry the escaping.
func wrapNested(s string, _ bool) string { return s }
