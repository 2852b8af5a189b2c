package store_test

import (
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestPipedStdin: with a pipe holding rows on stdin, as under `echo x | collector ...` or a CI
// runner, opening a store and inserting must work and store only the rows inserted: chDB would
// otherwise read the process's stdin as the INSERT's data.
func TestPipedStdin(t *testing.T) {
	saved, err := syscall.Dup(0)
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteString("(9999)\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := syscall.Dup3(int(r.Fd()), 0, 0); err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Cleanup(func() { _ = syscall.Dup3(saved, 0, 0); _ = syscall.Close(saved) })

	s := storetest.New(t) // opening the store detaches stdin
	ctx := context.Background()
	if err := s.Exec(ctx, "CREATE TABLE piped (x UInt32) ENGINE = MergeTree ORDER BY x", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(ctx, "INSERT INTO piped VALUES (1), (2)", nil); err != nil {
		t.Fatalf("insert with a pipe on stdin: %v", err)
	}
	var n, sum uint64
	if err := s.QueryRow(ctx, "SELECT count(), sum(x) FROM piped", nil, &n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != 2 || sum != 3 {
		t.Errorf("piped table holds %d rows summing to %d, want 2 rows summing to 3", n, sum)
	}
}
