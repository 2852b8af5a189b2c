package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		Stamp, Citation string
		Columns         []struct{ Name string }
	}
	meta, err := os.ReadFile(out + ".about.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(meta, &about); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(about.Stamp, "schema version") || about.Citation == "" || len(about.Columns) == 0 || about.Columns[0].Name != "reporter" {
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
		{[]string{"--dataset", "workers"}, "--dataset:"},
	} {
		err := dispatch(context.Background(), append([]string{"export", "--data", dir}, c.args...), &strings.Builder{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
}
