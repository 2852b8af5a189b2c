package store

import (
	"fmt"
	"os"
	"syscall"
)

// detachStdin points file descriptor 0 at /dev/null when it is a pipe or a file. chDB reads the
// host process's stdin as external data for every INSERT (chdb-io/chdb-core#239): with a pipe on
// stdin (`echo x | collector migrate`, `docker run -i`, a CI runner) each INSERT failed with
// "Processing async inserts with both inlined and external data", and with async inserts off the
// engine would have inserted whatever stdin held. Neither hitwage binary reads stdin; a
// terminal is left alone.
func detachStdin() error {
	var st syscall.Stat_t
	if err := syscall.Fstat(0, &st); err != nil {
		return nil // no stdin at all: nothing for the engine to read
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFCHR {
		return nil // a terminal or /dev/null
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		return fmt.Errorf("store: detach stdin from the embedded engine: %w", err)
	}
	defer null.Close()
	if err := syscall.Dup3(int(null.Fd()), 0, 0); err != nil {
		return fmt.Errorf("store: detach stdin from the embedded engine: %w", err)
	}
	return nil
}
