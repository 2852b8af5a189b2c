package main

import (
	"context"
	"strings"
	"testing"
)

// A command missing what it needs says so before opening the store: a bad store flag (or a
// data directory the site holds) must not hide the usage error.
func TestUsageErrorsBeforeStore(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"forum", "--clickhouse", "not-a-dsn"}, "give --base-url and at least one --thread"},
		{[]string{"tokens", "create", "--clickhouse", "not-a-dsn"}, "--label NAME is required"},
		{[]string{"tokens", "revoke", "--clickhouse", "not-a-dsn"}, "name one token ID"},
		{[]string{"import", "--clickhouse", "not-a-dsn"}, "name one or more files"},
		{[]string{"report", "--clickhouse", "not-a-dsn", "--period", "2026-W99"}, "--period"},
		{[]string{"report", "--clickhouse", "not-a-dsn", "--print", "pdf"}, "--print must be md or csv"},
		{[]string{"export", "--clickhouse", "not-a-dsn", "--from", "yesterday"}, "--from"},
		{[]string{"listings", "--clickhouse", "not-a-dsn", "--once", "--every", "5m"}, "--once or --every, not both"},
	} {
		err := dispatch(context.Background(), c.args, &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one saying %q", c.args, err, c.want)
		}
	}
}
