package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

// Parameterised queries from many goroutines each get their own values back: chDB binds
// parameters per connection, so sharing one connection once swapped values between requests.
func TestConcurrentBoundParameters(t *testing.T) {
	s := storetest.New(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8*200)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				want := fmt.Sprintf("g%d-%d", g, i)
				var got string
				var n uint64
				err := s.QueryRow(context.Background(), "SELECT {a:String}, {n:UInt64}", store.Args{"a": want, "n": i}, &got, &n)
				if err != nil {
					errs <- err
					return
				}
				if got != want || n != uint64(i) {
					errs <- fmt.Errorf("asked %s/%d, got %s/%d", want, i, got, n)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Closing a store waits for a statement that its caller stopped waiting for, instead of
// closing the connection under it (which crashes the engine), and later statements fail at once.
func TestCloseWaitsForAbandonedStatement(t *testing.T) {
	s := storetest.NewUnmigrated(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := s.Exec(ctx, "SELECT sleepEachRow(0.1) FROM numbers(3)", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the deadline, got %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Exec(context.Background(), "SELECT 1", nil); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("a statement on a closed store must fail: %v", err)
	}
	if _, err := s.PrepareBatch(context.Background(), "t", "a"); err == nil {
		t.Fatal("a batch on a closed store must fail")
	}
	// The engine is fine: another store answers.
	var one uint8
	if err := storetest.NewUnmigrated(t).QueryRow(context.Background(), "SELECT 1", nil, &one); err != nil || one != 1 {
		t.Fatalf("engine after close: %v", err)
	}
}
