package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// BenchmarkInsertTaskRecords measures batched inserts of full task records from Go
// (encode + send + store), 50,000 rows per batch; it reports rows/s.
func BenchmarkInsertTaskRecords(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	const batch = 200_000
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	rows := make([][]any, batch)
	for i := range rows {
		rows[i] = taskRecordRow(i, now)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bt, err := s.PrepareBatch(ctx, "task_records", records.Columns...)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows {
			if err := bt.Append(r...); err != nil {
				b.Fatal(err)
			}
		}
		if err := bt.Send(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func taskRecordRow(i int, now time.Time) []any {
	r := records.Record{
		RequesterID: fmt.Sprintf("A%013d", i%5000), Reporter: fmt.Sprintf("%064x", i%777),
		HitSetID: fmt.Sprintf("3G%028d", i%20000), AssignmentID: fmt.Sprintf("3A%028d", i),
		RequesterName: "Bench Requester", Title: "Survey about things", Status: records.Approved,
		DurationSeconds: uint32(60 + i%600), AllottedSeconds: 3600, Source: "bench", ReceivedAt: now,
	}
	acc := now.Add(-time.Duration(i%3600) * time.Second)
	fin := acc.Add(time.Duration(r.DurationSeconds) * time.Second)
	r.AcceptedAt, r.FinishedAt = &acc, &fin
	return r.Row()
}

// BenchmarkRequesterRead measures a typical per-requester read (count, pay, median duration
// of deduplicated records) by primary key on 1,000,000 task records.
func BenchmarkRequesterRead(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	err := s.Exec(ctx, `INSERT INTO task_records (requester_id, record_key, reporter, hit_set_id, title, reward, bonus,
		accepted_at, finished_at, duration_seconds, status, source, received_at, version)
		SELECT concat('A', leftPad(toString(number % 5000), 13, '0')), concat('3A', leftPad(toString(number), 28, '0')),
			hex(number % 777), concat('3G', leftPad(toString(number % 20000), 28, '0')), 'Survey', toDecimal64((10 + number % 190) / 100, 2), 0,
			now64(3) - toIntervalSecond(number % 86400), now64(3), 60 + number % 600, 'approved', 'bench', now64(3), number
		FROM numbers(1000000)`, nil)
	if err != nil {
		b.Fatal(err)
	}
	_ = s.Exec(ctx, "OPTIMIZE TABLE task_records FINAL", nil)
	q := `SELECT count(), sum(toFloat64(reward + bonus)), quantileExact(0.5)(duration_seconds)
		FROM task_records FINAL WHERE requester_id = {rid:String}`
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var n uint64
		var pay float64
		var med uint32
		rid := fmt.Sprintf("A%013d", (i*7919)%5000)
		if err := s.QueryRow(ctx, q, store.Args{"rid": rid}, &n, &pay, &med); err != nil {
			b.Fatal(err)
		}
		if n != 200 {
			b.Fatalf("requester %s: %d records, want 200", rid, n)
		}
	}
}

// BenchmarkInsertTaskRecordsPipelined runs two batch builders at once, as the ingest writer
// and an import do: one encodes its block in Go while the engine stores the other's.
func BenchmarkInsertTaskRecordsPipelined(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	const batch = 100_000
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	rows := make([][]any, batch)
	for i := range rows {
		rows[i] = taskRecordRow(i, now)
	}
	b.ResetTimer()
	errs := make(chan error, b.N)
	sem := make(chan struct{}, 2)
	for i := 0; i < b.N; i++ {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			bt, err := s.PrepareBatch(ctx, "task_records", records.Columns...)
			if err != nil {
				errs <- err
				return
			}
			for _, r := range rows {
				if err := bt.Append(r...); err != nil {
					errs <- err
					return
				}
			}
			errs <- bt.Send()
		}()
	}
	for i := 0; i < b.N; i++ {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "rows/s")
}
