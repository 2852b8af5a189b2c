package main

import (
	"context"
	"strings"
	"testing"
)

// The demo data has no corroborating reports; a bad limit is a usage error naming the flag.
func TestDisagreementsCommand(t *testing.T) {
	dir := withDemo(t)
	var out strings.Builder
	if err := dispatch(context.Background(), []string{"disagreements", "--data", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "no disagreeing reports") {
		t.Errorf("output %q", out.String())
	}
	err := dispatch(context.Background(), []string{"disagreements", "--data", dir, "--limit", "0"}, &out)
	if err == nil || !strings.Contains(err.Error(), "--limit") {
		t.Errorf("--limit 0: %v", err)
	}
}
