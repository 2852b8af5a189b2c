package export_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hitwage/hitwage/internal/export"
)

// An export of the demo data says so in its stamp and citation; a real one does not.
func TestDemoExportIsLabelled(t *testing.T) {
	ctx := context.Background()
	s, _ := crafted(t)
	e := &export.Exporter{Store: s, Revision: "test"}
	o := export.Options{Dataset: "records", Format: "csv"}
	a, err := e.About(ctx, &o)
	if err != nil || a.Demo || strings.Contains(a.Stamp, "DEMO") {
		t.Fatalf("real data: %+v %v", a, err)
	}
	if err := s.SetMeta(ctx, "demo", "1"); err != nil {
		t.Fatal(err)
	}
	o = export.Options{Dataset: "records", Format: "csv"}
	a, err = e.About(ctx, &o)
	if err != nil || !a.Demo || !strings.HasPrefix(a.Stamp, export.DemoLabel) || !strings.Contains(a.Citation, export.DemoLabel) {
		t.Errorf("demo data: %+v %v", a, err)
	}
}
