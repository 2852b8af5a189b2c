package ops

import (
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web/site"
)

// Anonymous /healthz requests cost the store one query a second, however many arrive.
func TestPublicHealthzQueriesTheStoreOnceASecond(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	h := New(site.New(site.Deps{Store: storetest.New(t), Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }}))
	a := fiber.New()
	a.Get("/healthz", h.PublicHealthz)
	ask := func(n int) {
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := a.Test(httptest.NewRequest("GET", "/healthz", nil))
				if err != nil || res.StatusCode != 200 {
					t.Errorf("healthz: %v %v", res, err)
				}
			}()
		}
		wg.Wait()
	}
	ask(50)
	if h.probe.checks != 1 {
		t.Errorf("50 requests in one second made %d store queries, want 1", h.probe.checks)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	ask(10)
	if h.probe.checks != 2 {
		t.Errorf("a second later: %d store queries in all, want 2", h.probe.checks)
	}
}
