package ingest

import (
	"fmt"
	"slices"
	"strings"
)

// Mapping renames a file's columns (or JSON keys) to record fields: source name -> field name.
// Source names match case-insensitively and ignoring surrounding spaces.
type Mapping map[string]string

// ParseMapping reads a --map value: "Requester ID=requester_id,Time Taken=duration_seconds".
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		i := strings.LastIndex(pair, "=")
		if i < 0 {
			return nil, fmt.Errorf("ingest: --map entry %q: want COLUMN=field", pair)
		}
		col, field := normalizeName(pair[:i]), strings.TrimSpace(pair[i+1:])
		if col == "" {
			return nil, fmt.Errorf("ingest: --map entry %q: empty column name", pair)
		}
		if !slices.Contains(Fields, field) {
			return nil, fmt.Errorf("ingest: --map entry %q: %q is not a record field (fields: %s)", pair, field, strings.Join(Fields, ", "))
		}
		m[col] = field
	}
	return m, nil
}

// field returns the record field a column or key name stands for: the mapping's choice,
// else the name itself when it is a field ("Requester ID" and "requester-id" match
// requester_id), else "".
func (m Mapping) field(name string) string {
	n := normalizeName(name)
	if f, ok := m[n]; ok {
		return f
	}
	n = strings.NewReplacer(" ", "_", "-", "_").Replace(n)
	if slices.Contains(Fields, n) {
		return n
	}
	return ""
}

func normalizeName(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
}
