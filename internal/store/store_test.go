package store_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv("HITWAGE_HELPER_OPEN"); dir != "" {
		helperOpen(dir)
		return
	}
	storetest.Main(m)
}

// helperOpen runs in a child process: it opens a store and prints the outcome.
func helperOpen(dir string) {
	s, err := store.Open(context.Background(), store.Config{DataDir: dir})
	switch {
	case errors.Is(err, store.ErrDataLocked):
		fmt.Println("LOCKED:", err)
	case errors.Is(err, store.ErrLibraryMissing):
		fmt.Println("NOLIB:", err)
	case err != nil:
		fmt.Println("ERROR:", err)
	default:
		fmt.Println("OPENED")
		_ = s.Close()
	}
	os.Exit(0)
}

func runHelper(t *testing.T, dir string, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "HITWAGE_HELPER_OPEN="+dir), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	return string(out)
}

// suite holds the store tests that run on every transport.
func suite(t *testing.T, open func(t *testing.T) *store.Store) {
	t.Run("MigrateTwice", func(t *testing.T) { testMigrateTwice(t, open(t)) })
	t.Run("BatchInsertReadBack", func(t *testing.T) { testBatchInsert(t, open(t), 100_000) })
	t.Run("BoundParameters", func(t *testing.T) { testBoundParameters(t, open(t)) })
	t.Run("QueryErrorNamesQuery", func(t *testing.T) { testQueryError(t, open(t)) })
}

func TestEmbedded(t *testing.T) {
	suite(t, func(t *testing.T) *store.Store { return storetest.New(t) })
}

// TestServer runs the suite on a new database of the server HITWAGE_TEST_CLICKHOUSE names (laid out
// on the cluster HITWAGE_TEST_CLUSTER names, if set); each test says it was skipped without one.
func TestServer(t *testing.T) {
	suite(t, func(t *testing.T) *store.Store { return storetest.NewServer(t) })
}

func testMigrateTwice(t *testing.T, s *store.Store) {
	ctx := context.Background()
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	want := ms[len(ms)-1].Version
	for i := 0; i < 2; i++ {
		v, err := s.Migrate(ctx, store.MigrateOptions{})
		if err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
		if v != want {
			t.Fatalf("run %d: schema version %d, want %d", i+1, v, want)
		}
	}
	var started, done uint64
	if err := s.QueryRow(ctx, `SELECT countIf(state = 'started'), countIf(state = 'done') FROM schema_migrations`, nil, &started, &done); err != nil {
		t.Fatal(err)
	}
	if int(done) != len(ms) || int(started) != len(ms) {
		t.Fatalf("each migration must run once: started %d, done %d, migrations %d", started, done, len(ms))
	}
	for _, tbl := range []string{"task_records", "listing_snapshots", "reviews", "requesters", "meta"} {
		var n uint64
		if err := s.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = {t:String}", store.Args{"t": tbl}, &n); err != nil || n != 1 {
			t.Fatalf("table %s: n=%d err=%v", tbl, n, err)
		}
	}
}

var taskColumns = []string{"requester_id", "record_key", "reporter", "hit_set_id", "title", "reward", "bonus",
	"accepted_at", "finished_at", "duration_seconds", "status", "source", "received_at", "version"}

func taskRow(i int, now time.Time) []any {
	acc := now.Add(-time.Duration(i%3600) * time.Second)
	fin := acc.Add(time.Duration(60+i%600) * time.Second)
	return []any{
		fmt.Sprintf("A%013d", i%5000), fmt.Sprintf("3%029d", i), fmt.Sprintf("%064x", i%777),
		fmt.Sprintf("3G%028d", i%20000), "Survey about things", decimal.New(int64(10+i%190), -2), decimal.Zero,
		&acc, &fin, uint32(60 + i%600), "approved", "bench", now, uint64(now.UnixMilli()),
	}
}

func insertTasks(tb testing.TB, s *store.Store, n, batch int) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	for start := 0; start < n; start += batch {
		b, err := s.PrepareBatch(ctx, "task_records", taskColumns...)
		if err != nil {
			tb.Fatal(err)
		}
		for i := start; i < start+batch && i < n; i++ {
			if err := b.Append(taskRow(i, now)...); err != nil {
				tb.Fatal(err)
			}
		}
		if err := b.Send(); err != nil {
			tb.Fatal(err)
		}
	}
}

func testBatchInsert(t *testing.T, s *store.Store, n int) {
	ctx := context.Background()
	insertTasks(t, s, n, 20_000)
	var count uint64
	var total decimal.Decimal
	if err := s.QueryRow(ctx, "SELECT count(), sum(reward) FROM task_records", nil, &count, &total); err != nil {
		t.Fatal(err)
	}
	if int(count) != n {
		t.Fatalf("count %d, want %d", count, n)
	}
	want := decimal.Zero
	for i := 0; i < n; i++ {
		want = want.Add(decimal.New(int64(10+i%190), -2))
	}
	if !total.Equal(want) {
		t.Fatalf("sum(reward) %s, want %s", total, want)
	}
	// One row back, with its times and decimals intact.
	var (
		title  string
		reward decimal.Decimal
		acc    *time.Time
		status string
	)
	err := s.QueryRow(ctx, "SELECT title, reward, accepted_at, status FROM task_records WHERE requester_id = {r:String} AND record_key = {k:String}",
		store.Args{"r": fmt.Sprintf("A%013d", 42), "k": fmt.Sprintf("3%029d", 42)}, &title, &reward, &acc, &status)
	if err != nil {
		t.Fatal(err)
	}
	wantAcc := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC).Add(-42 * time.Second)
	if title != "Survey about things" || reward.String() != "0.52" || acc == nil || !acc.Equal(wantAcc) || status != "approved" {
		t.Fatalf("row 42 = %q %s %v %s", title, reward, acc, status)
	}
}

func testBoundParameters(t *testing.T, s *store.Store) {
	ctx := context.Background()
	hostile := []string{
		`it's "quoted"`, `back\slash \\ and \n literal`, "tab\tnew\nline", "ünïcödé ✓ 日本語 \u202eevil",
		`'); DROP TABLE task_records; --`, "{x:String}", "",
	}
	b, err := s.PrepareBatch(ctx, "requesters", "requester_id", "name", "first_seen", "updated_at")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, h := range hostile {
		if err := b.Append(fmt.Sprintf("AQUOTE%08d", i), h, now, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		var id, echo string
		err := s.QueryRow(ctx, "SELECT requester_id, {n:String} FROM requesters WHERE name = {n:String}", store.Args{"n": h}, &id, &echo)
		if err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		if id != fmt.Sprintf("AQUOTE%08d", i) || echo != h {
			t.Fatalf("%q: got id %s echo %q", h, id, echo)
		}
	}
	var n uint64
	if err := s.QueryRow(ctx, "SELECT count() FROM requesters WHERE has({names:Array(String)}, name)", store.Args{"names": hostile[:3]}, &n); err != nil || n != 3 {
		t.Fatalf("array parameter: n=%d err=%v", n, err)
	}
	keys := [][]string{{"AQUOTE00000000", hostile[0]}, {"AQUOTE00000001", hostile[1]}, {"AQUOTE00000002", hostile[0]}}
	if err := s.QueryRow(ctx, "SELECT count() FROM requesters WHERE (requester_id, name) IN {k:Array(Tuple(String, String))}", store.Args{"k": keys}, &n); err != nil || n != 2 {
		t.Fatalf("array of tuples parameter: n=%d err=%v", n, err)
	}
	var tm time.Time
	at := time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)
	if err := s.QueryRow(ctx, "SELECT {t:DateTime64(3, 'UTC')}", store.Args{"t": at}, &tm); err != nil || !tm.Equal(at) {
		t.Fatalf("time parameter: %v %v", tm, err)
	}
	var d decimal.Decimal
	if err := s.QueryRow(ctx, "SELECT {d:Decimal(10, 2)} * 3", store.Args{"d": decimal.RequireFromString("0.10")}, &d); err != nil || d.String() != "0.3" {
		t.Fatalf("decimal parameter: %v %v", d, err)
	}
}

func testQueryError(t *testing.T, s *store.Store) {
	err := s.Exec(context.Background(), "SELECT no_such_column FROM requesters", nil)
	if err == nil || !strings.Contains(err.Error(), "SELECT no_such_column FROM requesters") || !strings.Contains(err.Error(), "no_such_column") {
		t.Fatalf("error should name the query and the cause: %v", err)
	}
	if _, err := s.PrepareBatch(context.Background(), "requesters; DROP TABLE x", "name"); err == nil {
		t.Fatal("a table name that is not an identifier must be refused")
	}
	if _, err := s.PrepareBatch(context.Background(), "requesters", "no_such_column"); err == nil || !strings.Contains(err.Error(), "no_such_column") {
		t.Fatalf("unknown column must be named: %v", err)
	}
}

func TestHalfDoneMigration(t *testing.T) {
	s := storetest.NewUnmigrated(t)
	ctx := context.Background()
	bad := map[string]string{
		"0001_a.sql": "CREATE TABLE IF NOT EXISTS a (x UInt8) ENGINE = MergeTree ORDER BY x;\n",
		"0002_b.sql": "CREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE c (x NoSuchType) ENGINE = MergeTree ORDER BY x;\n",
	}
	v, err := s.MigrateFiles(ctx, bad, store.MigrateOptions{})
	if !errors.Is(err, store.ErrHalfDone) || v != 1 {
		t.Fatalf("want a half-done error at version 1, got v=%d err=%v", v, err)
	}
	if !strings.Contains(err.Error(), "0002_b") || !strings.Contains(err.Error(), "statement 2 of 2") || !strings.Contains(err.Error(), "--retry 2") {
		t.Fatalf("error should name the step, the statement and the fix: %v", err)
	}
	// A second start refuses to go on past the half-done step.
	_, err = s.MigrateFiles(ctx, bad, store.MigrateOptions{WaitOther: time.Millisecond})
	if !errors.Is(err, store.ErrHalfDone) || !strings.Contains(err.Error(), "never finished") {
		t.Fatalf("second run must refuse: %v", err)
	}
	// Fixed and retried, it completes.
	good := map[string]string{"0001_a.sql": bad["0001_a.sql"],
		"0002_b.sql": "CREATE TABLE IF NOT EXISTS b (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE IF NOT EXISTS c (x UInt8) ENGINE = MergeTree ORDER BY x;\n"}
	if v, err := s.MigrateFiles(ctx, good, store.MigrateOptions{Retry: 2}); err != nil || v != 2 {
		t.Fatalf("retry: v=%d err=%v", v, err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != 2 {
		t.Fatalf("schema version %d %v", v, err)
	}
}

func TestLockedDataDirectory(t *testing.T) {
	storetest.New(t) // this process now holds the engine and the lock on the data directory
	out := runHelper(t, storetest.DataDir(t))
	if !strings.HasPrefix(out, "LOCKED:") || !strings.Contains(out, "another process") {
		t.Fatalf("a second process must get a clear locked error, got %q", out)
	}
}

func TestMissingLibrary(t *testing.T) {
	out := runHelper(t, t.TempDir(), "HITWAGE_CHDB_LIB=/nonexistent/libchdb.so")
	if !strings.HasPrefix(out, "NOLIB:") || !strings.Contains(out, "make chdb") {
		t.Fatalf("a missing library must say how to get it, got %q", out)
	}
}

func TestUnwritableDataDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores permission bits; a path under a regular file can't be created by anyone
	}
	f := t.TempDir() + "/file"
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := runHelper(t, f+"/data")
	if !strings.HasPrefix(out, "ERROR:") || !strings.Contains(out, "--data") {
		t.Fatalf("an unusable data directory must say so, got %q", out)
	}
}

func TestRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	// A child process writes, exits; a second child reads.
	write := exec.Command(os.Args[0], "-test.run=^TestChildWrite$")
	write.Env = append(os.Environ(), "HITWAGE_CHILD_DIR="+dir)
	if out, err := write.CombinedOutput(); err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("writer: %v\n%s", err, out)
	}
	read := exec.Command(os.Args[0], "-test.run=^TestChildRead$")
	read.Env = append(os.Environ(), "HITWAGE_CHILD_DIR="+dir)
	if out, err := read.CombinedOutput(); err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("reader: %v\n%s", err, out)
	}
}

func childStore(t *testing.T) *store.Store {
	dir := os.Getenv("HITWAGE_CHILD_DIR")
	if dir == "" {
		t.Skip("runs as a child of TestRestartKeepsData")
	}
	s, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(context.Background(), store.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestChildWrite(t *testing.T) {
	s := childStore(t)
	insertTasks(t, s, 1234, 1000)
	_ = s.Close()
}

func TestChildRead(t *testing.T) {
	s := childStore(t)
	var n uint64
	if err := s.QueryRow(context.Background(), "SELECT count() FROM task_records", nil, &n); err != nil || n != 1234 {
		t.Fatalf("after restart: %d rows, %v", n, err)
	}
}

func TestServerUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	_, err = store.Open(context.Background(), store.Config{DSN: "clickhouse://u:secretpw@" + addr + "/db", QueryTimeout: 5 * time.Second})
	if !errors.Is(err, store.ErrServer) || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("want an unreachable-server error, got %v", err)
	}
	if strings.Contains(err.Error(), "secretpw") {
		t.Fatalf("the error leaks the password: %v", err)
	}
}
