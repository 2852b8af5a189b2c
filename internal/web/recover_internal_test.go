package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// panicPath is a route only this test binary has: its handler panics.
const panicPath = "/test-only-panic" // outside /api/: the OpenAPI test lists every API route

func init() {
	testRoutes = append(testRoutes, func(a *App) {
		a.Get(panicPath, func(*fiber.Ctx) error { panic("test: handler panic") })
	})
}

// A handler that panics answers 500 (the site's error page), and the app keeps serving.
func TestHandlerPanicIsA500(t *testing.T) {
	a := New(Deps{Version: "test"})
	for i := 0; i < 2; i++ {
		res, err := a.Test(httptest.NewRequest("GET", panicPath, nil))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 500 || !strings.Contains(string(b), "500") {
			t.Fatalf("panic: %d %s", res.StatusCode, b)
		}
	}
	res, err := a.Test(httptest.NewRequest("GET", "/api/v1/nope", nil)) // no store here: a route that needs none
	if err != nil || res.StatusCode != 404 {
		t.Fatalf("after a panic: %v %v", res, err)
	}
}
