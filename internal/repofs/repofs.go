// Package repofs is the read-only view of one repository's files that every
// extractor reads: Tree and File. It is low in the import graph so that the
// packages providing trees (gitrepo for a commit, safefs for a work tree)
// and the extractors consuming them share it without importing each other.
package repofs

import (
	"errors"
	"io/fs"
	"sort"
	"strings"
)

// ErrTooLarge is returned by Tree.ReadFile when a file exceeds the size the
// caller is willing to read.
var ErrTooLarge = errors.New("file too large")

// File is one entry of a repository's tree.
type File struct {
	// Path is slash-separated and relative to the repository root.
	Path string
	// Size is the blob size in bytes.
	Size int64
	// Symlink reports that the entry is a symbolic link; its content is the
	// link target. Symlinks are never followed.
	Symlink bool
	// Submodule reports a gitlink (a nested repository's commit); it has no content.
	Submodule bool
}

// Tree is a read-only view of a repository's files.
type Tree interface {
	// Files returns every entry, sorted by Path. The slice must not be modified.
	Files() []File
	// ReadFile returns the content of the file at path. It returns an error
	// wrapping ErrTooLarge if the file is larger than max bytes, and one
	// wrapping fs.ErrNotExist if there is no such regular file.
	ReadFile(path string, max int64) ([]byte, error)
}

// FilesReader is implemented by trees that read many files together faster
// than one at a time (gitrepo's: one request to its git process for many
// blobs).
type FilesReader interface {
	// ReadFiles calls fn with what ReadFile(paths[i], max) returns, for
	// each i in order. fn must not read from the tree.
	ReadFiles(paths []string, max int64, fn func(i int, data []byte, err error))
}

// ReadFiles calls fn with what t.ReadFile(paths[i], max) returns, for each
// i in order: through t's own ReadFiles when it is a FilesReader. fn must
// not read from t. Each content is fn's to keep or drop: a caller that
// drops them holds one file at a time.
func ReadFiles(t Tree, paths []string, max int64, fn func(i int, data []byte, err error)) {
	if r, ok := t.(FilesReader); ok {
		r.ReadFiles(paths, max, fn)
		return
	}
	for i, p := range paths {
		data, err := t.ReadFile(p, max)
		fn(i, data, err)
	}
}

// MemTree is a Tree held in memory, for tests and for small synthetic inputs.
type MemTree map[string]string

// Files implements Tree.
func (m MemTree) Files() []File {
	files := make([]File, 0, len(m))
	for p, c := range m {
		files = append(files, File{Path: p, Size: int64(len(c))})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// ReadFile implements Tree.
func (m MemTree) ReadFile(path string, max int64) ([]byte, error) {
	c, ok := m[path]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fs.ErrNotExist}
	}
	if int64(len(c)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
	}
	return []byte(c), nil
}

// Find returns the first file whose path matches one of the candidates,
// compared case-insensitively, trying candidates in order. It is how
// conventional files (README, CODEOWNERS) are located.
func Find(files []File, candidates ...string) (File, bool) {
	for _, c := range candidates {
		for _, f := range files {
			if !f.Symlink && !f.Submodule && strings.EqualFold(f.Path, c) {
				return f, true
			}
		}
	}
	return File{}, false
}
