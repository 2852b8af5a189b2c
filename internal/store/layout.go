package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// ErrLayout reports a database laid out for another --cluster setting than the one it is opened
// with. Migrating it anyway would add tables of the other layout beside the existing ones: on a
// cluster, replicated tables and Distributed tables over local tables that were never made; on one
// server, plain tables beside the Distributed ones.
var ErrLayout = errors.New("store: the database was laid out for another --cluster setting")

var (
	engineNameRe  = regexp.MustCompile(`^\w+`)
	distClusterRe = regexp.MustCompile(`^Distributed\('(\w+)'`)
)

// checkLayout compares the tables of the store's database with the layout its target renders,
// before a migration adds to them, so that a store made with --cluster is not later migrated
// without it (or with another cluster), nor one made without it migrated with it. It returns the
// tables found (name -> engine as system.tables' engine_full spells it).
func (s *Store) checkLayout(ctx context.Context) (map[string]string, error) {
	rows, err := s.Query(ctx, `SELECT name, if(engine_full = '', engine, engine_full)
		FROM system.tables WHERE database = currentDatabase()`, nil)
	if err != nil {
		return nil, fmt.Errorf("store: read the tables' layout: %w", err)
	}
	defer rows.Close()
	tables := map[string]string{}
	for rows.Next() {
		var name, engine string
		if err := rows.Scan(&name, &engine); err != nil {
			return nil, fmt.Errorf("store: read the tables' layout: %w", err)
		}
		tables[name] = engine
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read the tables' layout: %w", err)
	}
	return tables, s.target.layoutOf(tables)
}

// layoutOf checks tables (name -> engine as system.tables' engine_full spells it) against the
// layout t renders. Only the tables of clusterTables are judged, and only by unambiguous signs: a
// single-server table may itself be replicated (a Replicated database makes every MergeTree so),
// so without a cluster only a Distributed table or a NAME_local table gives a cluster layout away.
func (t Target) layoutOf(tables map[string]string) error {
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		full := tables[name]
		engine := engineNameRe.FindString(full)
		if base, ok := strings.CutSuffix(name, localSuffix); ok && t.Cluster == "" {
			if l, known := clusterTables[base]; known && l != everywhere {
				return fmt.Errorf("%w: %s exists, a sharded table's local part: this database was migrated with --cluster; "+
					"open it with the same --cluster NAME it was made with", ErrLayout, name)
			}
		}
		l, known := clusterTables[name]
		if !known {
			continue
		}
		switch {
		case t.Cluster == "" && engine == "Distributed":
			return fmt.Errorf("%w: %s is a Distributed table (%s): this database was migrated with --cluster %s; "+
				"open it with --cluster %s", ErrLayout, name, full, distCluster(full), distCluster(full))
		case t.Cluster == "":
		case l == everywhere && !strings.HasPrefix(engine, "Replicated"):
			return t.withoutCluster(name, engine, "a Replicated table kept on every node")
		case l != everywhere && engine != "Distributed":
			return t.withoutCluster(name, engine, "a Distributed table over "+name+localSuffix)
		case l != everywhere && distCluster(full) != t.Cluster:
			return fmt.Errorf("%w: %s is a Distributed table over cluster %s: this database was migrated with --cluster %s, "+
				"not --cluster %s; open it with --cluster %s", ErrLayout, name, distCluster(full), distCluster(full), t.Cluster, distCluster(full))
		}
	}
	return nil
}

func (t Target) withoutCluster(name, engine, want string) error {
	return fmt.Errorf("%w: %s is a %s table, where --cluster %s makes %s: this database was migrated without --cluster. "+
		"Open it without --cluster; --cluster lays out a new database only, so to move onto the cluster make a new "+
		"database with --cluster and copy the data into it (docs/scale-out.md)", ErrLayout, name, engine, t.Cluster, want)
}

// distCluster is the cluster a Distributed engine's definition names, or "?".
func distCluster(full string) string {
	if m := distClusterRe.FindStringSubmatch(full); m != nil {
		return m[1]
	}
	return "?"
}
