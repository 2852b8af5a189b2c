package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/platform"
)

func TestExportCommand(t *testing.T) {
	dir := withDemo(t)
	out := filepath.Join(t.TempDir(), "records.parquet")
	var stdout strings.Builder
	if err := dispatch(context.Background(), []string{"export", "--data", dir, "--dataset", "records", "--format", "parquet", "--out", out}, &stdout); err != nil {
		t.Fatalf("export: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("PAR1")) || !bytes.HasSuffix(b, []byte("PAR1")) {
		t.Error("export file is not Parquet")
	}
	var about struct {
		Stamp, Citation, Weeks string
		Columns                []struct{ Name string }
	}
	meta, err := os.ReadFile(out + ".about.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(meta, &about); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(about.Stamp, "schema version") || about.Citation == "" || len(about.Columns) == 0 || about.Columns[0].Name != "reporter" ||
		about.Weeks != "all" || !strings.Contains(about.Stamp, "; weeks: all;") {
		t.Errorf("about file %s", meta)
	}
	if _, err := os.Stat(out + ".part"); !os.IsNotExist(err) {
		t.Error("partial file left behind")
	}

	var csv strings.Builder
	if err := dispatch(context.Background(), []string{"export", "--data", dir, "--dataset", "requesters", "--format", "csv"}, &csv); err != nil {
		t.Fatalf("export requesters: %v", err)
	}
	if !strings.HasPrefix(csv.String(), `"requester_id","requester_name","records","reporters"`) || strings.Count(csv.String(), "\n") < 2 {
		t.Errorf("requesters.csv:\n%.300s", csv.String())
	}
}

func TestExportCommandBadOptions(t *testing.T) {
	dir := withDemo(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--k", "2"}, "--k: 2 is not between 5"},
		{[]string{"--from", "last week"}, "--from:"},
		{[]string{"--format", "xlsx"}, "--format:"},
		{[]string{"--dataset", "people"}, "--dataset:"},
		{[]string{"--platform", "toloka"}, `--platform: "toloka" is not one of mturk, prolific`},
	} {
		err := dispatch(context.Background(), append([]string{"export", "--data", dir}, c.args...), &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
}

// TestExportCommandPlatform: --platform prolific exports Prolific's rows alone, with the platform's
// own ids and each row's platform and currency; the default (MTurk) export holds none of them.
func TestExportCommandPlatform(t *testing.T) {
	dir := withDemo(t)
	out := filepath.Join(t.TempDir(), "records.csv")
	var stdout strings.Builder
	if err := dispatch(context.Background(), []string{"export", "--data", dir, "--platform", "prolific", "--dataset", "records", "--out", out}, &stdout); err != nil {
		t.Fatalf("export: %v", err)
	}
	if !strings.HasPrefix(stdout.String(), "Prolific records export written to") {
		t.Errorf("stdout %q", stdout.String())
	}
	rows, err := csv.NewReader(mustOpen(t, out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("Prolific records export has %d rows", len(rows)-1)
	}
	head := strings.Join(rows[0], ",")
	if !strings.HasSuffix(head, ",flag,platform,currency,source_kind") {
		t.Fatalf("header %s", head)
	}
	for _, r := range rows[1:] {
		if id := r[1]; r[len(r)-3] != "prolific" || !platform.Get(platform.Prolific).ValidRequester(id) || (r[len(r)-2] != "GBP" && r[len(r)-2] != "USD") || r[len(r)-1] != "demo" {
			t.Fatalf("Prolific export row %v", r)
		}
	}
	var about struct{ Platform, Citation string }
	meta, err := os.ReadFile(out + ".about.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(meta, &about); err != nil || about.Platform != "prolific" || !strings.Contains(about.Citation, "Prolific") {
		t.Errorf("about %s (%v)", meta, err)
	}

	var mturk strings.Builder
	if err := dispatch(context.Background(), []string{"export", "--data", dir, "--dataset", "records", "--format", "ndjson"}, &mturk); err != nil {
		t.Fatalf("export: %v", err)
	}
	if strings.Contains(mturk.String(), `"platform":"prolific"`) || strings.Contains(mturk.String(), "GBP") {
		t.Error("the MTurk export holds Prolific rows")
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}
