package store

import (
	"syscall"
	"unsafe"
)

// chDB installs handlers for the deadly signals, which would take SIGSEGV away from the Go
// runtime (a nil dereference would kill the process instead of panicking). We opt out with
// chdb_set_signal_handlers_enabled(0); that call resets those signals to SIG_DFL, so the Go
// runtime's own handlers are saved before it and put back after.
var deadlySignals = []syscall.Signal{syscall.SIGABRT, syscall.SIGSEGV, syscall.SIGILL, syscall.SIGBUS,
	syscall.SIGSYS, syscall.SIGFPE, syscall.SIGTSTP, syscall.SIGTRAP}

// kernelSigaction is the kernel's struct sigaction on linux/amd64 and arm64.
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

func keepGoSignalHandlers(call func()) {
	saved := make([]kernelSigaction, len(deadlySignals))
	ok := make([]bool, len(deadlySignals))
	for i, sig := range deadlySignals {
		_, _, e := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&saved[i])), 8, 0, 0)
		ok[i] = e == 0
	}
	call()
	for i, sig := range deadlySignals {
		if ok[i] {
			_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&saved[i])), 0, 8, 0, 0)
		}
	}
}
