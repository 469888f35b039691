//go:build !unix

package recommend_test

import "time"

// processCPU is not measured on this system: the CPU figures read 0.
func processCPU() time.Duration { return 0 }

// peakRSS is not measured on this system: it reads 0.
func peakRSS() int64 { return 0 }
