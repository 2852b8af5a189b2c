package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

// Binary column data may hold any bytes, a blank line ("\n\n") and NULs included; chDB once
// cut inline INSERT data there, so such values must survive a batch.
func TestBatchBinarySafe(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	if err := s.Exec(ctx, "CREATE TABLE bin (a Nullable(DateTime64(3, 'UTC')), b DateTime64(3, 'UTC'), c String, d Array(String)) ENGINE = MergeTree ORDER BY tuple()", nil); err != nil {
		t.Fatal(err)
	}
	blank := time.UnixMilli(0x1a1e1090a0a).UTC() // its little-endian bytes start 0a 0a
	other := time.UnixMilli(1794459056481).UTC()
	b, err := s.PrepareBatch(ctx, "bin", "a", "b", "c", "d")
	if err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		a *time.Time
		b time.Time
		c string
		d []string
	}{{&blank, blank, "x\n\ny\x00z", []string{"p\n\nq", "'"}}, {nil, other, "", nil}, {&other, blank, "\\N", []string{""}}}
	for _, r := range rows {
		if err := b.Append(r.a, r.b, r.c, r.d); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Query(ctx, "SELECT a, b, c, d FROM bin ORDER BY b, c", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	var n int
	for got.Next() {
		var (
			a *time.Time
			b time.Time
			c string
			d []string
		)
		if err := got.Scan(&a, &b, &c, &d); err != nil {
			t.Fatal(err)
		}
		n++
		if c == "x\n\ny\x00z" && (a == nil || !a.Equal(blank) || !b.Equal(blank) || len(d) != 2 || d[0] != "p\n\nq") {
			t.Fatalf("row with blank-line bytes came back as %v %v %q %q", a, b, c, d)
		}
		if c == "" && a != nil {
			t.Fatalf("NULL came back as %v", a)
		}
	}
	if n != 3 {
		t.Fatalf("%d rows back, want 3", n)
	}
}
