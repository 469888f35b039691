//go:build unix

package storetest

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) the process has used, to
// tell a benchmark's own cost from the wait for a busy machine's cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
