//go:build !unix

package gitrepo

import "os"

// readNoFollow reads a small file without following a symbolic link at its
// last element; see readfile_unix.go for the contract.
func readNoFollow(name string, limit int64) ([]byte, fileKind, error) {
	return readPortable(name, limit)
}

// specialFile reports whether something other than a regular file or a
// directory stands at name, links followed.
func specialFile(name string) (bool, string) {
	st, err := os.Stat(name)
	if err != nil || st.Mode().IsRegular() || st.IsDir() {
		return false, ""
	}
	return true, st.Mode().Type().String()
}
