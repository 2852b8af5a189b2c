package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/records"
	"github.com/hitwage/hitwage/internal/store"
	"github.com/hitwage/hitwage/internal/store/storetest"
	"github.com/hitwage/hitwage/internal/web"
)

// importFile writes two good records and a bad one (line 2) to a temporary NDJSON file.
func importFile(t *testing.T, tag string) string {
	t.Helper()
	lines := []string{
		`{"assignment_id":"3CLIASG` + tag + `000000000000000000001","requester_id":"A7CLIIMPORTREQ` + tag + `","title":"Survey","reward":"0.50","duration_seconds":300}`,
		`{"requester_id":"A7CLIIMPORTREQ` + tag + `","reward":"lots","duration_seconds":60}`,
		`{"assignment_id":"3CLIASG` + tag + `000000000000000000002","requester_id":"A7CLIIMPORTREQ` + tag + `","title":"Tags","reward":0.10,"duration_seconds":"1:30"}`,
	}
	name := filepath.Join(t.TempDir(), "history.ndjson")
	if err := os.WriteFile(name, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestImportCommand(t *testing.T) {
	dir := storetest.DataDir(t)
	file := importFile(t, "01")
	var out strings.Builder
	// A rejected row fails the command (a script must not think all went in); the good rows are stored.
	err := dispatch(context.Background(), []string{"import", "--data", dir, file}, &out)
	if err == nil {
		t.Fatalf("import of a file with a bad row succeeded\n%s", out.String())
	}
	if !strings.Contains(out.String(), "ndjson, 3 read, 2 stored, 0 duplicates, 1 rejected") || !strings.Contains(out.String(), "line 2: reward") {
		t.Errorf("report = %q", out.String())
	}
	// The same file again: its tasks are known.
	out.Reset()
	if err := dispatch(context.Background(), []string{"import", "--data", dir, file}, &out); err == nil {
		t.Fatalf("import again succeeded despite the bad row")
	}
	if !strings.Contains(out.String(), "3 read, 0 stored, 2 duplicates, 1 rejected") {
		t.Errorf("second report = %q", out.String())
	}
	// Bad flags are refused before any file is read.
	err = dispatch(context.Background(), []string{"import", "--data", dir, "--delimiter", "x", file}, &out)
	if err == nil || !strings.Contains(err.Error(), "--delimiter") {
		t.Errorf("bad delimiter: %v", err)
	}
}

func TestImportCommandAPI(t *testing.T) {
	s := storetest.New(t)
	h, err := records.NewHasher([]byte("collector-import-test-key"))
	if err != nil {
		t.Fatal(err)
	}
	site, secret := apiSite(t, s, h)
	file := importFile(t, "02")

	err = dispatch(context.Background(), []string{"import", "--api", site, "--token", "", file}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "--token") {
		t.Errorf("--api without a token: %v", err)
	}
	// The site owns the store: store flags are accepted and not used, even a bad DSN.
	var out strings.Builder
	err = dispatch(context.Background(), []string{"import", "--clickhouse", "not-a-dsn", "--api", site, "--token", secret, file}, &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 1 files failed") {
		t.Fatalf("import --api of a file with a bad row: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "3 read, 2 stored, 0 duplicates, 1 rejected") {
		t.Errorf("report = %q", out.String())
	}
	var n uint64
	if err := s.QueryRow(context.Background(), `SELECT count() FROM task_records FINAL WHERE requester_id = 'A7CLIIMPORTREQ02' AND source = 'api'`, nil, &n); err != nil || n != 2 {
		t.Errorf("%d records stored through the API (%v), want 2", n, err)
	}
}

// A Prolific participant's file: --platform names the platform of rows without a platform
// column, --currency their currency; a row naming its own keeps it. A bad row is reported with
// the file and line, a bad default before any file is read.
func TestImportCommandPlatform(t *testing.T) {
	dir := storetest.DataDir(t)
	lines := []string{
		"Researcher,Study,Submission,Reward,Time Taken,Status,Currency",
		"5f3c0a1b2c3d4e5f60718293,64a1b2c3d4e5f60718293a4b,65b2c3d4e5f60718293a4b01,£2.67,14:10,APPROVED,",
		"5f3c0a1b2c3d4e5f60718293,64a1b2c3d4e5f60718293a4b,65b2c3d4e5f60718293a4b02,$3.50,14:10,SCREENED OUT,USD",
		"5f3c0a1b2c3d4e5f60718293,64a1b2c3d4e5f60718293a4b,65b2c3d4e5f60718293a4b03,4.00,14:10,TIMED-OUT,EUR",
	}
	file := filepath.Join(t.TempDir(), "prolific.csv")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mapping := "Researcher=requester_id,Study=hit_set_id,Submission=assignment_id,Time Taken=duration_seconds"
	var out strings.Builder
	if err := dispatch(context.Background(), []string{"import", "--data", dir, "--map", mapping, "--platform", "prolific", file}, &out); err == nil {
		t.Fatalf("import of a file with a bad row succeeded\n%s", out.String())
	}
	if !strings.Contains(out.String(), file+": csv, 3 read, 2 stored, 0 duplicates, 1 rejected") ||
		!strings.Contains(out.String(), "line 4: currency is not a currency Prolific pays in: GBP or USD") {
		t.Errorf("report = %q", out.String())
	}
	for _, c := range []struct{ flags []string }{
		{[]string{"--platform", "toloka"}}, {[]string{"--currency", "EUR"}}, {[]string{"--platform", "prolific", "--currency", "gbp"}},
	} {
		args := append(append([]string{"import", "--data", dir}, c.flags...), file)
		err := dispatch(context.Background(), args, &out)
		if err == nil || !strings.Contains(err.Error(), c.flags[len(c.flags)-2]) {
			t.Errorf("%v: %v", c.flags, err)
		}
	}
}

// apiSite serves the real web app with the ingest API on loopback and returns its URL and the
// secret of a new token; site and service stop when the test ends.
func apiSite(t *testing.T, s *store.Store, h *records.Hasher) (string, string) {
	t.Helper()
	svc := ingest.NewService(s, h, ingest.Config{})
	secret, _, err := svc.Tokens.Create(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := web.New(web.Deps{Store: s, Version: "test", Ingest: svc})
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() {
		_ = app.ShutdownWithTimeout(5 * time.Second)
		_ = svc.Close(context.Background())
	})
	return "http://" + ln.Addr().String(), secret
}
