package scan

import "time"

// SetSaveWait sets how long Save lets a batch wait for more projects, for
// a test, and returns a function restoring it.
func SetSaveWait(d time.Duration) (restore func()) {
	old := saveWait
	saveWait = d
	return func() { saveWait = old }
}
