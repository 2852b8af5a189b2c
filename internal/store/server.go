package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// ErrServer reports that the ClickHouse server could not be reached or refused us.
var ErrServer = errors.New("store: clickhouse server")

// server talks to a ClickHouse server or cluster over the native protocol.
type server struct {
	conn driver.Conn
	db   string // the DSN's database
}

// clusterSettings are the session settings of a store on a cluster, unless the DSN sets them
// (docs/scale-out.md, "Session settings"). A subquery over a Distributed table inside a query over
// another is run once and sent to the shards (GLOBAL), which is right whatever the subquery's key,
// where the default refuses the query. optimize_skip_unused_shards lets ClickHouse skip the shards a
// query's requester_id condition rules out; whether hitwage's queries, which read the Distributed
// tables through views and subqueries, are pruned has not been checked on a cluster.
//
// Read after write: an insert through a Distributed table returns once one replica of each shard
// holds it (foreground insert, internal_replication), and the other replicas copy it later. So
// that the recompute after an import, or Update after a batch, does not read a lagging replica and
// stamp stale figures as current, writes and reads go to the same replica: the first healthy one in
// remote_servers' order (in_order, which every node reads alike), also for the initiator's own
// shard (prefer_localhost_replica would otherwise send each initiator to its local replica). We
// chose this over insert_quorum: a quorum makes every import wait for a second replica and fail
// while one is down, where in_order costs the replicas' share of reads (they stand by, reads scale
// with shards) and is stale only while the first replica is down (a replica then serves what it has
// copied; the next full recompute corrects figures stamped in that window).
var clusterSettings = map[string]any{
	"distributed_product_mode":      "global",
	"distributed_foreground_insert": 1,
	"optimize_skip_unused_shards":   1,
	"load_balancing":                "in_order",
	"prefer_localhost_replica":      0,
	// An ALTER of a table kept on every node is sent to one node (cluster.go alter): it must return
	// only once every replica has it, or the next statement may reach a node without the column.
	"alter_sync": 2,
}

func openServer(ctx context.Context, cfg Config) (*server, error) {
	opts, err := clickhouse.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("%w: bad DSN %s: %v (want clickhouse://user:pass@host:9000/db)", ErrServer, redactDSN(cfg.DSN), err)
	}
	if cfg.Cluster != "" {
		if opts.Settings == nil {
			opts.Settings = clickhouse.Settings{}
		}
		for k, v := range clusterSettings {
			if _, set := opts.Settings[k]; !set {
				opts.Settings[k] = v
			}
		}
	}
	db := opts.Auth.Database
	if db == "" {
		db = "default"
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrServer, redactDSN(cfg.DSN), err)
	}
	pctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout)
	defer cancel()
	if err := conn.Ping(pctx); err != nil {
		_ = conn.Close()
		var ex *clickhouse.Exception
		if errors.As(err, &ex) && (ex.Code == 516 || ex.Code == 192 || ex.Code == 193) {
			return nil, fmt.Errorf("%w: %s refused the login: %v (check the user and password in the DSN)", ErrServer, redactDSN(cfg.DSN), err)
		}
		return nil, fmt.Errorf("%w: %s unreachable: %v (is the server running, and is the address right?)", ErrServer, redactDSN(cfg.DSN), err)
	}
	return &server{conn: conn, db: db}, nil
}

func serverCtx(ctx context.Context, params map[string]string) context.Context {
	if len(params) == 0 {
		return ctx
	}
	p := make(clickhouse.Parameters, len(params))
	for k, v := range params {
		p[k] = v
	}
	return clickhouse.Context(ctx, clickhouse.WithParameters(p))
}

func (s *server) exec(ctx context.Context, query string, params map[string]string) error {
	return s.conn.Exec(serverCtx(ctx, params), query)
}

func (s *server) query(ctx context.Context, query string, params map[string]string) (Rows, error) {
	rows, err := s.conn.Query(serverCtx(ctx, params), query)
	if err != nil {
		return nil, err
	}
	return serverRows{rows}, nil
}

type serverRows struct{ driver.Rows }

func (r serverRows) Scan(dest ...any) error { return r.Rows.Scan(dest...) }

func (s *server) prepareBatch(ctx context.Context, table string, columns []string) (Batch, error) {
	b, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+table+" ("+strings.Join(columns, ", ")+")")
	if err != nil {
		return nil, err
	}
	return serverBatch{b}, nil
}

type serverBatch struct{ driver.Batch }

func (b serverBatch) Append(values ...any) error { return b.Batch.Append(values...) }

func (s *server) close() error { return s.conn.Close() }
