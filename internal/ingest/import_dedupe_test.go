package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// taskLine is one NDJSON record of requester req and assignment n with a status.
func taskLine(req string, n int, status string) string {
	return fmt.Sprintf(`{"assignment_id":"3HWASG%024d","hit_set_id":"3HWGRP000000000000000000000001","requester_id":"%s","reward":"0.50","duration_seconds":60,"status":"%s"}`+"\n",
		n, req, status)
}

// The import asks the store only about tasks that can be stored already (those within a
// requester's stored key range, or repeated in the file); its counts must still be exact
// however the known tasks fall into batches.
func TestImportCountsStoredTasksExactly(t *testing.T) {
	const reqA, reqB, reqC = "A3HWTESTREQ000A", "A3HWTESTREQ000B", "A3HWTESTREQ000C"
	var before strings.Builder
	for _, n := range []int{10, 20, 30} {
		before.WriteString(taskLine(reqA, n, "submitted"))
	}
	before.WriteString(taskLine(reqB, 50, "submitted"))
	var file strings.Builder
	lines := []string{
		taskLine(reqC, 1, "submitted"),  // new requester
		taskLine(reqA, 5, "submitted"),  // below A's stored keys: new
		taskLine(reqA, 15, "submitted"), // within A's range, not stored: new
		taskLine(reqA, 20, "approved"),  // stored before: duplicate
		taskLine(reqB, 60, "submitted"), // above B's range: new
		taskLine(reqC, 1, "approved"),   // repeats the file's first task
		taskLine(reqA, 30, "rejected"),  // stored before: duplicate
		taskLine(reqB, 50, "approved"),  // stored before: duplicate
		taskLine(reqA, 99, "submitted"), // new
		taskLine(reqA, 99, "returned"),  // repeats the line before
	}
	for _, l := range lines {
		file.WriteString(l)
	}
	for _, size := range []int{1, 2, 3, 4, 100} {
		s := storetest.New(t)
		ctx := context.Background()
		h := testHasher(t)
		rep, err := ingest.Import(ctx, s, h, strings.NewReader(before.String()), ingest.ImportOptions{Name: "before.ndjson", Now: importNow})
		if err != nil || rep.Stored != 4 {
			t.Fatalf("batch size %d: first import %+v %v", size, rep, err)
		}
		rep, err = ingest.Import(ctx, s, h, strings.NewReader(file.String()), ingest.ImportOptions{Name: "later.ndjson", BatchSize: size, Now: importNow})
		if err != nil || rep.Read != 10 || rep.Stored != 5 || rep.Duplicates != 5 {
			t.Fatalf("batch size %d: %+v %v (want 5 stored, 5 duplicates)", size, rep, err)
		}
		if n := count(t, s, "", nil); n != 9 {
			t.Fatalf("batch size %d: %d records, want 9", size, n)
		}
		// The later report of a task wins, within a batch or across batches.
		for _, c := range []struct {
			n      int
			status string
		}{{1, "approved"}, {20, "approved"}, {30, "rejected"}, {50, "approved"}, {99, "returned"}, {10, "submitted"}} {
			key := fmt.Sprintf("3HWASG%024d", c.n)
			if n := count(t, s, "record_key = {k:String} AND status = {st:String}", map[string]any{"k": key, "st": c.status}); n != 1 {
				t.Errorf("batch size %d: task %d is not %s", size, c.n, c.status)
			}
		}
		// Importing the file again finds every task stored.
		rep, err = ingest.Import(ctx, s, h, strings.NewReader(file.String()), ingest.ImportOptions{Name: "later.ndjson", BatchSize: size, Now: importNow})
		if err != nil || rep.Stored != 0 || rep.Duplicates != 10 {
			t.Fatalf("batch size %d: second import %+v %v", size, rep, err)
		}
	}
}

// An import stopped half-way (here its context ends) returns the error, and its report
// counts exactly the records it stored.
func TestImportStoppedHalfWay(t *testing.T) {
	var file strings.Builder
	for n := 0; n < 40; n++ {
		file.WriteString(taskLine("A3HWTESTREQ000A", n, "submitted"))
	}
	for _, stopAt := range []int{1, 3, 7} {
		s := storetest.New(t)
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		rep, err := ingest.Import(ctx, s, testHasher(t), strings.NewReader(file.String()), ingest.ImportOptions{
			Name: "stopped.ndjson", BatchSize: 2, Now: importNow,
			Progress: func(ingest.ImportProgress) {
				if calls++; calls == stopAt {
					cancel()
				}
			},
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stop at %d: error %v, want context.Canceled", stopAt, err)
		}
		if rep.Read >= 40 || rep.Stored > rep.Read {
			t.Fatalf("stop at %d: report %+v", stopAt, rep)
		}
		if n := count(t, s, "", nil); n != uint64(rep.Stored) {
			t.Fatalf("stop at %d: %d records stored, the report says %d", stopAt, n, rep.Stored)
		}
	}
}
