//go:build unix

package recommend_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the test process has
// used: on a loaded machine it says more about the work than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns the test process's peak resident set size in MiB.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) >> 10 // kilobytes on Linux
}
