//go:build !unix

package safefs

import (
	"io/fs"
	"os"
)

// OpenRegular opens name for reading only if it is a regular file and not a
// symbolic link. On this system the check (Lstat) and the open are two
// steps.
func OpenRegular(name string) (*os.File, error) {
	st, err := os.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	return os.Open(name)
}
