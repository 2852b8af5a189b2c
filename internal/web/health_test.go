package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

// A scheduled job that panics leaves the site serving, and the operations /healthz names the
// panic as the job's last error.
func TestHealthzShowsJobPanic(t *testing.T) {
	sched := schedule.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	job := schedule.Job{Name: "report-weekly", Spec: "0 6 * * 1", Run: func(context.Context) error { panic("nil map") }}
	if err := sched.Add(job); err != nil {
		t.Fatal(err)
	}
	sched.RunNow(job)
	_, ops := serveWithOps(t, web.Deps{Store: storetest.New(t), Scheduler: sched})
	var h struct {
		Status string `json:"status"`
		Jobs   []struct {
			Name      string `json:"name"`
			Runs      int    `json:"runs"`
			Running   bool   `json:"running"`
			LastError string `json:"last_error"`
		} `json:"jobs"`
	}
	getJSON(t, ops+"/healthz", 200, &h)
	if h.Status != "ok" || len(h.Jobs) != 1 || h.Jobs[0].Name != "report-weekly" || h.Jobs[0].Runs != 1 || h.Jobs[0].Running ||
		h.Jobs[0].LastError != "panic: nil map" {
		t.Fatalf("healthz = %+v", h)
	}
}

// The site's own /healthz tells anyone only whether it is up: no store, data directory, version or
// jobs; /metrics is not served there. The operations address serves both in full.
func TestPublicHealthzSaysOnlyOK(t *testing.T) {
	s := storetest.New(t)
	base, ops := serveWithOps(t, web.Deps{Store: s})
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"status":"ok"}` {
		t.Fatalf("public /healthz: %d %s, want 200 {\"status\":\"ok\"}", res.StatusCode, b)
	}
	getJSON(t, base+"/metrics", 404, nil)
	var h struct {
		Store struct {
			DataDir string `json:"data_dir"`
		} `json:"store"`
	}
	getJSON(t, ops+"/healthz", 200, &h)
	if h.Store.DataDir != storetest.DataDir(t) {
		t.Fatalf("ops /healthz data_dir = %q", h.Store.DataDir)
	}
	if res, err := http.Get(ops + "/metrics"); err != nil || res.StatusCode != 200 {
		t.Fatalf("ops /metrics: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	getJSON(t, ops+"/", 404, nil)
}

// A store that does not answer makes the public /healthz a 503 saying only "not ok"; the
// operations /healthz says why.
func TestPublicHealthzNotOK(t *testing.T) {
	base, ops := serveWithOps(t, web.Deps{Store: storetest.NewUnmigrated(t)}) // no schema_migrations table
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 503 || strings.TrimSpace(string(b)) != `{"status":"not ok"}` {
		t.Fatalf("public /healthz: %d %s, want 503 {\"status\":\"not ok\"}", res.StatusCode, b)
	}
	var h struct {
		Status string `json:"status"`
		Store  struct {
			Error string `json:"error"`
		} `json:"store"`
	}
	getJSON(t, ops+"/healthz", 503, &h)
	if h.Status != "unavailable" || h.Store.Error == "" {
		t.Fatalf("ops /healthz = %+v", h)
	}
}

// With OpsPublic (--ops-public) the site's own address serves the detailed /healthz and /metrics.
func TestOpsPublic(t *testing.T) {
	base := serveDeps(t, web.Deps{Store: storetest.New(t), OpsPublic: true})
	var h struct {
		Status string `json:"status"`
		Store  struct {
			Mode string `json:"mode"`
		} `json:"store"`
	}
	getJSON(t, base+"/healthz", 200, &h)
	if h.Status != "ok" || h.Store.Mode != "embedded" {
		t.Fatalf("healthz = %+v", h)
	}
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `code="2xx",method="GET",route="/healthz"} 1`) {
		t.Fatalf("/metrics: %d\n%s", res.StatusCode, b)
	}
}
