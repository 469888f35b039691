package gitrepo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/safefs"
)

// errUnsupported marks a git directory layout this package does not read in
// Go (reftable, symbolic-link refs, absurd packed-refs lines); the caller
// then asks git.
var errUnsupported = errors.New("ref layout not read in Go")

// errRefNotFound means a ref exists neither as a loose file nor in packed-refs.
var errRefNotFound = errors.New("ref not found")

// maxSymrefDepth bounds chains of symbolic refs, as git does.
const maxSymrefDepth = 5

// Head returns the commit HEAD points at and, when HEAD is a branch, the
// branch's short name ("main" for refs/heads/main); branch is "" for a
// detached HEAD. When HEAD is a chain of symbolic refs, branch is the last
// one, as git symbolic-ref reports it.
//
// Head reads HEAD, the loose ref and packed-refs in Go (microseconds, no
// process), following symbolic refs and the per-work-tree HEAD of linked work
// trees. It asks git (rev-parse) only for layouts it does not read itself:
// reftable, or a HEAD that is a symbolic link. It does not check that the
// commit object exists; HeadDate and Tree fail if it does not.
//
// When HEAD names a branch without commits (a new repository), Head returns
// commit "", the branch name, and an error wrapping ErrNoCommits. A HEAD or
// ref holding garbage gives an error wrapping ErrCorrupt.
func (r *Repo) Head(ctx context.Context) (commit, branch string, err error) {
	if r.reftable {
		return r.headGit(ctx)
	}
	ref, oid, err := r.readHead()
	if errors.Is(err, errUnsupported) {
		return r.headGit(ctx)
	}
	if err != nil {
		return "", "", fmt.Errorf("read HEAD of %s: %w", r.GitDir, err)
	}
	if oid != "" {
		return oid, "", nil
	}
	commit, ref, err = r.resolveRef(ref)
	branch = branchName(ref)
	switch {
	case errors.Is(err, errUnsupported):
		return r.headGit(ctx)
	case errors.Is(err, errRefNotFound):
		return "", branch, fmt.Errorf("read HEAD of %s: %s: %w", r.GitDir, ref, ErrNoCommits)
	case err != nil:
		return "", branch, fmt.Errorf("read HEAD of %s: %w", r.GitDir, err)
	}
	return commit, branch, nil
}

// headGit is Head done by git, for layouts not read in Go.
func (r *Repo) headGit(ctx context.Context) (commit, branch string, err error) {
	ref, err := r.git(ctx, "symbolic-ref", "-q", "HEAD")
	switch {
	case err == nil:
		branch = branchName(ref)
	case exitCode(err) == 1: // detached
		ref = ""
	default:
		return "", "", fmt.Errorf("read HEAD of %s: %w", r.GitDir, err)
	}
	commit, err = r.git(ctx, "rev-parse", "-q", "--verify", "HEAD")
	switch {
	case err != nil && exitCode(err) == 1 && ref != "":
		return "", branch, fmt.Errorf("read HEAD of %s: %s: %w", r.GitDir, ref, ErrNoCommits)
	case err != nil:
		return "", branch, fmt.Errorf("read HEAD of %s: %w", r.GitDir, err)
	case !isOID(commit):
		return "", branch, fmt.Errorf("read HEAD of %s: git rev-parse printed %q: %w", r.GitDir, commit, ErrCorrupt)
	}
	return strings.ToLower(commit), branch, nil
}

// HeadDate returns the committer date of HEAD's commit, in UTC. The error
// wraps ErrNoCommits for a repository without commits.
func (r *Repo) HeadDate(ctx context.Context) (time.Time, error) {
	commit, _, err := r.Head(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return r.CommitDate(ctx, commit)
}

// CommitDate returns the committer date of the commit with the given full
// object id, in UTC.
func (r *Repo) CommitDate(ctx context.Context, commit string) (time.Time, error) {
	if !isOID(commit) {
		return time.Time{}, fmt.Errorf("commit date: %q is not an object id", commit)
	}
	out, err := r.git(ctx, "log", "-1", "--no-show-signature", "--format=%ct", commit, "--")
	if err != nil {
		return time.Time{}, fmt.Errorf("commit date of %s in %s: %w", commit, r.GitDir, err)
	}
	sec, err := strconv.ParseInt(out, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("commit date of %s in %s: git printed %q", commit, r.GitDir, out)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// DefaultBranch returns the short name of the branch the origin remote calls
// its default (the target of refs/remotes/origin/HEAD, as set by git clone),
// or else the branch HEAD is on. It returns "" for a detached HEAD without
// origin/HEAD. It runs git only for reftable repositories.
func (r *Repo) DefaultBranch(ctx context.Context) string {
	const prefix = "refs/remotes/origin/"
	var target string
	if r.reftable {
		target, _ = r.git(ctx, "symbolic-ref", "-q", prefix+"HEAD")
	} else {
		data, found, err := readRefFile(filepath.Join(r.CommonDir, "refs", "remotes", "origin", "HEAD"))
		if errors.Is(err, errUnsupported) {
			target, _ = r.git(ctx, "symbolic-ref", "-q", prefix+"HEAD")
		} else if found && err == nil {
			if ref, _, ok := parseRef(data); ok {
				target = ref
			}
		}
	}
	if b, ok := strings.CutPrefix(target, prefix); ok && b != "" && b != "HEAD" {
		return b
	}
	_, branch, _ := r.Head(ctx)
	return branch
}

// readHead returns HEAD's content: either the ref it points at, or the
// object id of a detached HEAD.
func (r *Repo) readHead() (ref, oid string, err error) {
	name := filepath.Join(r.GitDir, "HEAD")
	data, found, err := readRefFile(name)
	if err != nil {
		return "", "", err
	}
	if !found {
		return "", "", fmt.Errorf("git directory %s lacks HEAD: %w", r.GitDir, ErrCorrupt)
	}
	ref, oid, ok := parseRef(data)
	if !ok {
		return "", "", fmt.Errorf("HEAD is neither \"ref: refs/...\" nor an object id (%s): %w", quoteStart(data), ErrCorrupt)
	}
	return ref, oid, nil
}

// resolveRef follows ref, through symbolic refs, to an object id: the loose
// ref file first, then packed-refs, as git does for the files backend. final
// is the last ref of the chain, the one holding the object id (or missing).
func (r *Repo) resolveRef(ref string) (oid, final string, err error) {
	for range maxSymrefDepth {
		dir := r.CommonDir
		if perWorktreeRef(ref) {
			dir = r.GitDir
		}
		data, found, err := readRefFile(filepath.Join(dir, filepath.FromSlash(ref)))
		if err != nil {
			return "", ref, err
		}
		if !found {
			oid, err := r.packedRef(ref)
			return oid, ref, err
		}
		next, oid, ok := parseRef(data)
		if !ok {
			return "", ref, fmt.Errorf("ref %s holds %s: %w", ref, quoteStart(data), ErrCorrupt)
		}
		if oid != "" {
			return oid, ref, nil
		}
		ref = next
	}
	return "", ref, fmt.Errorf("symbolic refs nested deeper than %d at %s: %w", maxSymrefDepth, ref, ErrCorrupt)
}

// packedRef looks ref up in packed-refs. Lines are "<oid> <ref>"; lines
// starting with "^" (the peeled value of the tag above) and "#" (the header)
// are skipped.
func (r *Repo) packedRef(ref string) (string, error) {
	name := filepath.Join(r.CommonDir, "packed-refs")
	st, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", errRefNotFound
	}
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", errUnsupported
	}
	f, err := safefs.OpenRegular(name) // no hang if a FIFO replaced it since Lstat
	if err != nil {
		return "", errUnsupported
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] == '#' || line[0] == '^' {
			continue
		}
		oid, name, ok := strings.Cut(string(line), " ")
		if !ok || strings.TrimRight(name, "\r") != ref {
			continue
		}
		if !isOID(oid) {
			return "", fmt.Errorf("packed-refs entry for %s holds %q: %w", ref, oid, ErrCorrupt)
		}
		return strings.ToLower(oid), nil
	}
	if err := sc.Err(); err != nil {
		return "", errUnsupported
	}
	return "", errRefNotFound
}

// readRefFile reads a loose ref (or HEAD). found is false when there is no
// such file (or a directory stands there). A symbolic link gives
// errUnsupported (git still honours legacy symlinked refs); any other
// non-regular file gives ErrCorrupt.
func readRefFile(name string) (data []byte, found bool, err error) {
	data, kind, err := readNoFollow(name, maxSmallFile)
	switch {
	case err != nil:
		return nil, false, fmt.Errorf("%w: %w", err, ErrCorrupt)
	case kind == kindMissing || kind == kindDir:
		return nil, false, nil
	case kind == kindSymlink:
		return nil, false, errUnsupported
	case kind != kindRegular:
		return nil, false, fmt.Errorf("%s is not a regular file: %w", name, ErrCorrupt)
	}
	return data, true, nil
}

// parseRef parses the content of HEAD or of a loose ref: "ref: <refname>" for
// a symbolic ref, or an object id. Like git, it ignores trailing whitespace
// and anything after whitespace following an object id.
func parseRef(data []byte) (ref, oid string, ok bool) {
	s := strings.TrimRight(string(data), " \t\r\n")
	if target, isSym := strings.CutPrefix(s, "ref:"); isSym {
		target = strings.TrimLeft(target, " \t")
		if !validRefName(target) {
			return "", "", false
		}
		return target, "", true
	}
	if i := strings.IndexAny(s, " \t\r\n"); i >= 0 {
		s = s[:i]
	}
	if !isOID(s) {
		return "", "", false
	}
	return "", strings.ToLower(s), true
}

// branchName returns the short name of a branch ref, or "" for other refs.
func branchName(ref string) string {
	b, ok := strings.CutPrefix(ref, "refs/heads/")
	if !ok {
		return ""
	}
	return b
}

// perWorktreeRef reports whether ref lives in a linked work tree's own git
// directory rather than in the common directory.
func perWorktreeRef(ref string) bool {
	return strings.HasPrefix(ref, "refs/bisect/") ||
		strings.HasPrefix(ref, "refs/worktree/") ||
		strings.HasPrefix(ref, "refs/rewritten/")
}

// validRefName reports whether name is a well-formed ref under refs/, by the
// rules of git check-ref-format. A ref name is joined to a directory to find
// its file, so this is what keeps "ref: ../../etc/passwd" out.
func validRefName(name string) bool {
	if !strings.HasPrefix(name, "refs/") || strings.HasSuffix(name, "/") ||
		strings.HasSuffix(name, ".") || strings.Contains(name, "..") || strings.Contains(name, "@{") {
		return false
	}
	for _, c := range []byte(name) {
		if c < 0x20 || c == 0x7f || strings.IndexByte(" ~^:?*[\\", c) >= 0 {
			return false
		}
	}
	for comp := range strings.SplitSeq(name, "/") {
		if comp == "" || comp[0] == '.' || strings.HasSuffix(comp, ".lock") {
			return false
		}
	}
	return true
}

// isOID reports whether s is a full SHA-1 or SHA-256 object id in hex.
func isOID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// quoteStart quotes the start of a file's content for an error message.
func quoteStart(data []byte) string {
	if len(data) > 60 {
		return strconv.Quote(string(data[:60])) + "..."
	}
	return strconv.Quote(string(data))
}
