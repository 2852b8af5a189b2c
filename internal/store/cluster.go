package store

import (
	"fmt"
	"regexp"
	"strings"
)

// On a ClickHouse cluster (--cluster) the migrations are rendered, statement by statement, from
// the same single-server SQL the embedded engine runs (docs/scale-out.md): a table that holds a
// requester's rows becomes a Replicated*MergeTree table on every shard (NAME_local) and a
// Distributed table under the name every query uses, sharded by the requester; a small table that
// every shard's queries read whole becomes one Replicated*MergeTree table with a full copy on every
// node. The migration files stay plain SQL; where a statement needs a decision the files cannot
// carry (which table is which), the renderer takes it from clusterTables and refuses a statement it
// does not know, so a new migration that the cluster cannot run fails TestClusterDDL.

// layout is how one table lies on a cluster.
type layout struct {
	// key is the Distributed table's sharding key; "" keeps the table whole on every node.
	key string
}

var (
	byRequester = layout{key: "cityHash64(requester_id)"}
	byReporter  = layout{key: "cityHash64(reporter)"}
	everywhere  = layout{}
)

// clusterTables lays out every table the migrations create. By the requester: every table with a
// requester_id, so all versions of a row (FINAL, ReplacingMergeTree), a requester's records, figures
// and reviews, and the materialized views that feed one such table from another all stay on one
// shard. By the reporter: a worker's days, read by worker. Everywhere: small tables that queries on
// every shard read in subqueries (the token list, meta's review id key) or that one process reads
// back right after writing (schema_migrations, meta).
var clusterTables = map[string]layout{
	"schema_migrations":    everywhere,
	"meta":                 everywhere,
	"ingest_tokens":        everywhere,
	"forum_posts":          everywhere,
	"requesters":           byRequester,
	"listing_snapshots":    byRequester,
	"task_records":         byRequester,
	"task_corroborations":  byRequester,
	"reviews":              byRequester,
	"review_history":       byRequester,
	"review_flags":         byRequester,
	"wage_figures":         byRequester,
	"wage_dirty":           byRequester,
	"requester_currencies": byRequester,
	"token_requesters":     byRequester,
	"requester_pages":      byRequester,
	"worker_days":          byReporter,
}

// The ZooKeeper (Keeper) paths of the replicated tables. {uuid} is the table's UUID, which an ON
// CLUSTER CREATE gives every node alike (Atomic databases): a table dropped (SYNC) and made anew at
// once (the derived wage_figures, 0006 and later) gets a new path, where a fixed one could still be
// held by the old table's replicas on nodes that have not finished the drop (the shard's path goes
// with its last replica, and an ON CLUSTER statement that times out on a node finishes there later).
// A table kept everywhere has one replica set over all nodes, so its replica names must be unique
// over the cluster, not only per shard.
const (
	shardedPath    = "'/clickhouse/tables/{uuid}/{shard}', '{replica}'"
	everywherePath = "'/clickhouse/tables/{uuid}/all', '{shard}_{replica}'"
	localSuffix    = "_local"
)

// Target is what migrations are rendered for.
type Target struct {
	Cluster  string // the cluster's name in the servers' remote_servers; "" a single server or the embedded engine
	Database string // with Cluster: the database the Distributed tables read on every shard
}

func (t Target) onCluster() string { return "ON CLUSTER '" + t.Cluster + "'" }

func (t Target) check() error {
	if t.Cluster == "" {
		return nil
	}
	if !identRe.MatchString(t.Cluster) || strings.Contains(t.Cluster, ".") {
		return fmt.Errorf("store: bad cluster name %q", t.Cluster)
	}
	if !identRe.MatchString(t.Database) || strings.Contains(t.Database, ".") {
		return fmt.Errorf("store: cluster %s: bad database name %q", t.Cluster, t.Database)
	}
	return nil
}

var (
	createTableRe = regexp.MustCompile(`^CREATE TABLE (?:IF NOT EXISTS )?(\w+) (ON CLUSTER '\w+') (?:AS (\w+)\s+)?`)
	engineRe      = regexp.MustCompile(`\bENGINE = (\w+)(?:\(([^()]*)\))?`)
	createMVRe    = regexp.MustCompile(`^CREATE MATERIALIZED VIEW (?:IF NOT EXISTS )?\w+ ON CLUSTER '\w+' TO (\w+) AS\s`)
	fromRe        = regexp.MustCompile(`\bFROM (\w+)\b`)
	joinRe        = regexp.MustCompile(`(?i)\bJOIN\b`)
	settingsRe    = regexp.MustCompile(`^MODIFY SETTING \w+\s*=\s*[^,]+(?:,\s*\w+\s*=\s*[^,]+)*$`)
	arrayJoinRe   = regexp.MustCompile(`(?i)\b(?:LEFT\s+)?ARRAY\s+JOIN\b`) // unfolds an array of the same row: not a second table
	commaFromRe   = regexp.MustCompile(`(?i)\bFROM\s+\w+(?:\s+(?:AS\s+)?\w+)?\s*,`)
	alterRe       = regexp.MustCompile(`^ALTER TABLE (\w+) (ON CLUSTER '\w+') (\w+)(?: (\w+))?`)
	dropTableRe   = regexp.MustCompile(`^DROP TABLE (?:IF EXISTS )?(\w+) ON CLUSTER '\w+'$`)
	mutationRe    = regexp.MustCompile(`^(?:DELETE FROM|OPTIMIZE TABLE) (\w+) (ON CLUSTER '\w+')`)
	passRe        = regexp.MustCompile(`^(?:CREATE (?:OR REPLACE )?VIEW (?:IF NOT EXISTS )?\w+ ON CLUSTER|DROP VIEW (?:IF EXISTS )?\w+ ON CLUSTER|INSERT INTO )`)
)

// clusterStatements renders one statement of a migration, rendered with ON CLUSTER, for the
// cluster: none, one or two statements.
func (t Target) clusterStatements(st string) ([]string, error) {
	switch {
	case createTableRe.MatchString(st):
		return t.createTable(st)
	case createMVRe.MatchString(st):
		return t.createMV(st)
	case alterRe.MatchString(st):
		return t.alter(st)
	case dropTableRe.MatchString(st):
		name := dropTableRe.FindStringSubmatch(st)[1]
		l, err := tableLayout(name)
		if err != nil || l == everywhere {
			return []string{st}, err
		}
		// The Distributed table first: nothing reads the local tables through it meanwhile.
		local := strings.Replace(st, " "+name+" ON CLUSTER", " "+name+localSuffix+" ON CLUSTER", 1)
		return []string{st, local + " SYNC"}, nil
	case mutationRe.MatchString(st):
		m := mutationRe.FindStringSubmatchIndex(st)
		return []string{st[:m[2]] + t.Mutated(st[m[2]:m[3]]) + st[m[5]:]}, nil
	case passRe.MatchString(st):
		// Views read the Distributed tables by their names; inserts go through them.
		return []string{st}, nil
	}
	return nil, fmt.Errorf("the cluster renderer does not know this statement (no {{.OnCluster}}, or a kind cluster.go does not lay out): %s", shortQuery(st))
}

func tableLayout(name string) (layout, error) {
	l, ok := clusterTables[name]
	if !ok {
		return layout{}, fmt.Errorf("table %s has no cluster layout: add it to clusterTables (internal/store/cluster.go)", name)
	}
	return l, nil
}

// Mutated is how a statement that changes table's rows in place (DELETE FROM, OPTIMIZE TABLE,
// ALTER TABLE ... UPDATE) names it for t: the table itself without a cluster; on a cluster the
// local tables on every shard for a sharded table (a Distributed table takes no mutations), and
// for a table kept everywhere the one table without ON CLUSTER (its replicas apply the mutation
// from Keeper).
func (t Target) Mutated(table string) string {
	l, ok := clusterTables[table]
	switch {
	case t.Cluster == "":
		return table
	case !ok:
		return table + " " + t.onCluster()
	case l == everywhere:
		return table
	}
	return table + localSuffix + " " + t.onCluster()
}

func (t Target) createTable(st string) ([]string, error) {
	m := createTableRe.FindStringSubmatchIndex(st)
	name := st[m[2]:m[3]]
	l, err := tableLayout(name)
	if err != nil {
		return nil, err
	}
	e := engineRe.FindStringSubmatchIndex(st)
	if e == nil {
		return nil, fmt.Errorf("CREATE TABLE %s: no ENGINE = clause", name)
	}
	engine := st[e[2]:e[3]]
	if !strings.HasSuffix(engine, "MergeTree") || strings.HasPrefix(engine, "Replicated") {
		return nil, fmt.Errorf("CREATE TABLE %s: engine %s: the cluster renderer replicates the plain *MergeTree engines only", name, engine)
	}
	args := shardedPath
	if l == everywhere {
		args = everywherePath
	}
	if e[4] >= 0 && strings.TrimSpace(st[e[4]:e[5]]) != "" {
		args += ", " + st[e[4]:e[5]]
	}
	var b strings.Builder
	b.WriteString(st[:m[2]])
	b.WriteString(name)
	if l != everywhere {
		b.WriteString(localSuffix)
	}
	if m[6] >= 0 { // AS other: the other's local table, whose structure the statement copies
		other := st[m[6]:m[7]]
		ol, err := tableLayout(other)
		if err != nil {
			return nil, err
		}
		b.WriteString(st[m[3]:m[6]])
		b.WriteString(other)
		if ol != everywhere {
			b.WriteString(localSuffix)
		}
		b.WriteString(st[m[7]:e[0]])
	} else {
		b.WriteString(st[m[3]:e[0]])
	}
	b.WriteString("ENGINE = Replicated" + engine + "(" + args + ")")
	b.WriteString(st[e[1]:])
	if l == everywhere {
		return []string{b.String()}, nil
	}
	dist := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s %s AS %s%s\nENGINE = Distributed('%s', '%s', '%s%s', %s)",
		name, t.onCluster(), name, localSuffix, t.Cluster, t.Database, name, localSuffix, l.key)
	return []string{b.String(), dist}, nil
}

// createMV points a materialized view from a sharded table at the shard's local tables: an insert
// through a Distributed table reaches the local table of its shard, whose views write the shard's
// local target, so source and target must be laid out alike.
func (t Target) createMV(st string) ([]string, error) {
	target := createMVRe.FindStringSubmatch(st)[1]
	tl, err := tableLayout(target)
	if err != nil {
		return nil, err
	}
	sel := createMVRe.FindStringIndex(st)[1]
	out, src, err := localFrom(st, sel)
	if err != nil {
		return nil, err
	}
	sl, err := tableLayout(src)
	if err != nil {
		return nil, err
	}
	if sl != tl {
		return nil, fmt.Errorf("materialized view from %s to %s: the tables are laid out differently on a cluster (clusterTables)", src, target)
	}
	if tl != everywhere {
		i := strings.Index(out, " TO "+target+" AS")
		out = out[:i] + " TO " + target + localSuffix + out[i+len(" TO "+target):]
	}
	return []string{out}, nil
}

// localFrom rewrites the one FROM of a view's query after offset to the source's local table.
func localFrom(st string, offset int) (string, string, error) {
	froms := fromRe.FindAllStringSubmatchIndex(st[offset:], -1)
	if len(froms) != 1 {
		return "", "", fmt.Errorf("a materialized view on a cluster must read one table, found %d FROM: %s", len(froms), shortQuery(st))
	}
	f := froms[0]
	src := st[offset+f[2] : offset+f[3]]
	// The view is routed by its one source: a second table, joined or listed after a comma, would
	// be read through its Distributed table on every insert, or locally where it lies elsewhere.
	if joinRe.MatchString(arrayJoinRe.ReplaceAllString(st[offset:], "")) {
		return "", "", fmt.Errorf("a materialized view on a cluster must read one table, found a JOIN: %s", shortQuery(st))
	}
	if commaFromRe.MatchString(st[offset:]) {
		return "", "", fmt.Errorf("a materialized view on a cluster must read one table, found a comma after FROM %s: %s", src, shortQuery(st))
	}
	l, err := tableLayout(src)
	if err != nil {
		return "", "", err
	}
	if l == everywhere {
		return st, src, nil
	}
	return st[:offset+f[3]] + localSuffix + st[offset+f[3]:], src, nil
}

// alter sends a column change to the local tables and to the Distributed table (whose columns
// must match), and a mutation or a change of parts to the local tables only. A change to a table
// kept everywhere is sent once, without ON CLUSTER: its replicas take it from Keeper, where the
// same ALTER run on every shard at once would race with itself on one replicated table.
func (t Target) alter(st string) ([]string, error) {
	m := alterRe.FindStringSubmatchIndex(st)
	name := st[m[2]:m[3]]
	cmd := st[m[6]:m[7]]
	if m[8] >= 0 {
		cmd += " " + st[m[8]:m[9]]
	}
	if cmd == "MODIFY QUERY" { // a materialized view's query
		out, _, err := localFrom(st, m[1])
		return []string{out}, err
	}
	if severalCommands(st[m[6]:]) && !(cmd == "MODIFY SETTING" && settingsRe.MatchString(st[m[6]:])) { // one MODIFY SETTING lists its settings with commas
		// Each command is routed by its own kind: one statement a command lets the renderer see each.
		return nil, fmt.Errorf("ALTER TABLE %s: several commands in one ALTER; write one ALTER a command", name)
	}
	l, err := tableLayout(name)
	if err != nil {
		return nil, err
	}
	local := st[:m[2]] + name + localSuffix + st[m[3]:]
	once := st[:m[3]] + st[m[5]:] // without ON CLUSTER
	switch cmd {
	case "ADD COLUMN", "MODIFY COLUMN", "COMMENT COLUMN":
		if l == everywhere {
			return []string{once}, nil
		}
		// The local tables first: the Distributed table must not name a column they lack.
		return []string{local, st}, nil
	case "DROP COLUMN", "RENAME COLUMN":
		if l == everywhere {
			return []string{once}, nil
		}
		// The Distributed table first: it must not read a column the local tables no longer have.
		return []string{st, local}, nil
	case "MATERIALIZE COLUMN", "MATERIALIZE INDEX", "ADD INDEX", "DROP INDEX", "CLEAR COLUMN", "MODIFY TTL", "MODIFY SETTING":
		if l == everywhere {
			return []string{once}, nil
		}
		return []string{local}, nil
	}
	if strings.HasPrefix(cmd, "UPDATE") || strings.HasPrefix(cmd, "DELETE") {
		return []string{st[:m[2]] + t.Mutated(name) + st[m[5]:]}, nil
	}
	return nil, fmt.Errorf("ALTER TABLE %s %s: the cluster renderer does not know where this command goes (cluster.go alter)", name, cmd)
}

// severalCommands reports whether the commands of an ALTER hold a comma outside parentheses and
// quotes, i.e. more than one command.
func severalCommands(cmds string) bool {
	depth := 0
	var quote byte
	for i := 0; i < len(cmds); i++ {
		c := cmds[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			return true
		}
	}
	return false
}
