package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestReporterHashOnOlderRecords upgrades a store that already holds task records to the step that
// stores the reporter's hash (0009): the records written before it must get the same hash as those
// written after, or a reporter's older and newer tasks would count as two reporters in every figure.
func TestReporterHashOnOlderRecords(t *testing.T) {
	ctx := context.Background()
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, m := range ms {
		if m.Version < 9 {
			files[fmt.Sprintf("%04d_%s.sql", m.Version, m.Name)] = m.SQL
		}
	}
	s := storetest.NewUnmigrated(t)
	if v, err := s.MigrateFiles(ctx, files, store.MigrateOptions{}); err != nil || v != 8 {
		t.Fatalf("migrate to 8: version %d, %v", v, err)
	}
	insertTasks(t, s, 2_000, 1_000) // reporters repeat every 777 records
	if v, err := s.Migrate(ctx, store.MigrateOptions{}); err != nil || v < 9 {
		t.Fatalf("migrate: version %d, %v", v, err)
	}
	// Both versions of a record must stay on disk to be checked: a background merge (later steps'
	// ALTERs may start one) would keep only the newer.
	if err := s.Exec(ctx, "SYSTEM STOP MERGES task_records", nil); err != nil {
		t.Fatal(err)
	}
	insertTasks(t, s, 4_000, 1_000) // the first 2,000 again (one more version each), then 2,000 new

	var rows, wrong, reporters, hashes uint64
	if err := s.QueryRow(ctx, "SELECT count(), countIf(rp != cityHash64(reporter)) FROM task_records", nil, &rows, &wrong); err != nil {
		t.Fatal(err)
	}
	if rows != 6_000 || wrong != 0 {
		t.Fatalf("%d rows, %d with a reporter hash that is not cityHash64(reporter); want 6000 and 0", rows, wrong)
	}
	if err := s.QueryRow(ctx, "SELECT uniqExact(reporter), uniqExact(rp) FROM wage_records", nil, &reporters, &hashes); err != nil {
		t.Fatal(err)
	}
	if reporters != 777 || hashes != 777 {
		t.Fatalf("wage_records: %d reporters, %d reporter hashes; want 777 of each", reporters, hashes)
	}
}
