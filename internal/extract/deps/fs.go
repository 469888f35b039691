package deps

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/repofs"
)

// treeFS is a read-only fs.FS over an repofs.Tree, shaped as scalibr's
// scalibrfs.FS (fs.FS, fs.ReadDirFS, fs.StatFS). Scalibr extractors use it to
// read sibling files (a pom.xml's parent, a requirements file's -r includes,
// go.sum beside go.mod).
//
// Only regular files are visible as files. Symbolic links are listed by
// ReadDir with fs.ModeSymlink but cannot be opened or followed, and
// submodules are not listed. Every read is capped at maxRead bytes; a larger
// file fails to open with an error wrapping repofs.ErrTooLarge. Paths must
// be valid fs paths (slash-separated, relative, no "..": fs.ValidPath), so
// nothing outside the tree can be named.
//
// A treeFS is safe for concurrent use if its Tree is.
type treeFS struct {
	tree    repofs.Tree
	maxRead int64
	files   map[string]repofs.File
	dirs    map[string][]fs.DirEntry // directory path ("." for the root) → sorted entries
}

// newTreeFS indexes the tree's listing (files, as returned by t.Files()).
// Reading a file's content is deferred until it is opened.
func newTreeFS(t repofs.Tree, files []repofs.File, maxRead int64) *treeFS {
	tf := &treeFS{tree: t, maxRead: maxRead, files: make(map[string]repofs.File, len(files)), dirs: map[string][]fs.DirEntry{".": nil}}
	seenDir := map[string]bool{".": true}
	for _, f := range files {
		if f.Submodule || !fs.ValidPath(f.Path) || f.Path == "." {
			continue
		}
		tf.files[f.Path] = f
		tf.dirs[parentDir(f.Path)] = append(tf.dirs[parentDir(f.Path)], fileEntry{f: f})
		// Record every ancestor directory, once.
		for d := parentDir(f.Path); d != "." && !seenDir[d]; d = parentDir(d) {
			seenDir[d] = true
			if _, ok := tf.dirs[d]; !ok {
				tf.dirs[d] = nil
			}
			tf.dirs[parentDir(d)] = append(tf.dirs[parentDir(d)], dirEntry{name: path.Base(d)})
		}
	}
	for d, es := range tf.dirs {
		sort.Slice(es, func(i, j int) bool { return es[i].Name() < es[j].Name() })
		tf.dirs[d] = es
	}
	return tf
}

func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

// Open implements fs.FS.
func (tf *treeFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if es, ok := tf.dirs[name]; ok {
		return &openDir{info: dirInfo{name: path.Base(name)}, entries: es}, nil
	}
	f, ok := tf.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.Symlink {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errSymlink}
	}
	data, err := tf.tree.ReadFile(name, tf.maxRead)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &openFile{info: fileInfo{f: f, size: int64(len(data))}, r: bytes.NewReader(data)}, nil
}

// errSymlink is returned when a symbolic link is opened: links are never
// followed.
var errSymlink = errors.New("symbolic link not followed")

// ReadDir implements fs.ReadDirFS.
func (tf *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	es, ok := tf.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return append([]fs.DirEntry(nil), es...), nil
}

// Stat implements fs.StatFS. It describes a symbolic link itself.
func (tf *treeFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if _, ok := tf.dirs[name]; ok {
		return dirInfo{name: path.Base(name)}, nil
	}
	if f, ok := tf.files[name]; ok {
		return fileInfo{f: f, size: f.Size}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// readFile returns a regular file's content, capped at max bytes (and at the
// treeFS cap).
func (tf *treeFS) readFile(name string, max int64) ([]byte, error) {
	f, ok := tf.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	if f.Symlink {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errSymlink}
	}
	if max > tf.maxRead {
		max = tf.maxRead
	}
	return tf.tree.ReadFile(name, max)
}

// exists reports whether a regular file exists at name.
func (tf *treeFS) exists(name string) bool {
	f, ok := tf.files[name]
	return ok && !f.Symlink
}

type fileInfo struct {
	f    repofs.File
	size int64
}

func (i fileInfo) Name() string { return path.Base(i.f.Path) }
func (i fileInfo) Size() int64  { return i.size }
func (i fileInfo) Mode() fs.FileMode {
	if i.f.Symlink {
		return fs.ModeSymlink | 0o777
	}
	return 0o444
}
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }

type dirInfo struct{ name string }

func (i dirInfo) Name() string       { return i.name }
func (i dirInfo) Size() int64        { return 0 }
func (i dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (i dirInfo) ModTime() time.Time { return time.Time{} }
func (i dirInfo) IsDir() bool        { return true }
func (i dirInfo) Sys() any           { return nil }

type fileEntry struct{ f repofs.File }

func (e fileEntry) Name() string               { return path.Base(e.f.Path) }
func (e fileEntry) IsDir() bool                { return false }
func (e fileEntry) Type() fs.FileMode          { return fileInfo{f: e.f}.Mode().Type() }
func (e fileEntry) Info() (fs.FileInfo, error) { return fileInfo{f: e.f, size: e.f.Size}, nil }

type dirEntry struct{ name string }

func (e dirEntry) Name() string               { return e.name }
func (e dirEntry) IsDir() bool                { return true }
func (e dirEntry) Type() fs.FileMode          { return fs.ModeDir }
func (e dirEntry) Info() (fs.FileInfo, error) { return dirInfo(e), nil }

// openFile is an open regular file. It implements io.ReaderAt and io.Seeker
// too, which some extractors use.
type openFile struct {
	info fileInfo
	r    *bytes.Reader
}

func (f *openFile) Stat() (fs.FileInfo, error)                { return f.info, nil }
func (f *openFile) Read(p []byte) (int, error)                { return f.r.Read(p) }
func (f *openFile) ReadAt(p []byte, off int64) (int, error)   { return f.r.ReadAt(p, off) }
func (f *openFile) Seek(off int64, whence int) (int64, error) { return f.r.Seek(off, whence) }
func (f *openFile) Close() error                              { return nil }

// openDir is an open directory.
type openDir struct {
	info    dirInfo
	entries []fs.DirEntry
	off     int
}

func (d *openDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *openDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}
func (d *openDir) Close() error { return nil }

// ReadDir implements fs.ReadDirFile.
func (d *openDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return append([]fs.DirEntry(nil), rest...), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	if n > len(rest) {
		n = len(rest)
	}
	d.off += n
	return append([]fs.DirEntry(nil), rest[:n]...), nil
}
