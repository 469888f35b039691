//go:build unix

package rusage

import (
	"runtime"
	"syscall"
	"time"
)

// CPU returns the CPU time (user and system) this process has used.
func CPU() time.Duration {
	return cpu(syscall.RUSAGE_SELF)
}

// CPUWithChildren returns the CPU time this process and its waited-for
// children (git processes, say) have used.
func CPUWithChildren() time.Duration {
	return cpu(syscall.RUSAGE_SELF) + cpu(syscall.RUSAGE_CHILDREN)
}

// PeakRSS returns the peak resident set size of this process in MiB.
func PeakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) >> 20 // bytes there
	}
	return int64(ru.Maxrss) >> 10 // kilobytes on Linux and the BSDs
}

func cpu(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
