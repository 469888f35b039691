package gitrepo

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/ospo-project/ospo/internal/repofs"
)

// Limits of the tree walk through cat-file (see Repo.walkTree).
const (
	// maxTreeDepth is how deep trees are followed; a deeper tree is an
	// error, as in git since 2.43 (core.maxTreeDepth, 4096 by default).
	maxTreeDepth = 4096
	// maxTreeObject is the largest tree object read (a directory of about
	// a million entries); a larger one is an error.
	maxTreeObject = 64 << 20
	// maxTreeHeld bounds the tree objects held at once: those of the
	// directories from the root to the one being read.
	maxTreeHeld = 256 << 20
	// cacheBudget bounds the bytes of tree objects kept for the whole walk
	// (see walker.keep).
	cacheBudget = 32 << 20
	// maxRequestBytes is how many bytes of commands are sent before their
	// answers are read: less than a pipe holds on any system (one page),
	// so git, blocked on writing answers we do not read yet, has read
	// every command we sent and we never block writing them.
	maxRequestBytes = 4000
)

// maxUnkept bounds the entries walked past without being kept (subtrees,
// and entries skipped for their path): a hostile tree that refers to the
// same subtree again and again would otherwise have the walk go on for
// ever. Beyond it the listing is Truncated. A variable for tests.
var maxUnkept = 1 << 20

// Modes of tree entries, as git's canon_mode makes them (octal).
const (
	modeTypeMask = 0o170000
	modeFile     = 0o100000
	modeSymlink  = 0o120000
	modeDir      = 0o040000
	modeGitlink  = 0o160000
)

// useLsTree is set once git has refused "cat-file --batch-command" (git
// before 2.36): from then on, trees are listed by git ls-tree and blobs read
// by "cat-file --batch", as before. Tests set it to run both paths.
var useLsTree atomic.Bool

// errNoBatchCommand is returned by walkTree when git does not know
// "cat-file --batch-command".
var errNoBatchCommand = errors.New("git cat-file does not support --batch-command (git older than 2.36)")

// errWalkTruncated stops the walk at the first entry beyond a limit.
var errWalkTruncated = errors.New("truncated")

// walkTree lists t.commit's tree through a "git cat-file --batch-command"
// process, which t keeps for ReadFile and CommitDate: the commit object,
// then each tree object in turn (read and decoded here, as git's tree walker
// does), then the sizes of the blobs kept ("info" commands, in batches).
//
// The listing is exactly git ls-tree -r -l --full-tree's, parsed by
// Tree.parse: the same entries in the same (depth-first, tree object) order,
// modes made canonical as git does, the same entries skipped for their path,
// the same cut at opts.MaxFiles or opts.MaxPathBytes, and a blob missing
// from the object store listed with Size 0 and marked missing. A tree object
// git would refuse to decode (malformed mode, empty name, truncated entry),
// a missing tree or a tree entry naming something else than a tree is an
// error. Unlike ls-tree, the walk is bounded: trees deeper than 4096 levels
// are an error, and a tree that makes the walk pass more than 2^20 entries it
// does not keep is Truncated. Tree objects are kept for the walk (up to 32
// MiB of them), so a tree appearing in many places is read from git once.
//
// It returns errNoBatchCommand when git is too old for --batch-command.
func (r *Repo) walkTree(t *Tree, opts TreeOptions) error {
	c, err := startCatFile(t.ctx, r.GitDir, true)
	if err != nil {
		return err
	}
	t.cat = c
	w := walker{t: t, c: c, opts: opts, hashLen: len(t.commit) / 2}
	t.hashLen = w.hashLen
	root, err := w.rootTree()
	var pe *protocolError
	if errors.As(err, &pe) && c.refused() {
		return errNoBatchCommand
	}
	if err != nil {
		return err
	}
	switch err := w.tree(root, 0, false); {
	case errors.Is(err, errWalkTruncated):
		t.truncated = true
	case err != nil:
		return err
	}
	w.arena.flush(t.files)
	return w.sizes()
}

// walker is the state of one walkTree.
type walker struct {
	t       *Tree
	c       *catFile
	opts    TreeOptions
	hashLen int

	arena     pathArena
	path      []byte // the directory being read, with a trailing slash (empty at the root)
	pathBytes int64
	held      int               // bytes of tree objects held along w.path, out of the cache
	cache     map[string][]byte // tree objects by id in hex (see keep)
	cached    int               // bytes in cache
	unkept    int
}

// rootTree returns the object id of the tree of w.t.commit, found by git
// as "<commit>^{tree}": git peels a tag or a commit (refusing a malformed
// one) exactly as ls-tree does. The commit object, asked for in the same
// round trip, is kept for CommitDate.
func (w *walker) rootTree() ([]byte, error) {
	c, name := w.c, w.t.commit+"^{tree}"
	c.w.WriteString("info " + name + "\n")
	c.request(w.t.commit)
	c.w.WriteString("flush\n")
	if err := c.flush(); err != nil {
		return nil, c.broken(err)
	}
	typ, _, oid, err := c.infoAnswer()
	if err != nil {
		return nil, err
	}
	data, err := c.answer(w.t.commit, "commit", maxCommitObject)
	var pe *protocolError
	switch {
	case errors.As(err, &pe):
		return nil, err
	case err == nil:
		w.t.commitData = data
	}
	switch {
	case typ == "missing":
		return nil, fmt.Errorf("%s is missing, or is not a commit, a tag or a tree, or is malformed", w.t.commit)
	case typ != "tree" || len(oid) != 2*w.hashLen:
		return nil, fmt.Errorf("%s: unexpected answer %s %s", name, oid, typ)
	}
	b := make([]byte, w.hashLen)
	if _, err := hex.Decode(b, []byte(oid)); err != nil {
		return nil, fmt.Errorf("%s: unexpected answer %s %s", name, oid, typ)
	}
	return b, nil
}

// tree walks the entries of the tree object oid, the directory w.path.
// Before walking, the directory's subtrees are asked for all at once (see
// prefetch). overlong says w.path is already longer than any path kept, so
// every entry below is skipped (and w.path no longer grows).
func (w *walker) tree(oid []byte, depth int, overlong bool) error {
	hexOID := hex.EncodeToString(oid)
	if depth >= maxTreeDepth {
		return fmt.Errorf("tree %s at %q is more than %d levels deep", hexOID, w.path, maxTreeDepth)
	}
	data, ok := w.cache[hexOID]
	if !ok {
		var err error
		data, err = w.c.read(hexOID, "tree", min(maxTreeObject, max(0, maxTreeHeld-int64(w.held))))
		switch {
		case errors.Is(err, fs.ErrNotExist): // missing, or not a tree
			return fmt.Errorf("tree %s at %q: %w", hexOID, w.path, err)
		case errors.Is(err, repofs.ErrTooLarge):
			return fmt.Errorf("tree %s at %q: %w (more than the walk holds)", hexOID, w.path, err)
		case err != nil:
			return err
		}
		if !w.keep(hexOID, data) {
			w.held += len(data)
			defer func(n int) { w.held -= n }(len(data))
		}
	}
	if err := w.prefetch(data, depth); err != nil {
		return err
	}

	for len(data) > 0 {
		mode, name, entryOID, rest, err := decodeTreeEntry(data, w.hashLen)
		if err != nil {
			return fmt.Errorf("tree %s at %q: %w", hexOID, w.path, err)
		}
		data = rest
		mode = canonMode(mode)
		if mode == modeDir {
			if w.unkept++; w.unkept > maxUnkept {
				return errWalkTruncated
			}
			n := len(w.path)
			sub := overlong || n+len(name) > maxPathLen
			if !sub {
				w.path = append(append(w.path, name...), '/')
			}
			err := w.tree(entryOID, depth+1, sub)
			w.path = w.path[:n]
			if err != nil {
				return err
			}
			continue
		}
		if err := w.leaf(mode, name, entryOID, overlong); err != nil {
			return err
		}
	}
	return nil
}

// keep puts a tree object read into w.cache, unless the cache holds
// cacheBudget bytes already, and reports whether it did. Trees are kept
// for the whole walk: a tree that appears in many places (the same
// directory content, or a hostile tree referring to one subtree again and
// again) is read from git once.
func (w *walker) keep(hexOID string, data []byte) bool {
	if w.cached+len(data) > cacheBudget {
		return false
	}
	if w.cache == nil {
		w.cache = map[string][]byte{}
	}
	w.cache[hexOID] = data
	w.cached += len(data)
	return true
}

// prefetch asks, in as few round trips as the pipe allows, for the
// subtrees of the tree whose content is data that w.cache does not hold,
// and keeps them there, as long as the cache has room. An answer that is
// not a tree, is missing or would not fit is left out, to be read (and
// refused) when the walk gets there, exactly as without prefetching.
func (w *walker) prefetch(data []byte, depth int) error {
	if depth+1 >= maxTreeDepth || w.cached >= cacheBudget {
		return nil
	}
	var oids []string
	for len(data) > 0 {
		mode, _, oid, rest, err := decodeTreeEntry(data, w.hashLen)
		if err != nil {
			break // reported when the walk gets there
		}
		data = rest
		if canonMode(mode) != modeDir {
			continue
		}
		if h := hex.EncodeToString(oid); w.cache[h] == nil {
			oids = append(oids, h)
		}
	}
	if len(oids) == 0 {
		return nil
	}
	slices.Sort(oids)
	oids = slices.Compact(oids) // the same subtree twice is read once
	return w.c.readEach(oids, "tree", func() int64 { return min(maxTreeObject, max(0, cacheBudget-int64(w.cached))) },
		func(i int, d []byte, err error) {
			if err == nil {
				w.keep(oids[i], d)
			}
		})
}

// leaf keeps one entry that is not a tree, with Tree.parse's checks in
// Tree.parse's order.
func (w *walker) leaf(mode uint32, name, oid []byte, overlong bool) error {
	t := w.t
	n := len(w.path)
	defer func() { w.path = w.path[:n] }()
	if !overlong {
		w.path = append(w.path, name...)
	}
	if overlong || len(w.path) > maxPathLen || !validTreePath(w.path) {
		t.skipped++
		if w.unkept++; w.unkept > maxUnkept {
			return errWalkTruncated
		}
		return nil
	}
	if len(t.files) >= w.opts.MaxFiles || w.pathBytes+int64(len(w.path)) > w.opts.MaxPathBytes {
		return errWalkTruncated
	}
	var f repofs.File
	switch mode {
	case modeGitlink:
		f.Submodule = true
	case modeSymlink:
		f.Symlink = true
	}
	t.oids = append(t.oids, oid...)
	w.pathBytes += int64(len(w.path))
	w.arena.add(&t.files, f, w.path)
	return nil
}

// sizes asks git for the size of every blob kept, as many at a time as
// maxRequestBytes allows; blobs git reports missing are marked so.
func (w *walker) sizes() error {
	t := w.t
	per := maxRequestBytes / len("info \n"+strings.Repeat("0", 2*w.hashLen))
	ask := make([]int, 0, per)
	for i, f := range t.files {
		if f.Submodule {
			continue
		}
		if ask = append(ask, i); len(ask) == per {
			if err := w.c.sizes(t, ask); err != nil {
				return err
			}
			ask = ask[:0]
		}
	}
	if len(ask) > 0 {
		return w.c.sizes(t, ask)
	}
	return nil
}

// decodeTreeEntry decodes the first entry of a tree object's data, as git's
// decode_tree_entry does: "<octal mode> <name>\0<raw object id>". Like git,
// it refuses data whose last hashLen+1 bytes do not start with a NUL, a mode
// that is empty or not octal, and an empty name; a mode too large for 32 bits
// wraps as in git.
func decodeTreeEntry(data []byte, hashLen int) (mode uint32, name, oid, rest []byte, err error) {
	if len(data) < hashLen+3 || data[len(data)-hashLen-1] != 0 {
		return 0, nil, nil, nil, errors.New("too-short tree object")
	}
	if data[0] == ' ' {
		return 0, nil, nil, nil, errors.New("malformed mode in tree entry")
	}
	i := 0
	for ; data[i] != ' '; i++ {
		c := data[i]
		if c < '0' || c > '7' {
			return 0, nil, nil, nil, errors.New("malformed mode in tree entry")
		}
		mode = mode<<3 + uint32(c-'0')
	}
	// The NUL before the last object id stops both loops.
	end := i + 1 + bytes.IndexByte(data[i+1:], 0)
	name = data[i+1 : end]
	if len(name) == 0 {
		return 0, nil, nil, nil, errors.New("empty filename in tree entry")
	}
	if end+1+hashLen > len(data) {
		return 0, nil, nil, nil, errors.New("too-short tree file")
	}
	return mode, name, data[end+1 : end+1+hashLen], data[end+1+hashLen:], nil
}

// canonMode is git's canon_mode: a regular file is 100755 if its owner may
// execute it and 100644 otherwise; anything that is not a regular file, a
// symbolic link or a directory is a gitlink.
func canonMode(mode uint32) uint32 {
	switch mode & modeTypeMask {
	case modeFile:
		if mode&0o100 != 0 {
			return modeFile | 0o755
		}
		return modeFile | 0o644
	case modeSymlink:
		return modeSymlink
	case modeDir:
		return modeDir
	}
	return modeGitlink
}

// mayBePartialClone reports whether the repository may be a partial clone
// (extensions.partialClone, or a remote with promisor set): there git would
// try to fetch a missing blob when asked its size, so the tree is listed the
// ls-tree way, which knows how not to. A config this package does not read
// itself (includes, larger than 1 MiB, unreadable) counts as maybe.
func (r *Repo) mayBePartialClone() bool {
	data, err := readSmall(filepath.Join(r.CommonDir, "config"), maxConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return false
	}
	if err != nil {
		return true
	}
	entries, includes, err := parseConfig(data)
	if err != nil || includes {
		return true
	}
	for _, e := range entries {
		switch {
		case e.section == "extensions" && e.key == "partialclone" && e.value != "":
			return true
		case e.section == "remote" && e.key == "promisor":
			switch strings.ToLower(e.value) {
			case "false", "no", "off", "0":
			default:
				return true
			}
		}
	}
	return false
}

// infoAnswer reads the answer to an "info" command: typ is "missing" when
// git has no such object.
func (c *catFile) infoAnswer() (typ string, size int64, oid string, err error) {
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return "", 0, "", c.broken(err)
	}
	fields := strings.Fields(string(line))
	switch {
	case len(fields) == 2 && fields[1] == "missing":
		return "missing", 0, fields[0], nil
	case len(fields) != 3:
		return "", 0, "", c.broken(fmt.Errorf("unexpected answer %q", line))
	}
	size, err = strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return "", 0, "", c.broken(fmt.Errorf("unexpected answer %q", line))
	}
	return fields[1], size, fields[0], nil
}

// sizes sends one "info" command for each entry ask of t, then reads the
// answers in order: the size of each blob, or missing.
func (c *catFile) sizes(t *Tree, ask []int) error {
	for _, i := range ask {
		c.w.WriteString("info ")
		c.w.WriteString(t.oidHex(i))
		c.w.WriteByte('\n')
	}
	if _, err := c.w.WriteString("flush\n"); err != nil {
		return c.broken(err)
	}
	if err := c.flush(); err != nil {
		return c.broken(err)
	}
	for _, i := range ask {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return c.broken(err)
		}
		oid, rest, _ := bytes.Cut(line[:len(line)-1], []byte{' '})
		if string(oid) != t.oidHex(i) {
			return c.broken(fmt.Errorf("unexpected answer %q for %s", line, t.oidHex(i)))
		}
		if string(rest) == "missing" {
			if t.missing == nil {
				t.missing = map[int]bool{}
			}
			t.missing[i] = true
			continue
		}
		_, size, ok := bytes.Cut(rest, []byte{' '})
		n, err := strconv.ParseInt(string(size), 10, 64)
		if !ok || err != nil || n < 0 {
			return c.broken(fmt.Errorf("unexpected answer %q", line))
		}
		t.files[i].Size = n
	}
	return nil
}

// readEach asks for the contents of the objects oids (of type want), at most
// maxRequestBytes of commands at a time, and calls fn with each answer in
// the order of oids: the content, or the error read would return for it
// (missing, another type, larger than limit()). It returns the first error
// after which the stream cannot be trusted.
func (c *catFile) readEach(oids []string, want string, limit func() int64, fn func(i int, data []byte, err error)) error {
	for start := 0; start < len(oids); {
		end, n := start, 0
		for end < len(oids) && (end == start || n+len("contents \n")+len(oids[end]) <= maxRequestBytes) {
			c.request(oids[end])
			n += len("contents \n") + len(oids[end])
			end++
		}
		c.w.WriteString("flush\n")
		if err := c.flush(); err != nil {
			return c.broken(err)
		}
		for i := start; i < end; i++ {
			data, err := c.answer(oids[i], want, limit())
			var pe *protocolError
			if errors.As(err, &pe) {
				return err
			}
			fn(i, data, err)
		}
		start = end
	}
	return nil
}
