package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hitwage/hitwage/internal/collect/mturk"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

const cliPage = `{"num_results":2,"total_num_results":2,"page_number":1,"results":[
 {"hit_set_id":"3CLITESTGROUP000000000000000A1","requester_id":"A9CLITESTREQ","requester_name":"CLI Lab",
  "title":"One","description":"","assignment_duration_in_seconds":600,"creation_time":"2026-11-24T10:00:00.000Z",
  "assignable_hits_count":5,"latest_expiration_time":null,"monetary_reward":{"currency_code":"USD","amount_in_dollars":0.75},
  "project_requirements":[]},
 {"hit_set_id":"3CLITESTGROUP000000000000000A2","requester_id":"A9CLITESTREQ","requester_name":"CLI Lab",
  "title":"Two","description":"","assignment_duration_in_seconds":60,"creation_time":"2026-11-24T10:00:00.000Z",
  "assignable_hits_count":1,"latest_expiration_time":null,"monetary_reward":{"currency_code":"USD","amount_in_dollars":0.05},
  "project_requirements":[]}]}`

func TestListingsOnce(t *testing.T) {
	var cookies atomic.Value
	cookies.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookies.Store(r.Header.Get("Cookie"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(cliPage))
	}))
	defer srv.Close()
	cookieFile := filepath.Join(t.TempDir(), "cookie")
	if err := os.WriteFile(cookieFile, []byte("session=cli-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := dispatch(context.Background(), []string{"listings", "--data", storetest.DataDir(t), "--base-url", srv.URL,
		"--pages", "2", "--requesters", "0", "--interval", "100ms", "--cookie-file", cookieFile, "--once"}, &out)
	if err != nil {
		t.Fatalf("listings: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "1 pages fetched, 2 groups seen, 2 new groups, 1 requesters, 0 errors") {
		t.Errorf("summary = %q", out.String())
	}
	if cookies.Load() != "session=cli-secret" {
		t.Errorf("cookie sent = %q", cookies.Load())
	}
	if strings.Contains(out.String(), "cli-secret") {
		t.Error("the cookie was printed")
	}
}

func TestListingsNothingFetchedFails(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer srv.Close()
	var out strings.Builder
	err := dispatch(context.Background(), []string{"listings", "--data", storetest.DataDir(t), "--base-url", srv.URL,
		"--pages", "1", "--requesters", "0", "--interval", "100ms", "--max-retries", "0"}, &out)
	if !errors.Is(err, mturk.ErrNothingFetched) || n.Load() != 1 {
		t.Errorf("err = %v after %d requests; want ErrNothingFetched after 1", err, n.Load())
	}
	if !strings.Contains(out.String(), "0 pages fetched") || !strings.Contains(out.String(), "1 errors") {
		t.Errorf("summary = %q", out.String())
	}
}

func TestListingsFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--once", "--every", "5m"}, "not both"},
		{[]string{"--every", "10s"}, "at least 1m"},
		{[]string{"--interval", "1ms"}, "interval"},
		{[]string{"--base-url", "ftp://x"}, "--base-url"},
		{[]string{"--page-size", "1000"}, "page_size"},
	} {
		args := append([]string{"listings", "--data", storetest.DataDir(t), "--base-url", "http://127.0.0.1:1"}, c.args...)
		err := dispatch(context.Background(), args, &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v; want %q", c.args, err, c.want)
		}
	}
}

// MTurk's worker site closed, so there is no default site: without --base-url or the config's
// base_url the command says which flag to give and why, before opening the store.
func TestListingsNeedABaseURL(t *testing.T) {
	err := dispatch(context.Background(), []string{"listings", "--clickhouse", "not-a-dsn", "--once"}, &strings.Builder{})
	if err == nil {
		t.Fatal("listings without a base URL ran")
	}
	for _, want := range []string{"--base-url", "base_url", "closed on 2026-09-30", "mirror or a saved copy"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// The config file's base_url is enough on its own.
func TestListingsBaseURLFromConfig(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(cliPage))
	}))
	defer srv.Close()
	conf := filepath.Join(t.TempDir(), "hitwage.yaml")
	yaml := "listings:\n  base_url: " + srv.URL + "\n  pages: 1\n  requesters: 0\n  interval: 100ms\n"
	if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := dispatch(context.Background(), []string{"listings", "--data", storetest.DataDir(t), "--config", conf, "--once"}, &out); err != nil {
		t.Fatalf("listings: %v\n%s", err, out.String())
	}
	if n.Load() != 1 || !strings.Contains(out.String(), "1 pages fetched, 2 groups seen") {
		t.Errorf("%d requests, summary %q", n.Load(), out.String())
	}
}
