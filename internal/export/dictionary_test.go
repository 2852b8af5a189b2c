package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/export"
	"github.com/hitwage/hitwage/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite docs/data-dictionary.md")

// TestDictionaryDoc keeps docs/data-dictionary.md equal to the dictionary the API serves.
func TestDictionaryDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "data-dictionary.md")
	got := export.DictionaryMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Error("docs/data-dictionary.md is out of date: go test ./internal/export -run TestDictionaryDoc -update")
	}
}

// TestDictionaryColumns checks that every export's header names the dictionary's columns in order,
// even on an empty store.
func TestDictionaryColumns(t *testing.T) {
	s := storetest.New(t)
	e := &export.Exporter{Store: s, Revision: "test"}
	for _, d := range export.Datasets {
		body := run(t, e, export.Options{Dataset: d.Name, Format: "csv"})
		if len(body) == 0 {
			t.Errorf("%s.csv on an empty store is empty; want its header", d.Name)
			continue
		}
		head, err := csv.NewReader(bytes.NewReader(body)).Read()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, c := range d.Columns {
			want = append(want, c.Name)
		}
		if strings.Join(head, ",") != strings.Join(want, ",") {
			t.Errorf("%s.csv header %v, dictionary %v", d.Name, head, want)
		}
	}
}

func TestOptionsCheck(t *testing.T) {
	e := &export.Exporter{Store: storetest.New(t)}
	for _, c := range []struct {
		o    export.Options
		want string
	}{
		{export.Options{Dataset: "people", Format: "csv"}, "dataset"},
		{export.Options{Dataset: "records", Format: "xlsx"}, "format"},
		{export.Options{Dataset: "records", Format: "csv", K: 3}, "k: 3"},
	} {
		if _, err := e.About(context.Background(), &c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", c.o, err, c.want)
		}
	}
}
