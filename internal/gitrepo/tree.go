package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Defaults of TreeOptions.
const (
	// DefaultMaxFiles is the number of tree entries kept when
	// TreeOptions.MaxFiles is zero.
	DefaultMaxFiles = 2_000_000
	// DefaultMaxPathBytes is the total length of the paths kept when
	// TreeOptions.MaxPathBytes is zero.
	DefaultMaxPathBytes = 256 << 20
	// maxPathLen is the longest path kept; longer entries are skipped.
	maxPathLen = 16 << 10
)

// TreeOptions tune Repo.Tree. The zero value lists HEAD with the default caps.
type TreeOptions struct {
	// Commit is the full object id of the commit whose tree is listed. Empty
	// means HEAD, resolved by Head when Tree is called. Passing the commit
	// Head returned makes the listing exactly that commit's even if HEAD
	// moves meanwhile.
	Commit string
	// MaxFiles caps the number of entries kept; 0 means DefaultMaxFiles.
	MaxFiles int
	// MaxPathBytes caps the total length of the paths kept, which bounds
	// memory for trees of absurdly deep or long paths; 0 means
	// DefaultMaxPathBytes.
	MaxPathBytes int64
}

// Tree is the committed tree of one commit: every blob, symbolic link and
// submodule entry, recursively. It implements repofs.Tree.
//
// Files is read once, by Repo.Tree; contents are read on demand by ReadFile
// through one long-lived "git cat-file --batch-command" process, the one
// that listed the tree (with git older than 2.36, or in a partial clone, a
// "git cat-file --batch" started at the first ReadFile), stopped by Close. Symbolic links are never followed: they are
// entries whose content is their target, and ReadFile refuses them.
//
// A Tree is safe for concurrent use; ReadFile calls are served one at a time.
// The context given to Repo.Tree bounds the life of the cat-file process: once
// it is done, ReadFile fails. Close must be called when the Tree is no longer
// needed; it is safe to call when no file was read, and more than once.
type Tree struct {
	commit    string
	files     []repofs.File
	oids      []byte       // hashLen bytes per entry of files, in the same order
	hashLen   int          // 20 (SHA-1) or 32 (SHA-256)
	missing   map[int]bool // entries whose blob git reported missing
	truncated bool
	skipped   int
	reordered bool // the listing was not in path order (a hostile tree): sort reordered it

	ctx        context.Context
	gitDir     string
	commitData []byte // the commit object, when the listing read it

	mu     sync.Mutex
	cat    *catFile
	closed bool
}

var _ repofs.Tree = (*Tree)(nil)

// Tree lists the tree of a commit (HEAD by default): through the
// "git cat-file --batch-command" process the Tree then keeps for ReadFile
// (see walkTree), or, with git older than 2.36 and in partial clones, with
// one "git ls-tree -r -l -z --full-tree" run, parsed as it streams. Both
// give the same listing. Entries
// beyond opts.MaxFiles or opts.MaxPathBytes are dropped and Truncated
// reports it; entries with unsafe paths are dropped and Skipped counts them.
//
// A blob absent from the object store (a partial clone's blobs left on the
// promisor remote, or a damaged repository) is listed with Size 0, and
// ReadFile reports it missing; nothing is ever fetched. In a partial clone,
// where ls-tree -l refuses to run, the listing is made without sizes and the
// sizes of the blobs present are asked of git cat-file --batch-check.
//
// A tree object git cannot decode, or a missing tree, is an error.
//
// The error wraps ErrNoCommits when HEAD has no commit. ctx bounds both the
// listing and the later reading of contents (see Tree).
func (r *Repo) Tree(ctx context.Context, opts TreeOptions) (*Tree, error) {
	commit := opts.Commit
	if commit == "" {
		var err error
		if commit, _, err = r.Head(ctx); err != nil {
			return nil, err
		}
	} else if !isOID(commit) {
		return nil, fmt.Errorf("list tree of %s: %q is not a full object id", r.GitDir, commit)
	}
	commit = strings.ToLower(commit)
	if opts.MaxFiles <= 0 {
		opts.MaxFiles = DefaultMaxFiles
	}
	if opts.MaxPathBytes <= 0 {
		opts.MaxPathBytes = DefaultMaxPathBytes
	}

	t := &Tree{commit: commit, ctx: ctx, gitDir: r.GitDir}
	if !useLsTree.Load() && !r.mayBePartialClone() {
		err := r.walkTree(t, opts)
		if err == nil {
			t.sort()
			return t, nil
		}
		t.Close()
		if !errors.Is(err, errNoBatchCommand) {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("list tree of %s: %w", r.GitDir, err)
		}
		useLsTree.Store(true)
		t = &Tree{commit: commit, ctx: ctx, gitDir: r.GitDir}
	}
	err := r.listTree(ctx, t, opts, true)
	var ge *gitcmd.Error
	if errors.As(err, &ge) && strings.Contains(ge.Stderr, "promisor remote") {
		// A partial clone: ls-tree -l dies on the first blob that was left
		// on the promisor remote (lazy fetching is off). List without
		// sizes, then ask only for the blobs that are here.
		t = &Tree{commit: commit, ctx: ctx, gitDir: r.GitDir}
		if err = r.listTree(ctx, t, opts, false); err == nil {
			err = r.partialCloneSizes(ctx, t)
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, fmt.Errorf("list tree of %s: %w", r.GitDir, err)
	}
	t.sort()
	return t, nil
}

// listTree runs git ls-tree on t.commit and parses its output into t; with
// sizes, -l asks for blob sizes.
func (r *Repo) listTree(ctx context.Context, t *Tree, opts TreeOptions, sizes bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	args := []string{"--git-dir=" + r.GitDir, "ls-tree", "-r", "-z", "--full-tree", t.commit}
	if sizes {
		args = slices.Insert(args, 3, "-l")
	}
	cmd := gitcmd.Command(ctx, r.GitDir, args...)
	stderr := &capWriter{n: 4096}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	perr := t.parse(stdout, opts, sizes)
	if perr != nil || t.truncated {
		cancel() // stop git: what it would still print is not wanted
	}
	werr := cmd.Wait()
	switch {
	case werr != nil && !t.truncated && (perr == nil || stderr.String() != ""):
		return &gitcmd.Error{Args: args[1:], Stderr: stderr.String(), Err: werr}
	case perr != nil:
		return perr
	}
	return nil
}

// partialCloneSizes finds which blobs of a listing made without sizes are
// missing (git rev-list --missing=print, which never fetches) and asks
// git cat-file --batch-check for the sizes of the others.
func (r *Repo) partialCloneSizes(ctx context.Context, t *Tree) error {
	missing := map[string]bool{}
	err := r.gitLines(ctx, func(line []byte) {
		if oid, ok := bytes.CutPrefix(line, []byte{'?'}); ok {
			missing[string(oid)] = true
		}
	}, "rev-list", "--objects", "--no-walk", "--missing=print", "--no-object-names", t.commit, "--")
	if err != nil {
		return err
	}
	var ask []int
	for i, f := range t.files {
		if f.Submodule {
			continue
		}
		if missing[t.oidHex(i)] {
			if t.missing == nil {
				t.missing = map[int]bool{}
			}
			t.missing[i] = true
			continue
		}
		ask = append(ask, i)
	}
	if len(ask) == 0 {
		return nil
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	args := []string{"--git-dir=" + r.GitDir, "cat-file", "--batch-check"}
	cmd := gitcmd.Command(ctx, r.GitDir, args...)
	stderr := &capWriter{n: 4096}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, i := range ask {
			if _, err := w.WriteString(t.oidHex(i) + "\n"); err != nil {
				break
			}
		}
		w.Flush()
		stdin.Close()
	}()
	sc := bufio.NewScanner(stdout)
	n := 0
	for sc.Scan() && n < len(ask) {
		i := ask[n]
		n++
		oid, rest, _ := strings.Cut(sc.Text(), " ")
		if oid != t.oidHex(i) {
			cancel()
			break
		}
		if rest == "missing" {
			if t.missing == nil {
				t.missing = map[int]bool{}
			}
			t.missing[i] = true
			continue
		}
		if _, size, ok := strings.Cut(rest, " "); ok {
			t.files[i].Size, _ = strconv.ParseInt(size, 10, 64)
		}
	}
	if err := cmd.Wait(); err != nil || n < len(ask) {
		if err == nil {
			err = errors.New("answers out of step")
		}
		return &gitcmd.Error{Args: args[1:], Stderr: stderr.String(), Err: err}
	}
	return nil
}

// gitLines runs git and calls fn with each line of its output, without the
// newline; the line is valid only during the call.
func (r *Repo) gitLines(ctx context.Context, fn func(line []byte), args ...string) error {
	args = append([]string{"--git-dir=" + r.GitDir}, args...)
	cmd := gitcmd.Command(ctx, r.GitDir, args...)
	stderr := &capWriter{n: 4096}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		fn(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return err
	}
	if err := cmd.Wait(); err != nil {
		return &gitcmd.Error{Args: args[1:], Stderr: stderr.String(), Err: err}
	}
	return nil
}

// oidHex returns the object id of entry i in hex.
func (t *Tree) oidHex(i int) string {
	return hex.EncodeToString(t.oids[i*t.hashLen : (i+1)*t.hashLen])
}

// parse reads ls-tree -l -z records: "<mode> <type> <oid> <size>\t<path>\0",
// where size is right-aligned, "-" for submodules and "BAD" when the blob is
// missing; without sizes (no -l), records have no size field. Paths are
// gathered into shared strings of 64 KiB (one allocation per chunk, not per
// path).
func (t *Tree) parse(r io.Reader, opts TreeOptions, sizes bool) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		arena     pathArena
		pathBytes int64
		long      []byte
	)
	for {
		rec, err := br.ReadSlice(0)
		tooLong := false
		if errors.Is(err, bufio.ErrBufferFull) {
			// A record longer than the buffer: gather it, up to a bound.
			long = append(long[:0], rec...)
			for errors.Is(err, bufio.ErrBufferFull) {
				rec, err = br.ReadSlice(0)
				if len(long)+len(rec) > maxPathLen+256 {
					tooLong = true
				} else {
					long = append(long, rec...)
				}
			}
			rec = long
		}
		if err == io.EOF {
			if len(rec) > 0 {
				return fmt.Errorf("git ls-tree output ends inside a record")
			}
			break
		}
		if err != nil {
			return err
		}
		if tooLong {
			t.skipped++
			continue
		}
		rec = rec[:len(rec)-1]

		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			return fmt.Errorf("git ls-tree record without a tab: %q", rec)
		}
		mode, rest, _ := bytes.Cut(meta, []byte{' '})
		typ, rest, _ := bytes.Cut(rest, []byte{' '})
		oid, size, _ := bytes.Cut(rest, []byte{' '})
		size = bytes.TrimLeft(size, " ")
		if len(name) > maxPathLen || !validTreePath(name) {
			t.skipped++
			continue
		}
		if len(t.files) >= opts.MaxFiles || pathBytes+int64(len(name)) > opts.MaxPathBytes {
			t.truncated = true
			break
		}

		if t.hashLen == 0 {
			if len(oid) != 40 && len(oid) != 64 {
				return fmt.Errorf("git ls-tree record with object id %q", oid)
			}
			t.hashLen = len(oid) / 2
		}
		n := len(t.oids)
		t.oids = append(t.oids, make([]byte, t.hashLen)...)
		if len(oid) != 2*t.hashLen {
			return fmt.Errorf("git ls-tree record with object id %q", oid)
		}
		if _, err := hex.Decode(t.oids[n:], oid); err != nil {
			return fmt.Errorf("git ls-tree record with object id %q", oid)
		}

		f := repofs.File{}
		switch {
		case string(typ) == "commit" || string(mode) == "160000":
			f.Submodule = true
		case string(typ) != "blob":
			return fmt.Errorf("git ls-tree record of type %q", typ)
		case string(mode) == "120000":
			f.Symlink = true
		}
		switch string(size) {
		case "-":
		case "":
			if sizes && !f.Submodule {
				return fmt.Errorf("git ls-tree record without a size")
			}
		case "BAD":
			if t.missing == nil {
				t.missing = map[int]bool{}
			}
			t.missing[len(t.files)] = true
		default:
			if f.Size, err = strconv.ParseInt(string(size), 10, 64); err != nil || f.Size < 0 {
				return fmt.Errorf("git ls-tree record with size %q", size)
			}
		}
		pathBytes += int64(len(name))
		arena.add(&t.files, f, name)
	}
	arena.flush(t.files)
	return nil
}

// pathArena turns paths into strings that share 64 KiB backing arrays, so a
// tree of a million entries costs a few thousand allocations, not a million.
type pathArena struct {
	buf  []byte
	ends []int // end offset in buf of each pending path
	from int   // index in files of the first pending path
}

// add appends f, with path name, to files.
func (a *pathArena) add(files *[]repofs.File, f repofs.File, name []byte) {
	const chunk = 64 << 10
	if len(name) > chunk/8 {
		f.Path = string(name)
		a.flush(*files)
		*files = append(*files, f)
		a.from = len(*files)
		return
	}
	if len(a.buf)+len(name) > chunk {
		a.flush(*files)
	}
	if a.buf == nil {
		a.buf = make([]byte, 0, chunk)
	}
	a.buf = append(a.buf, name...)
	a.ends = append(a.ends, len(a.buf))
	*files = append(*files, f)
}

// flush gives the pending entries of files their paths.
func (a *pathArena) flush(files []repofs.File) {
	s := string(a.buf)
	start := 0
	for i, end := range a.ends {
		files[a.from+i].Path = s[start:end]
		start = end
	}
	a.from += len(a.ends)
	a.buf, a.ends = a.buf[:0], a.ends[:0]
}

// sort orders the entries by path. Git lists a well-formed tree in exactly
// this order, so this is normally one linear check; a hostile tree object
// with unsorted entries is sorted here.
func (t *Tree) sort() {
	less := func(a, b repofs.File) int { return strings.Compare(a.Path, b.Path) }
	if slices.IsSortedFunc(t.files, less) {
		return
	}
	t.reordered = true
	idx := make([]int, len(t.files))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return t.files[idx[i]].Path < t.files[idx[j]].Path })
	files := make([]repofs.File, len(t.files))
	oids := make([]byte, len(t.oids))
	var missing map[int]bool
	for to, from := range idx {
		files[to] = t.files[from]
		copy(oids[to*t.hashLen:], t.oids[from*t.hashLen:(from+1)*t.hashLen])
		if t.missing[from] {
			if missing == nil {
				missing = map[int]bool{}
			}
			missing[to] = true
		}
	}
	t.files, t.oids, t.missing = files, oids, missing
}

// validTreePath reports whether a path from a tree is safe to hand to code
// that may join it to a directory: relative, with no empty, "." or ".."
// component. Git never writes such trees; a hostile one could.
func validTreePath(p []byte) bool {
	if len(p) == 0 || p[0] == '/' {
		return false
	}
	for len(p) > 0 {
		comp := p
		if i := bytes.IndexByte(p, '/'); i >= 0 {
			comp, p = p[:i], p[i+1:]
			if len(p) == 0 {
				return false // trailing slash
			}
		} else {
			p = nil
		}
		if len(comp) == 0 || string(comp) == "." || string(comp) == ".." {
			return false
		}
	}
	return true
}

// Commit returns the object id of the commit whose tree this is.
func (t *Tree) Commit() string { return t.commit }

// Files implements repofs.Tree: every entry, sorted by path. The slice is
// shared and must not be modified.
func (t *Tree) Files() []repofs.File { return t.files }

// Truncated reports whether entries were dropped because the tree exceeded
// TreeOptions.MaxFiles or MaxPathBytes; Files then holds the first entries in
// path order.
func (t *Tree) Truncated() bool { return t.truncated }

// Skipped returns the number of entries dropped because their path was unsafe
// (absolute, or with an empty, "." or ".." component) or longer than 16 KiB.
func (t *Tree) Skipped() int { return t.skipped }

// Errors returned inside the *fs.PathError of ReadFile. Each wraps
// fs.ErrNotExist, as repofs.Tree requires for anything that is not a
// readable regular file.
var (
	errSymlink   = notFileError("is a symbolic link, which is never followed")
	errSubmodule = notFileError("is a submodule (gitlink) and has no content")
)

type notFileError string

func (e notFileError) Error() string        { return string(e) }
func (e notFileError) Is(target error) bool { return target == fs.ErrNotExist }

// missingError reports a blob listed in the tree but absent from the object
// store: a partial clone, a shallow or damaged repository.
type missingError struct{ oid string }

func (e missingError) Error() string {
	return "blob " + e.oid + " is missing from the object store (partial clone or corrupt repository)"
}
func (e missingError) Is(target error) bool { return target == fs.ErrNotExist }

// ReadFile implements repofs.Tree. It returns the content of the regular
// file at path (a slash-separated path as in Files). The error is an
// *fs.PathError that wraps:
//   - fs.ErrNotExist when there is no such entry, when it is a symbolic link
//     or a submodule, or when its blob is missing from the object store;
//   - repofs.ErrTooLarge when the file is larger than limit bytes (then
//     nothing of it is read into memory);
//   - fs.ErrClosed after Close;
//   - otherwise the failure of the cat-file process (a done context, say).
func (t *Tree) ReadFile(path string, limit int64) ([]byte, error) {
	limit = min(max(limit, 0), maxInt)
	oid, err := t.blobOf(path, limit)
	if err != nil {
		return nil, err
	}
	data, err := t.readBlob(oid, limit)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return data, nil
}

// blobOf returns the blob of the regular file at path, or the error
// ReadFile gives without reading anything (no such file, a symbolic link or
// a submodule, a missing blob, one larger than limit).
func (t *Tree) blobOf(path string, limit int64) (string, error) {
	i, ok := sort.Find(len(t.files), func(i int) int { return strings.Compare(path, t.files[i].Path) })
	if !ok {
		return "", &fs.PathError{Op: "read", Path: path, Err: fs.ErrNotExist}
	}
	f := t.files[i]
	oid := t.oidHex(i)
	switch {
	case f.Symlink:
		return "", &fs.PathError{Op: "read", Path: path, Err: errSymlink}
	case f.Submodule:
		return "", &fs.PathError{Op: "read", Path: path, Err: errSubmodule}
	case t.missing[i]:
		return "", &fs.PathError{Op: "read", Path: path, Err: missingError{oid}}
	case f.Size > limit:
		return "", &fs.PathError{Op: "read", Path: path, Err: tooLarge(f.Size, limit)}
	}
	return oid, nil
}

// ReadFiles implements repofs.FilesReader: it calls fn with what ReadFile
// would return for each of paths, in their order, asking the cat-file
// process for the blobs in a few batches rather than one round trip (two
// context switches and a flush of git's output) a file. fn runs while the
// process is held: it must not read from t.
func (t *Tree) ReadFiles(paths []string, limit int64, fn func(i int, data []byte, err error)) {
	limit = min(max(limit, 0), maxInt)
	errs := make([]error, len(paths))
	var ask []int
	var oids []string
	for i, p := range paths {
		oid, err := t.blobOf(p, limit)
		if err != nil {
			errs[i] = err
			continue
		}
		ask = append(ask, i)
		oids = append(oids, oid)
	}
	next := 0 // the first path not reported yet
	failedUpTo := func(end int) {
		for ; next < end; next++ {
			if errs[next] != nil {
				fn(next, nil, errs[next])
			}
		}
	}
	if len(ask) > 0 {
		err := t.readBlobs(oids, limit, func(j int, data []byte, err error) {
			i := ask[j]
			failedUpTo(i)
			if err != nil {
				err = &fs.PathError{Op: "read", Path: paths[i], Err: err}
			}
			fn(i, data, err)
			next = i + 1
		})
		if err != nil {
			// The stream broke: the files not read yet fail with it.
			for _, i := range ask {
				if i >= next {
					errs[i] = &fs.PathError{Op: "read", Path: paths[i], Err: err}
				}
			}
		}
	}
	failedUpTo(len(paths))
}

// readBlobs reads blobs through the cat-file process, starting it if
// needed, and calls fn with each answer in order: in batches with
// --batch-command, one at a time with an older git's --batch. It returns
// the error after which the remaining blobs cannot be read.
func (t *Tree) readBlobs(oids []string, limit int64, fn func(j int, data []byte, err error)) error {
	return t.withCatFile(func(c *catFile) error {
		if c.command {
			return c.readEach(oids, "blob", func() int64 { return limit }, fn)
		}
		for j, oid := range oids {
			data, err := c.read(oid, "blob", limit)
			var pe *protocolError
			if errors.As(err, &pe) {
				return err
			}
			fn(j, data, err)
		}
		return nil
	})
}

// maxInt bounds a read so that make([]byte, size) cannot overflow.
const maxInt = int64(^uint(0) >> 1)

func tooLarge(size, limit int64) error {
	return fmt.Errorf("%d bytes, more than the limit of %d: %w", size, limit, repofs.ErrTooLarge)
}

// maxCommitObject bounds the commit object CommitDate reads: a commit
// message of megabytes is not read to find a date.
const maxCommitObject = 1 << 20

// CommitDate returns the committer date of the tree's commit, in UTC, as
// Repo.CommitDate does, read through the tree's cat-file process (started
// if no file was read yet) rather than with a git process of its own.
func (t *Tree) CommitDate() (time.Time, error) {
	data, err := t.commitData, error(nil)
	if data == nil {
		data, err = t.readObject(t.commit, "commit", maxCommitObject)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("commit date of %s in %s: %w", t.commit, t.gitDir, err)
	}
	// The header ends at the first empty line; its committer line is
	// "committer NAME <EMAIL> SECONDS ZONE".
	header, _, _ := bytes.Cut(data, []byte("\n\n"))
	for _, line := range bytes.Split(header, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("committer "))
		if !ok {
			continue
		}
		fields := bytes.Fields(rest[bytes.LastIndexByte(rest, '>')+1:])
		if len(fields) == 2 {
			if sec, err := strconv.ParseInt(string(fields[0]), 10, 64); err == nil {
				return time.Unix(sec, 0).UTC(), nil
			}
		}
		break
	}
	return time.Time{}, fmt.Errorf("commit date of %s in %s: no committer date in the commit", t.commit, t.gitDir)
}

// readBlob reads one blob through the cat-file process, starting it if needed.
func (t *Tree) readBlob(oid string, limit int64) ([]byte, error) {
	return t.readObject(oid, "blob", limit)
}

// readObject reads one object of type typ through the cat-file process,
// starting it if needed.
func (t *Tree) readObject(oid, typ string, limit int64) ([]byte, error) {
	var data []byte
	err := t.withCatFile(func(c *catFile) error {
		var err error
		data, err = c.read(oid, typ, limit)
		return err
	})
	return data, err
}

// withCatFile runs fn with the tree's cat-file process, started if needed,
// and drops the process when fn leaves its stream out of step (the process
// died, an answer was not what was asked): the next read starts afresh.
func (t *Tree) withCatFile(fn func(c *catFile) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return fs.ErrClosed
	}
	if t.cat == nil {
		if err := t.ctx.Err(); err != nil {
			return err
		}
		c, err := startCatFile(t.ctx, t.gitDir, !useLsTree.Load())
		if err != nil {
			return err
		}
		t.cat = c
	}
	err := fn(t.cat)
	var pe *protocolError
	if errors.As(err, &pe) {
		t.cat.close()
		t.cat = nil
		if cerr := t.ctx.Err(); cerr != nil {
			return cerr
		}
	}
	return err
}

// Close stops the cat-file process, if one was started. ReadFile fails after
// Close; Files still works.
func (t *Tree) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	if t.cat != nil {
		t.cat.close()
		t.cat = nil
	}
	return nil
}

// catFile is a running "git cat-file --batch", or "--batch-command
// --buffer" when command is set.
type catFile struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	w       *bufio.Writer
	r       *bufio.Reader
	stderr  *capWriter
	command bool
	trips   int // commands sent, each awaiting its answers
}

// flush sends the commands buffered.
func (c *catFile) flush() error {
	c.trips++
	return c.w.Flush()
}

// protocolError is a failure after which the cat-file stream cannot be
// trusted (a dead process, an unexpected answer).
type protocolError struct{ err error }

func (e *protocolError) Error() string { return "git cat-file: " + e.err.Error() }
func (e *protocolError) Unwrap() error { return e.err }

// startCatFile starts git cat-file --batch, or --batch-command --buffer
// when command is set.
func startCatFile(ctx context.Context, gitDir string, command bool) (*catFile, error) {
	args := []string{"--git-dir=" + gitDir, "cat-file", "--batch"}
	if command {
		args = append(args[:2], "--batch-command", "--buffer")
	}
	cmd := gitcmd.Command(ctx, gitDir, args...)
	c := &catFile{cmd: cmd, stderr: &capWriter{n: 4096}, command: command}
	cmd.Stderr = c.stderr
	var err error
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("start git cat-file: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start git cat-file: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start git cat-file: %w", err)
	}
	c.w = bufio.NewWriterSize(c.stdin, 16<<10)
	c.r = bufio.NewReaderSize(stdout, 64<<10)
	return c, nil
}

// read asks for one object of type want and reads the answer: "<oid>
// <type> <size>\n", then size bytes and "\n"; or "<oid> missing\n". Content
// larger than limit, or of another type, is read and discarded in a stream,
// never held.
func (c *catFile) read(oid, want string, limit int64) ([]byte, error) {
	c.request(oid)
	if c.command {
		c.w.WriteString("flush\n")
	}
	if err := c.flush(); err != nil {
		return nil, c.broken(err)
	}
	return c.answer(oid, want, limit)
}

// request buffers the request of object oid's contents; the caller flushes.
func (c *catFile) request(oid string) {
	if c.command {
		c.w.WriteString("contents ")
	}
	c.w.WriteString(oid)
	c.w.WriteByte('\n')
}

// answer reads the answer to the request of oid (see read).
func (c *catFile) answer(oid, want string, limit int64) ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return nil, c.broken(err)
	}
	fields := strings.Fields(string(line))
	switch {
	case len(fields) == 2 && fields[0] == oid && fields[1] == "missing":
		return nil, missingError{oid}
	case len(fields) != 3 || fields[0] != oid:
		return nil, c.broken(fmt.Errorf("unexpected answer %q", line))
	}
	typ := fields[1]
	size, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return nil, c.broken(fmt.Errorf("unexpected answer %q", line))
	}
	if typ != want || size > limit {
		if _, err := io.CopyN(io.Discard, c.r, size+1); err != nil {
			return nil, c.broken(err)
		}
		if typ != want {
			return nil, fmt.Errorf("object %s is a %s, not a %s: %w", oid, typ, want, fs.ErrNotExist)
		}
		return nil, tooLarge(size, limit)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(c.r, data); err != nil {
		return nil, c.broken(err)
	}
	if data[size] != '\n' {
		return nil, c.broken(fmt.Errorf("object %s not followed by a newline", oid))
	}
	return data[:size:size], nil
}

// broken wraps a stream failure as a protocolError, with git's stderr.
func (c *catFile) broken(err error) error {
	if msg := c.stderr.String(); msg != "" {
		err = fmt.Errorf("%w: %s", err, msg)
	}
	return &protocolError{err}
}

// refused ends the process and reports whether git refused to run it for
// not knowing --batch-command (git before 2.36 exits with 129 and its usage).
func (c *catFile) refused() bool {
	c.close()
	return c.command && c.cmd.ProcessState != nil && c.cmd.ProcessState.ExitCode() == 129 &&
		strings.Contains(c.stderr.String(), "batch-command")
}

// close ends the process: closing stdin makes cat-file exit; one that does
// not within a second is killed.
func (c *catFile) close() {
	c.stdin.Close()
	done := make(chan struct{})
	go func() {
		c.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}
