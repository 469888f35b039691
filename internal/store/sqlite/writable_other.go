//go:build !unix

package sqlite

import "os"

// writable reports whether path's permission bits allow writing.
func writable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().Perm()&0o200 != 0
}
