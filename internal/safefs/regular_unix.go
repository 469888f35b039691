//go:build unix

package safefs

import (
	"io/fs"
	"os"
	"syscall"
)

// OpenRegular opens name for reading only if it is a regular file. It does
// not follow a symbolic link at the last element of name and does not block
// on a FIFO or a device: the file is opened with O_NOFOLLOW|O_NONBLOCK and
// checked with fstat before anything is read, so a hostile repository that
// plants a FIFO where a file is expected cannot make the read hang. The error
// wraps ErrNotRegular for a link, a directory or a special file, and
// fs.ErrNotExist when there is nothing at name.
func OpenRegular(name string) (*os.File, error) {
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
	case syscall.ELOOP, syscall.EMLINK: // EMLINK: FreeBSD's answer to O_NOFOLLOW
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	default:
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if uint32(st.Mode)&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	return os.NewFile(uintptr(fd), name), nil
}
