//go:build !unix

package gitrepo

// readNoFollow reads a small file without following a symbolic link at its
// last element; see readfile_unix.go for the contract.
func readNoFollow(name string, limit int64) ([]byte, fileKind, error) {
	return readPortable(name, limit)
}
