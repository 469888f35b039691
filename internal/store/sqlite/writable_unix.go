//go:build unix

package sqlite

import "syscall"

// writable reports whether this process may write path: permissions,
// read-only mounts and immutable files all count.
func writable(path string) bool {
	return syscall.Access(path, 0x2 /* W_OK */) == nil
}
