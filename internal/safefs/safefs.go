// Package safefs reads a directory on disk as an repofs.Tree without ever
// leaving it: every read goes through an os.Root, so a symlink or a ".."
// cannot reach outside, symlinks are listed but never followed, and the
// walk is bounded in depth and number of files.
//
// The catalogue reads committed trees from git (internal/gitrepo); safefs is
// for the commands that look at a checkout as it is on disk, such as an SBOM
// or a CI gate run on a work tree with uncommitted lockfiles.
package safefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"

	"github.com/ospo-project/ospo/internal/repofs"
)

// ErrNotRegular is wrapped by OpenRegular's error for anything at a path
// that is not a regular file: a symbolic link, a directory, a FIFO, a
// socket or a device.
var ErrNotRegular = errors.New("not a regular file")

// Options bound a walk. The zero value uses the defaults.
type Options struct {
	// MaxFiles caps the number of entries listed; 0 means 500,000.
	MaxFiles int
	// MaxDepth caps directory depth; 0 means 64.
	MaxDepth int
	// SkipDirs are directory names not descended into; nil means
	// DefaultSkipDirs.
	SkipDirs []string
}

// DefaultSkipDirs are never walked: git's own data and installed package
// trees, which hold other projects' files, not this one's.
var DefaultSkipDirs = []string{".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".gradle", ".terraform"}

// Tree is a directory on disk as an repofs.Tree. It holds an open
// directory handle: call Close when done. Its methods may be called from
// one goroutine at a time.
type Tree struct {
	root      *os.Root
	files     []repofs.File
	truncated bool
	problems  []string
}

// Open lists the directory dir. Unreadable subdirectories are skipped and
// reported by Problems; only an unreadable dir itself is an error.
func Open(dir string, opts Options) (*Tree, error) {
	if opts.MaxFiles == 0 {
		opts.MaxFiles = 500_000
	}
	if opts.MaxDepth == 0 {
		opts.MaxDepth = 64
	}
	if opts.SkipDirs == nil {
		opts.SkipDirs = DefaultSkipDirs
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	t := &Tree{root: root}
	skip := map[string]bool{}
	for _, s := range opts.SkipDirs {
		skip[s] = true
	}
	t.walk(".", 0, opts, skip)
	sort.Slice(t.files, func(i, j int) bool { return t.files[i].Path < t.files[j].Path })
	return t, nil
}

func (t *Tree) walk(dir string, depth int, opts Options, skip map[string]bool) {
	if depth > opts.MaxDepth {
		t.problems = append(t.problems, fmt.Sprintf("%s: deeper than %d levels, not read", dir, opts.MaxDepth))
		return
	}
	f, err := t.root.Open(dir)
	if err != nil {
		t.problems = append(t.problems, fmt.Sprintf("%s: %v", dir, err))
		return
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		t.problems = append(t.problems, fmt.Sprintf("%s: %v", dir, err))
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if len(t.files) >= opts.MaxFiles {
			t.truncated = true
			return
		}
		p := path.Join(dir, e.Name())
		switch mode := e.Type(); {
		case mode&fs.ModeSymlink != 0:
			t.files = append(t.files, repofs.File{Path: p, Symlink: true})
		case mode.IsDir():
			if !skip[e.Name()] {
				t.walk(p, depth+1, opts, skip)
			}
		case mode.IsRegular():
			info, err := e.Info()
			if err != nil {
				continue
			}
			t.files = append(t.files, repofs.File{Path: p, Size: info.Size()})
		}
		// Devices, sockets and FIFOs are not files a project is made of.
	}
}

// Files implements repofs.Tree.
func (t *Tree) Files() []repofs.File { return t.files }

// Truncated reports that the walk stopped at MaxFiles.
func (t *Tree) Truncated() bool { return t.truncated }

// Problems lists the directories that could not be read.
func (t *Tree) Problems() []string { return t.problems }

// ReadFile implements repofs.Tree. It refuses symlinks and anything that
// is not a regular file, and never reads more than max bytes.
func (t *Tree) ReadFile(name string, max int64) ([]byte, error) {
	info, err := t.root.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	if info.Size() > max {
		return nil, &fs.PathError{Op: "read", Path: name, Err: repofs.ErrTooLarge}
	}
	f, err := t.root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readAll(io.LimitReader(f, max+1), info.Size())
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max { // grew since Lstat
		return nil, &fs.PathError{Op: "read", Path: name, Err: repofs.ErrTooLarge}
	}
	return data, nil
}

// readAll is io.ReadAll into a buffer made for size bytes (the size Lstat
// gave) and one more, so that a file read whole is read without the
// growing and copying io.ReadAll does from 512 bytes up (a 300 KB
// lockfile: ten copies); a file that grew meanwhile still reads whole.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// Close releases the directory handle.
func (t *Tree) Close() error {
	if t.root == nil {
		return errors.New("safefs: close of unopened tree")
	}
	return t.root.Close()
}

var _ repofs.Tree = (*Tree)(nil)
