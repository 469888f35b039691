//go:build unix

package gitrepo

import (
	"io/fs"
	"syscall"
)

// readNoFollow reads a small file without following a symbolic link at its
// last element and without blocking on a FIFO: one open (O_NOFOLLOW,
// O_NONBLOCK), one fstat, the reads and a close, with no Lstat race and none
// of the os package's poller set-up. Head's speed is mostly this function.
//
// It reports what stands at name; data is read only for a regular file of at
// most limit bytes (a larger one is an error wrapping errTooBig). A missing
// file, or a path through a non-directory, is kindMissing with a nil error.
func readNoFollow(name string, limit int64) ([]byte, fileKind, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	switch err {
	case nil:
	case syscall.ENOENT, syscall.ENOTDIR:
		return nil, kindMissing, nil
	case syscall.ELOOP, syscall.EMLINK: // EMLINK: FreeBSD's answer to O_NOFOLLOW
		return nil, kindSymlink, nil
	default:
		return nil, kindMissing, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, kindMissing, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	switch uint32(st.Mode) & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		return nil, kindDir, nil
	default:
		return nil, kindOther, nil
	}
	if st.Size > limit {
		return nil, kindRegular, &fs.PathError{Op: "read", Path: name, Err: errTooBig}
	}
	buf := make([]byte, st.Size)
	n := 0
	for n < len(buf) {
		k, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR || err == syscall.EAGAIN {
			continue
		}
		if err != nil {
			return nil, kindRegular, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if k == 0 {
			break // the file shrank since fstat
		}
		n += k
	}
	return buf[:n], kindRegular, nil
}

// specialFile reports whether something other than a regular file or a
// directory stands at name, links followed: a FIFO, socket or device. It
// is one stat system call without allocation, as Open runs it on several
// files of every repository.
func specialFile(name string) (bool, string) {
	var st syscall.Stat_t
	if err := syscall.Stat(name, &st); err != nil {
		return false, "" // missing (or unreadable, which git reports itself)
	}
	switch uint32(st.Mode) & syscall.S_IFMT {
	case syscall.S_IFREG, syscall.S_IFDIR:
		return false, ""
	case syscall.S_IFIFO:
		return true, "a FIFO"
	case syscall.S_IFSOCK:
		return true, "a socket"
	default:
		return true, "a device"
	}
}
