//go:build unix

package cli

import (
	"syscall"
	"time"
)

// cpuUsed returns the CPU time (user + system) used so far by this process
// and by its waited-for children (git), for benchmarks on a busy machine,
// where wall time measures the wait for a core as much as the work.
func cpuUsed() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
