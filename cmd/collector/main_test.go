package main

import (
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

// TestMain shares one embedded engine among the package's tests (chDB allows one data
// directory per process) and removes it afterwards.
func TestMain(m *testing.M) { storetest.Main(m) }
