package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// This file serves the history of a repository whose HEAD is a root commit
// (a single-commit history: a squashed mirror, an import, a repository made
// from a template) without a `git log` process: what git log's --numstat
// would print for that commit, every file added whole, is counted from the
// tree's blobs through the cat-file process the Tree already runs. The
// package gitlog turns it into the Result Mine would give; package analyze
// decides when to use it.

// bigFileThreshold is git's default core.bigFileThreshold: larger blobs are
// binary to git's diff without being read. A repository that sets it falls
// back to git (see PlainLog).
const bigFileThreshold = 512 << 20

// firstFewBytes is how much of a blob git's buffer_is_binary looks at for a
// NUL byte.
const firstFewBytes = 8000

// Added is what git's diff of a root commit counts for one file of its tree:
// the file added whole.
type Added struct {
	// Binary reports that git's diff sees a binary file ("-" counts): a
	// NUL byte in its first 8000 bytes, or more than 512 MiB.
	Binary bool
	// Lines is the number of lines added: the newlines, plus one when the
	// content does not end with one. A submodule adds one line ("Subproject
	// commit <id>").
	Lines int64
}

// CommitObject returns the raw commit object of the tree's commit, read
// with the listing or through the tree's cat-file process.
func (t *Tree) CommitObject() ([]byte, error) {
	if t.commitData != nil {
		return t.commitData, nil
	}
	data, err := t.readObject(t.commit, "commit", maxCommitObject)
	if err != nil {
		return nil, fmt.Errorf("read commit %s in %s: %w", t.commit, t.gitDir, err)
	}
	return data, nil
}

// Mode returns the mode git's diff shows for entry i of Files: 100644 for a
// regular file (the executable bit is not kept by the listing), 120000 for
// a symbolic link, 160000 for a submodule.
func (t *Tree) Mode(i int) uint32 {
	switch f := t.files[i]; {
	case f.Submodule:
		return modeGitlink
	case f.Symlink:
		return modeSymlink
	}
	return modeFile | 0o644
}

// AddedLines returns, for each entry of Files in order, what git's diff of
// the tree against nothing (a root commit) counts: lines added, or binary.
// Blobs are streamed through the tree's cat-file process and counted, never
// held. It fails when the listing is not the whole tree in git's order
// (Truncated, Skipped, or a hostile tree whose entries were out of order or
// repeated), when a blob is missing, or when cat-file fails.
func (t *Tree) AddedLines() ([]Added, error) {
	switch {
	case t.truncated:
		return nil, errors.New("the tree listing is truncated")
	case t.skipped > 0:
		return nil, errors.New("the tree listing skipped entries")
	case t.reordered:
		return nil, errors.New("the tree's entries are not in git's order")
	case len(t.missing) > 0:
		return nil, errors.New("the tree has blobs missing from the object store")
	}
	for i := 1; i < len(t.files); i++ {
		if t.files[i-1].Path >= t.files[i].Path {
			return nil, errors.New("the tree lists a path twice")
		}
	}
	out := make([]Added, len(t.files))
	var oids []string
	var index []int
	for i, f := range t.files {
		switch {
		case f.Submodule:
			out[i].Lines = 1
		case f.Size > bigFileThreshold:
			out[i].Binary = true
		case f.Size == 0:
		default:
			oids = append(oids, t.oidHex(i))
			index = append(index, i)
		}
	}
	if len(oids) == 0 {
		return out, nil
	}
	err := t.withCatFile(func(c *catFile) error {
		return c.countEach(oids, func(j int, a Added) { out[index[j]] = a })
	})
	if err != nil {
		return nil, fmt.Errorf("count lines of %s in %s: %w", t.commit, t.gitDir, err)
	}
	return out, nil
}

// countEach asks for the contents of the blobs oids, at most
// maxRequestBytes of commands at a time, and calls fn with what git's diff
// counts of each (see Added), in the order of oids, streaming the contents.
// Any failure, a missing blob included, is returned and ends the count.
func (c *catFile) countEach(oids []string, fn func(i int, a Added)) error {
	buf := make([]byte, 64<<10)
	for start := 0; start < len(oids); {
		end, n := start, 0
		for end < len(oids) && (end == start || n+len("contents \n")+len(oids[end]) <= maxRequestBytes) {
			c.request(oids[end])
			n += len("contents \n") + len(oids[end])
			end++
		}
		if c.command {
			c.w.WriteString("flush\n")
		}
		if err := c.flush(); err != nil {
			return c.broken(err)
		}
		for i := start; i < end; i++ {
			a, err := c.count(oids[i], buf)
			if err != nil {
				// The answers still pending are not read: the stream is
				// out of step from here.
				return &protocolError{err}
			}
			fn(i, a)
		}
		start = end
	}
	return nil
}

// count reads the answer to the request of blob oid and counts its lines.
func (c *catFile) count(oid string, buf []byte) (Added, error) {
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return Added{}, err
	}
	fields := strings.Fields(string(line))
	switch {
	case len(fields) == 2 && fields[0] == oid && fields[1] == "missing":
		return Added{}, missingError{oid}
	case len(fields) != 3 || fields[0] != oid || fields[1] != "blob":
		return Added{}, fmt.Errorf("unexpected answer %q", line)
	}
	size, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return Added{}, fmt.Errorf("unexpected answer %q", line)
	}
	var a Added
	var last byte
	for read := int64(0); read < size; {
		chunk := buf[:min(int64(len(buf)), size-read)]
		if _, err := io.ReadFull(c.r, chunk); err != nil {
			return Added{}, err
		}
		if read < firstFewBytes && bytes.IndexByte(chunk[:min(int64(len(chunk)), firstFewBytes-read)], 0) >= 0 {
			a.Binary = true
		}
		a.Lines += int64(bytes.Count(chunk, []byte{'\n'}))
		last = chunk[len(chunk)-1]
		read += int64(len(chunk))
	}
	if nl, err := c.r.ReadByte(); err != nil || nl != '\n' {
		return Added{}, fmt.Errorf("object %s not followed by a newline", oid)
	}
	if size > 0 && last != '\n' {
		a.Lines++
	}
	if a.Binary {
		a.Lines = 0
	}
	return a, nil
}

// PlainLog returns nil when `git log` run in r.Dir shows the commit of t
// (HEAD, t listed whole) exactly as the commit object and the tree's blobs
// say, and otherwise why not. Anything through which git could show it
// otherwise makes it decline: a mailmap (a .mailmap in the work tree, or in
// the tree, which a bare repository reads), attributes (a .gitattributes
// in the tree, in the work tree along the tree's directories or in the
// index, $GIT_DIR/info/attributes), grafts, a shallow clone, a split index,
// a linked work tree, and any config setting outside a short list known
// not to change git log's output. With a submodule in the tree, a
// .gitmodules (which can make git ignore it) declines too. Checks err on
// the side of declining: a file that cannot be read declines.
func (r *Repo) PlainLog(t *Tree) error {
	if r.GitDir != r.CommonDir {
		return errors.New("a linked work tree")
	}
	if !r.Bare {
		// git log runs in Dir: it must be the work tree's root, where git
		// finds the .git entry (not the git directory itself).
		if _, err := os.Lstat(filepath.Join(r.Dir, ".git")); err != nil {
			return errors.New("not run from the work tree's root")
		}
	}
	if err := plainConfig(filepath.Join(r.CommonDir, "config"), r.Bare); err != nil {
		return err
	}
	for _, name := range []string{"info/attributes", "info/grafts", "shallow"} {
		if err := absent(filepath.Join(r.GitDir, filepath.FromSlash(name))); err != nil {
			return err
		}
	}
	if m, err := filepath.Glob(filepath.Join(r.GitDir, "sharedindex.*")); err != nil || len(m) > 0 {
		return errors.New("a split index")
	}

	submodules := false
	dirs := map[string]bool{"": true}
	for _, f := range t.files {
		if f.Submodule {
			submodules = true
		}
		if f.Path == ".mailmap" {
			return errors.New("a .mailmap in the tree")
		}
		for _, comp := range strings.Split(f.Path, "/") {
			if comp == ".gitattributes" {
				return errors.New("a .gitattributes in the tree")
			}
		}
		for d := path.Dir(f.Path); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	if submodules && t.has(".gitmodules") {
		return errors.New("a .gitmodules in the tree, with submodules")
	}
	if r.Bare {
		return nil
	}

	if err := absent(filepath.Join(r.WorkTree, ".mailmap")); err != nil {
		return err
	}
	if submodules {
		if err := absent(filepath.Join(r.WorkTree, ".gitmodules")); err != nil {
			return err
		}
	}
	for d := range dirs {
		if err := absent(filepath.Join(r.WorkTree, filepath.FromSlash(d), ".gitattributes")); err != nil {
			return err
		}
	}
	// The index is not parsed: a version 4 index shares path prefixes
	// between entries, so any mention of the names declines.
	index, err := readSmall(filepath.Join(r.GitDir, "index"), maxIndexFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("the index: %w", err)
	case bytes.Contains(index, []byte("attributes")):
		return errors.New("the index may hold a .gitattributes")
	case submodules && bytes.Contains(index, []byte("gitmodules")):
		return errors.New("the index may hold a .gitmodules")
	}
	return nil
}

// maxIndexFile bounds the index PlainLog reads; a larger one declines.
const maxIndexFile = 32 << 20

// has reports whether the tree lists path.
func (t *Tree) has(p string) bool {
	for _, f := range t.files {
		if f.Path == p {
			return true
		}
	}
	return false
}

// absent returns nil when nothing exists at name, and otherwise says what.
func absent(name string) error {
	_, err := os.Lstat(name)
	switch {
	case err == nil:
		return fmt.Errorf("%s exists", name)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	}
	return err
}

// plainConfig returns nil when the config file at name (absent is fine) sets
// nothing but the variables plainConfigVar accepts, settings that do not
// change what git log shows, and does not set core.bare against bare (a
// git directory that says it is not bare has git look for a mailmap and
// attributes in the directory git runs in).
func plainConfig(name string, bare bool) error {
	data, err := readSmall(name, maxConfigFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("the config: %w", err)
	}
	entries, includes, err := parseConfig(data)
	switch {
	case err != nil:
		return fmt.Errorf("the config: %w", err)
	case includes:
		return errors.New("the config includes other files")
	}
	for _, e := range entries {
		if e.section == "core" && e.key == "bare" && e.value != map[bool]string{true: "true", false: "false"}[bare] {
			return fmt.Errorf("the config sets core.bare to %q", e.value)
		}
		if !plainConfigVar(e) {
			return fmt.Errorf("the config sets %s.%s", e.section, e.key)
		}
	}
	return nil
}

// plainConfigVar reports whether a config variable leaves git log's output
// alone: whole sections about remotes, branches and maintenance, and the
// core variables git init and clone write.
func plainConfigVar(e configEntry) bool {
	switch e.section {
	case "remote", "branch", "user", "gc", "pack", "fetch", "pull", "push", "receive",
		"http", "lfs", "init", "maintenance", "advice", "transfer", "uploadpack":
		return true
	case "core":
		switch e.key {
		case "repositoryformatversion", "filemode", "bare", "logallrefupdates", "ignorecase",
			"precomposeunicode", "symlinks", "autocrlf", "eol", "safecrlf", "sharedrepository":
			return true
		}
	case "extensions":
		switch e.key {
		case "objectformat", "refstorage":
			return true
		}
	}
	return false
}
