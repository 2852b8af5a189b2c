package web_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/hitwage/hitwage/internal/schedule"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

// A scheduled job that panics leaves the site serving, and /healthz names the panic as the job's
// last error.
func TestHealthzShowsJobPanic(t *testing.T) {
	sched := schedule.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	job := schedule.Job{Name: "report-weekly", Spec: "0 6 * * 1", Run: func(context.Context) error { panic("nil map") }}
	if err := sched.Add(job); err != nil {
		t.Fatal(err)
	}
	sched.RunNow(job)
	base := serveDeps(t, web.Deps{Store: storetest.New(t), Scheduler: sched})
	var h struct {
		Status string `json:"status"`
		Jobs   []struct {
			Name      string `json:"name"`
			Runs      int    `json:"runs"`
			Running   bool   `json:"running"`
			LastError string `json:"last_error"`
		} `json:"jobs"`
	}
	getJSON(t, base+"/healthz", 200, &h)
	if h.Status != "ok" || len(h.Jobs) != 1 || h.Jobs[0].Name != "report-weekly" || h.Jobs[0].Runs != 1 || h.Jobs[0].Running ||
		h.Jobs[0].LastError != "panic: nil map" {
		t.Fatalf("healthz = %+v", h)
	}
}
