package pagerows_test

import (
	"testing"

	"github.com/hitwage/hitwage/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
