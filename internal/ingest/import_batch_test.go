package ingest

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/hitwage/hitwage/internal/records"
)

// The import's rows of pointers must hold what records.Record.Row gives, column by column.
func TestRowBufMatchesRow(t *testing.T) {
	at := time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)
	fin, dec := at.Add(390*time.Second), at.Add(48*time.Hour)
	full := records.Record{RequesterID: "A3HWTESTREQ0001", RecordKey: "3HWASG000000000000000000000001", Reporter: "r",
		HitSetID: "3HWGRP000000000000000000000001", HitID: "3HWHIT000000000000000000000001", AssignmentID: "3HWASG000000000000000000000001",
		RequesterName: "Harbor", Title: "Survey", Reward: decimal.New(75, -2), Bonus: decimal.New(10, -2),
		AcceptedAt: &at, FinishedAt: &fin, DurationSeconds: 390, Status: records.Approved, DecidedAt: &dec,
		AllottedSeconds: 1800, Source: "import:x.csv", ReceivedAt: at.Add(time.Hour), Via: "tok1"}
	bare := records.Record{RequesterID: "A3HWTESTREQ0002", RecordKey: "l:abc", Reward: decimal.New(5, -2), Status: records.Submitted,
		DurationSeconds: 60, Source: "import:y.csv", ReceivedAt: at}
	r := newRowBuf()
	for _, rec := range []records.Record{full, bare, full} {
		want := rec.Row()
		got := r.of(&rec)
		if len(got) != len(records.Columns) || len(want) != len(got) {
			t.Fatalf("%d values, want %d", len(got), len(records.Columns))
		}
		for i := range want {
			if g, w := deref(got[i]), deref(want[i]); !reflect.DeepEqual(g, w) {
				t.Errorf("column %s: %#v, Row gives %#v", records.Columns[i], g, w)
			}
		}
	}
}

// deref follows a non-nil pointer; a nil pointer stays as it is (a NULL).
func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return rv.Elem().Interface()
	}
	return v
}
