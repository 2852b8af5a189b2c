package store_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden cluster DDL in testdata/cluster")

// goldenTarget is the cluster the golden DDL is rendered for.
var goldenTarget = store.Target{Cluster: "hitwage", Database: "hitwage"}

// renderings are every migration (and the migrations table) as one text each, rendered for t.
func renderings(t *testing.T, target store.Target) map[string][]string {
	t.Helper()
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	st, err := store.SchemaMigrations(target)
	if err != nil {
		t.Fatal(err)
	}
	out["0000_schema_migrations"] = st
	for _, m := range ms {
		st, err := m.Statements(target)
		if err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%04d_%s", m.Version, m.Name)] = st
	}
	return out
}

// TestClusterDDL compares the migrations as a cluster runs them with testdata/cluster/*.sql;
// `go test ./internal/store -run TestClusterDDL -update` rewrites those files after a reviewed change.
func TestClusterDDL(t *testing.T) {
	dir := filepath.Join("testdata", "cluster")
	r := renderings(t, goldenTarget)
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, stmts := range r {
		got := []byte("-- " + name + " as `--cluster hitwage` runs it on database hitwage (internal/store/cluster.go).\n" +
			"-- Generated: go test ./internal/store -run TestClusterDDL -update\n\n" + strings.Join(stmts, ";\n\n") + ";\n")
		path := filepath.Join(dir, name+".sql")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to write it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the cluster DDL changed; review it, then rerun with -update:\n%s", path, firstDiff(string(want), string(got)))
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
	if !*update && len(files) != len(r) {
		t.Errorf("%d golden files for %d renderings: remove the stale ones with -update", len(files), len(r))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  golden: %s\n  now:    %s", i+1, a, b)
		}
	}
	return "(equal lines, different endings)"
}

// TestDDLParses runs every statement the migrations render, on one server and on a cluster,
// through ClickHouse's own parser (formatQuery), so a typo in generated DDL fails here though no
// cluster is at hand; the cluster's statements are also checked for what a cluster needs of them.
func TestDDLParses(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	for _, target := range []store.Target{{}, goldenTarget} {
		for name, stmts := range renderings(t, target) {
			for i, st := range stmts {
				var formatted string
				if err := s.QueryRow(ctx, "SELECT formatQuery({q:String})", store.Args{"q": st}, &formatted); err != nil {
					t.Errorf("%s (cluster %q) statement %d does not parse: %v\n%s", name, target.Cluster, i+1, err, st)
					continue
				}
				if target.Cluster == "" {
					continue
				}
				if err := clusterReady(formatted); err != nil {
					t.Errorf("%s statement %d: %v\n%s", name, i+1, err, formatted)
				}
			}
		}
	}
}

// keptEverywhere are the tables with one replica set over all nodes (clusterTables in cluster.go).
var keptEverywhere = map[string]bool{"schema_migrations": true, "meta": true, "ingest_tokens": true, "forum_posts": true}

// clusterReady checks one formatted cluster statement: DDL on every node, except an ALTER of a
// table kept everywhere, which goes to one node (its replicas take it from Keeper); replicated
// tables only.
func clusterReady(q string) error {
	head := strings.SplitN(q, "\n", 2)[0]
	if f := strings.Fields(head); len(f) > 2 && f[0] == "ALTER" && keptEverywhere[f[2]] {
		if strings.Contains(head, "ON CLUSTER") {
			return fmt.Errorf("ALTER of %s, a table kept everywhere, ON CLUSTER: it would run once per shard on one replicated table", f[2])
		}
		return nil
	}
	isDDL := strings.HasPrefix(head, "CREATE") || strings.HasPrefix(head, "DROP") ||
		(strings.HasPrefix(head, "ALTER") && !strings.Contains(head, "MATERIALIZE"))
	if isDDL && !strings.Contains(head, "ON CLUSTER hitwage") {
		return fmt.Errorf("DDL without ON CLUSTER")
	}
	if strings.HasPrefix(head, "CREATE TABLE") {
		i := strings.LastIndex(q, "ENGINE = ")
		if i < 0 {
			return fmt.Errorf("CREATE TABLE without an engine")
		}
		engine := q[i+len("ENGINE = "):]
		if !strings.HasPrefix(engine, "Replicated") && !strings.HasPrefix(engine, "Distributed(") {
			return fmt.Errorf("a table on a cluster must be replicated or distributed, not %s", strings.SplitN(engine, "(", 2)[0])
		}
	}
	return nil
}

// TestClusterRenderRefuses checks that what the renderer cannot lay out is refused with a reason,
// not passed to the cluster as it is.
func TestClusterRenderRefuses(t *testing.T) {
	cases := map[string]string{
		"unknown table":      "CREATE TABLE IF NOT EXISTS brand_new {{.OnCluster}} (x UInt8) ENGINE = MergeTree ORDER BY x",
		"no ON CLUSTER":      "CREATE TABLE IF NOT EXISTS meta (x UInt8) ENGINE = MergeTree ORDER BY x",
		"memory engine":      "CREATE TABLE IF NOT EXISTS meta {{.OnCluster}} (x UInt8) ENGINE = Memory",
		"mixed MV":           "CREATE MATERIALIZED VIEW IF NOT EXISTS m {{.OnCluster}} TO meta AS SELECT requester_id AS key FROM task_records",
		"unknown alter":      "ALTER TABLE task_records {{.OnCluster}} FREEZE",
		"bad statement":      "RENAME TABLE a TO b",
		"two-table MV":       "CREATE MATERIALIZED VIEW IF NOT EXISTS m {{.OnCluster}} TO wage_dirty AS SELECT requester_id FROM task_records WHERE requester_id IN (SELECT requester_id FROM reviews)",
		"unknown source":     "CREATE TABLE IF NOT EXISTS reviews {{.OnCluster}} AS brand_new ENGINE = MergeTree ORDER BY x",
		"joined MV":          "CREATE MATERIALIZED VIEW IF NOT EXISTS m {{.OnCluster}} TO wage_dirty AS SELECT t.requester_id FROM task_records AS t INNER JOIN reviews AS r ON r.requester_id = t.requester_id",
		"comma MV":           "CREATE MATERIALIZED VIEW IF NOT EXISTS m {{.OnCluster}} TO wage_dirty AS SELECT t.requester_id FROM task_records AS t, reviews WHERE 1",
		"joined query":       "ALTER TABLE wage_dirty_mv {{.OnCluster}} MODIFY QUERY SELECT requester_id FROM task_records LEFT JOIN reviews USING requester_id",
		"two commands":       "ALTER TABLE task_records {{.OnCluster}} ADD COLUMN IF NOT EXISTS x UInt8, DROP COLUMN y",
		"mixed commands":     "ALTER TABLE task_records {{.OnCluster}} ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT least(1, 2), MATERIALIZE COLUMN x",
		"setting and column": "ALTER TABLE task_records {{.OnCluster}} MODIFY SETTING a = 1, DROP COLUMN y",
	}
	for name, sql := range cases {
		_, err := store.Migration{Version: 99, Name: "x", SQL: sql}.Statements(goldenTarget)
		if err == nil || !strings.Contains(err.Error(), "0099_x on a cluster") {
			t.Errorf("%s: want a refusal naming the step, got %v", name, err)
		}
	}
	if _, err := (store.Migration{Version: 1, Name: "x", SQL: "SELECT 1"}).Statements(store.Target{Cluster: "c'; DROP", Database: "d"}); err == nil {
		t.Error("a cluster name that is not an identifier must be refused")
	}
}

// TestClusterAlterOrder checks the order a column change reaches a sharded table's two tables in:
// a column is added to the local tables before the Distributed table names it, and leaves the
// Distributed table before the local tables; a table kept everywhere takes it once, without ON
// CLUSTER.
func TestClusterAlterOrder(t *testing.T) {
	cases := []struct {
		sql  string
		want []string
	}{
		{"ALTER TABLE reviews {{.OnCluster}} ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT least(1, 2)", []string{
			"ALTER TABLE reviews_local ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT least(1, 2)",
			"ALTER TABLE reviews ON CLUSTER 'hitwage' ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT least(1, 2)"}},
		{"ALTER TABLE reviews {{.OnCluster}} MODIFY COLUMN x UInt16", []string{
			"ALTER TABLE reviews_local ON CLUSTER 'hitwage' MODIFY COLUMN x UInt16",
			"ALTER TABLE reviews ON CLUSTER 'hitwage' MODIFY COLUMN x UInt16"}},
		{"ALTER TABLE reviews {{.OnCluster}} DROP COLUMN IF EXISTS x", []string{
			"ALTER TABLE reviews ON CLUSTER 'hitwage' DROP COLUMN IF EXISTS x",
			"ALTER TABLE reviews_local ON CLUSTER 'hitwage' DROP COLUMN IF EXISTS x"}},
		{"ALTER TABLE reviews {{.OnCluster}} RENAME COLUMN x TO y", []string{
			"ALTER TABLE reviews ON CLUSTER 'hitwage' RENAME COLUMN x TO y",
			"ALTER TABLE reviews_local ON CLUSTER 'hitwage' RENAME COLUMN x TO y"}},
		{"ALTER TABLE meta {{.OnCluster}} ADD COLUMN IF NOT EXISTS x UInt8", []string{
			"ALTER TABLE meta ADD COLUMN IF NOT EXISTS x UInt8"}},
		{"ALTER TABLE ingest_tokens {{.OnCluster}} DROP COLUMN IF EXISTS x", []string{
			"ALTER TABLE ingest_tokens DROP COLUMN IF EXISTS x"}},
		{"ALTER TABLE reviews {{.OnCluster}} MODIFY SETTING index_granularity_bytes = 1000, min_bytes_for_wide_part = 0", []string{
			"ALTER TABLE reviews_local ON CLUSTER 'hitwage' MODIFY SETTING index_granularity_bytes = 1000, min_bytes_for_wide_part = 0"}},
		{"CREATE MATERIALIZED VIEW IF NOT EXISTS m {{.OnCluster}} TO wage_dirty AS SELECT requester_id, x FROM task_records ARRAY JOIN [1, 2] AS x", []string{
			"CREATE MATERIALIZED VIEW IF NOT EXISTS m ON CLUSTER 'hitwage' TO wage_dirty_local AS SELECT requester_id, x FROM task_records_local ARRAY JOIN [1, 2] AS x"}},
	}
	for _, c := range cases {
		got, err := store.Migration{Version: 99, Name: "x", SQL: c.sql}.Statements(goldenTarget)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if strings.Join(got, ";\n") != strings.Join(c.want, ";\n") {
			t.Errorf("%s:\n got  %q\n want %q", c.sql, got, c.want)
		}
	}
}

// TestMutated checks where the runtime's DELETEs and OPTIMIZEs go on a cluster.
func TestMutated(t *testing.T) {
	cases := []struct {
		target store.Target
		table  string
		want   string
	}{
		{store.Target{}, "wage_figures", "wage_figures"},
		{goldenTarget, "wage_figures", "wage_figures_local ON CLUSTER 'hitwage'"},
		{goldenTarget, "worker_days", "worker_days_local ON CLUSTER 'hitwage'"},
		{goldenTarget, "meta", "meta"},
	}
	for _, c := range cases {
		if got := c.target.Mutated(c.table); got != c.want {
			t.Errorf("%q.Mutated(%s) = %q, want %q", c.target.Cluster, c.table, got, c.want)
		}
	}
	s := storetest.New(t)
	if got := s.Mutated("task_records"); got != "task_records" {
		t.Errorf("the embedded store mutates task_records itself, got %q", got)
	}
}

// TestLayoutRefusesMixing checks that a database is migrated only with the --cluster setting it
// was made with (tables as system.tables' engine_full lists them).
func TestLayoutRefusesMixing(t *testing.T) {
	plain := map[string]string{
		"schema_migrations": "MergeTree ORDER BY (version, at) SETTINGS index_granularity = 8192",
		"task_records":      "ReplacingMergeTree(version) ORDER BY (requester_id, record_key)",
		"wage_dirty_mv":     "MaterializedView",
	}
	clustered := map[string]string{
		"schema_migrations":  "ReplicatedMergeTree('/clickhouse/tables/{uuid}/all', '{shard}_{replica}') ORDER BY (version, at)",
		"task_records_local": "ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', version) ORDER BY (requester_id, record_key)",
		"task_records":       "Distributed('hitwage', 'hitwage', 'task_records_local', cityHash64(requester_id))",
	}
	localOnly := map[string]string{"task_records_local": clustered["task_records_local"]}
	unreplicated := map[string]string{"task_records": clustered["task_records"], "meta": "ReplacingMergeTree(updated_at) ORDER BY key"}
	cases := []struct {
		name   string
		target store.Target
		tables map[string]string
		want   string // "" when the layout fits
	}{
		{"new database, one server", store.Target{}, nil, ""},
		{"new database, cluster", goldenTarget, nil, ""},
		{"plain on one server", store.Target{}, plain, ""},
		{"cluster on its cluster", goldenTarget, clustered, ""},
		{"plain opened with --cluster", goldenTarget, plain, "migrated without --cluster"},
		{"a table kept everywhere made without --cluster", goldenTarget, unreplicated, "meta is a ReplacingMergeTree table"},
		{"cluster opened without --cluster", store.Target{}, clustered, "open it with --cluster hitwage"},
		{"a local table without --cluster", store.Target{}, localOnly, "task_records_local exists"},
		{"cluster opened with another cluster", store.Target{Cluster: "other", Database: "hitwage"}, clustered, "not --cluster other"},
	}
	for _, c := range cases {
		err := c.target.LayoutOf(c.tables)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (!errors.Is(err, store.ErrLayout) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: want ErrLayout saying %q, got %v", c.name, c.want, err)
		}
	}
	// On the embedded store the check runs before the first migration: a sharded table's local
	// part left by a cluster layout stops it.
	s := storetest.NewUnmigrated(t)
	ctx := context.Background()
	if err := s.Exec(ctx, "CREATE TABLE task_records_local (x UInt8) ENGINE = MergeTree ORDER BY x", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx, store.MigrateOptions{}); !errors.Is(err, store.ErrLayout) || !strings.Contains(err.Error(), "--cluster") {
		t.Fatalf("migrate beside task_records_local: want ErrLayout naming --cluster, got %v", err)
	}
	if _, err := s.Prepare(ctx); !errors.Is(err, store.ErrLayout) {
		t.Fatalf("prepare beside task_records_local: want ErrLayout, got %v", err)
	}
}
