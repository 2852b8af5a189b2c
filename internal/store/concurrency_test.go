package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

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
