//go:build !unix

package cli

import "time"

// cpuUsed is not measured on this system: it returns 0.
func cpuUsed() time.Duration { return 0 }
