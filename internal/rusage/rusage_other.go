//go:build !unix

package rusage

import "time"

// CPU returns 0: the CPU time is not known here.
func CPU() time.Duration { return 0 }

// CPUWithChildren returns 0: the CPU time is not known here.
func CPUWithChildren() time.Duration { return 0 }

// PeakRSS returns 0: the peak memory is not known here.
func PeakRSS() int64 { return 0 }
