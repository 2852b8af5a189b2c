package store_test

import (
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store"
)

// A server's DSN is shown (logs, /healthz) without its password.
func TestRedactDSN(t *testing.T) {
	for dsn, want := range map[string]string{
		"clickhouse://hitwage:s3cr%40t@db.example:9000/hitwage": "clickhouse://hitwage:xxxxx@db.example:9000/hitwage",
		"clickhouse://db.example:9000/hitwage":                  "clickhouse://db.example:9000/hitwage",
	} {
		if got := store.RedactDSN(dsn); got != want {
			t.Errorf("%q: %q, want %q", dsn, got, want)
		}
	}
	if got := store.RedactDSN("clickhouse://u:p@%zz"); strings.Contains(got, "p@") {
		t.Errorf("a DSN that is no URL shows %q", got)
	}
}
