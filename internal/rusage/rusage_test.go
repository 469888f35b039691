package rusage

import (
	"runtime"
	"testing"
)

// TestFigures checks that the figures move with work on unix, where the
// kernel keeps them: a CPU time that never grows would make every
// benchmark that prints it say nothing.
func TestFigures(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no rusage here")
	}
	before := CPU()
	for x := 0; CPU() == before; x++ { // spin until the clock ticks (a scheduler tick is a few ms)
		_ = x * x
	}
	after := CPU()
	with := CPUWithChildren() // read after: it counts at least what CPU did
	if after <= before || with < after {
		t.Errorf("CPU %v after %v, with children %v", after, before, with)
	}
	if PeakRSS() <= 0 {
		t.Errorf("peak RSS %d MiB", PeakRSS())
	}
}
