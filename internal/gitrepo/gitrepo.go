// Package gitrepo reads the facts of one git repository, a work tree or a
// bare repository, safely and fast.
//
// The catalogue describes what is committed at HEAD, never what is in a work
// tree: incremental scans keyed on the HEAD commit are then exact, and a
// symbolic link is only ever a blob whose content is its target.
//
// The cheap questions (is this a repository, what is HEAD, what is the origin
// URL, what is the default branch) are answered by reading the git directory
// in Go, without starting a process, so that checking an unchanged estate of
// thousands of repositories takes seconds. Git is run (always through gitcmd,
// which neutralises everything a hostile repository could ask it to execute)
// only for object access: the tree listing, blob contents and commit dates,
// and as a fallback when the git directory uses a layout this package does
// not read itself (reftable, a symbolic-link HEAD).
//
// Everything read from a repository is treated as hostile: files are read
// only when they are regular files and only up to a small size, ref names are
// validated before they are used as paths, and object ids are validated before
// they are handed to git.
package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/ospo-project/ospo/internal/gitcmd"
)

// ErrNotRepository is wrapped by Open's error when the path is neither a work
// tree (a directory holding .git) nor a bare repository.
var ErrNotRepository = errors.New("not a git repository")

// ErrCorrupt is wrapped by the errors of Open and Head when the path is meant
// to be a repository (it has a .git entry, or HEAD says so) but its git
// directory cannot be read: a garbage HEAD, a .git file pointing nowhere, a
// loose ref holding something other than an object id.
var ErrCorrupt = errors.New("corrupt git repository")

// ErrNoCommits is wrapped by the error of Head, HeadDate and Tree when HEAD
// names a branch that has no commit yet (a freshly initialised repository).
var ErrNoCommits = errors.New("repository has no commits")

// Size limits on the small files of a git directory. A hostile repository
// must not be able to make a read of HEAD allocate gigabytes.
const (
	maxSmallFile  = 4 << 10 // HEAD, loose refs, .git files, commondir
	maxConfigFile = 1 << 20 // config; larger ones are left to git
)

// Repo is one opened repository. Open is its only constructor.
//
// A Repo holds paths only, no open files or processes: it needs no closing and
// its methods are safe for concurrent use. Every method reads the repository
// afresh, so a Repo stays correct while the repository changes.
type Repo struct {
	// Dir is the path given to Open, unchanged.
	Dir string
	// GitDir is the absolute path, symbolic links resolved, of the git
	// directory: Dir/.git, the target of a .git file, or Dir itself when bare.
	GitDir string
	// CommonDir is the absolute real path of the directory holding the
	// objects, the shared refs and the config. It differs from GitDir only for
	// a linked work tree (git worktree add), whose GitDir is
	// <main>/.git/worktrees/<name>.
	CommonDir string
	// WorkTree is the absolute real path of the work tree, or "" when Bare.
	WorkTree string
	// Bare reports whether the repository has no work tree.
	Bare bool

	// reftable reports that refs are stored in the reftable format, which
	// this package leaves to git.
	reftable bool
}

// Open opens the repository at path, which is either the root of a work tree
// (holding a .git directory, or a .git file "gitdir: <path>" as linked work
// trees and submodules have) or a bare repository (a directory holding HEAD,
// objects/ and refs/). A path that is itself the git directory of a work tree
// (its .git, or the <main>/.git/worktrees/<name> of a linked work tree) is
// accepted too, and is not Bare.
//
// Open runs no git process. It checks the layout and that HEAD is either a
// symbolic ref or an object id, as git itself does to recognise a repository.
// The error wraps ErrNotRepository when path is not a repository at all, and
// ErrCorrupt when it has a .git entry or a HEAD but they cannot be used.
func Open(path string) (*Repo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("open repository %s: not a directory: %w", path, ErrNotRepository)
	}

	r := &Repo{Dir: path}
	dotgit := filepath.Join(abs, ".git")
	realGitDir := false
	lst, err := os.Lstat(dotgit)
	switch {
	case err == nil && lst.IsDir():
		// The common case. .git is no link, so resolving the work tree
		// resolves the git directory too.
		wt, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, fmt.Errorf("open repository %s: %w", path, err)
		}
		r.WorkTree, r.GitDir, realGitDir = wt, filepath.Join(wt, ".git"), true
	case err == nil:
		st, err := os.Stat(dotgit)
		switch {
		case err != nil:
			return nil, fmt.Errorf("open repository %s: .git is a dangling symbolic link: %w", path, ErrCorrupt)
		case st.IsDir():
			r.GitDir, r.WorkTree = dotgit, abs
		case st.Mode().IsRegular():
			gd, err := readGitFile(dotgit)
			if err != nil {
				return nil, fmt.Errorf("open repository %s: %w", path, err)
			}
			r.GitDir, r.WorkTree = gd, abs
		default:
			return nil, fmt.Errorf("open repository %s: .git is neither a directory nor a file: %w", path, ErrCorrupt)
		}
	case errors.Is(err, fs.ErrNotExist):
		if !looksLikeGitDir(abs) {
			return nil, fmt.Errorf("open repository %s: no .git and not a bare repository (HEAD, objects/, refs/): %w", path, ErrNotRepository)
		}
		r.GitDir = abs
		if filepath.Base(abs) == ".git" {
			r.WorkTree = filepath.Dir(abs)
		} else if data, err := readSmall(filepath.Join(abs, "gitdir"), maxSmallFile); err == nil {
			// A linked work tree's git directory: its gitdir file names the
			// work tree's .git file.
			r.WorkTree = filepath.Dir(strings.TrimRight(string(data), "\r\n"))
		} else {
			r.Bare = true
		}
	default:
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}

	if err := r.resolveDirs(realGitDir); err != nil {
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}
	if !r.reftable { // reftable HEADs hold a deliberately invalid ref
		if _, _, err := r.readHead(); err != nil && !errors.Is(err, errUnsupported) {
			return nil, fmt.Errorf("open repository %s: %w", path, err)
		}
	}
	return r, nil
}

// resolveDirs turns GitDir, CommonDir and WorkTree into real paths (unless
// resolved says GitDir and WorkTree already are) and checks the git
// directory's layout. HEAD is checked by Open's read of it.
func (r *Repo) resolveDirs(resolved bool) error {
	gd := r.GitDir
	if !resolved {
		var err error
		if gd, err = filepath.EvalSymlinks(r.GitDir); err != nil {
			return fmt.Errorf("git directory: %v: %w", err, ErrCorrupt)
		}
		if r.WorkTree != "" {
			if wt, err := filepath.EvalSymlinks(r.WorkTree); err == nil {
				r.WorkTree = wt
			}
		}
	}
	r.GitDir = gd
	r.CommonDir = gd
	switch data, err := readSmall(filepath.Join(gd, "commondir"), maxSmallFile); {
	case err == nil:
		cd := strings.TrimRight(string(data), "\r\n")
		if cd == "" {
			return fmt.Errorf("empty commondir file in %s: %w", gd, ErrCorrupt)
		}
		if !filepath.IsAbs(cd) {
			cd = filepath.Join(gd, cd)
		}
		if cd, err = filepath.EvalSymlinks(cd); err != nil {
			return fmt.Errorf("common directory of %s: %v: %w", gd, err, ErrCorrupt)
		}
		r.CommonDir = cd
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("read commondir of %s: %w", gd, err)
	}
	for _, p := range []string{filepath.Join(r.CommonDir, "objects"), filepath.Join(r.CommonDir, "refs")} {
		if _, err := os.Lstat(p); err != nil {
			return fmt.Errorf("git directory %s lacks %s: %w", r.GitDir, filepath.Base(p), ErrCorrupt)
		}
	}
	if err := checkGitFiles(r.GitDir, r.CommonDir); err != nil {
		return err
	}
	if st, err := os.Stat(filepath.Join(r.CommonDir, "reftable")); err == nil && st.IsDir() {
		r.reftable = true
		if _, err := os.Lstat(filepath.Join(r.GitDir, "HEAD")); err != nil {
			return fmt.Errorf("git directory %s lacks HEAD: %w", r.GitDir, ErrCorrupt)
		}
	}
	return nil
}

// gitFiles are the files of a git directory that every git command may read
// (relative to the common directory) before it touches an object.
var gitFiles = []string{"config", "packed-refs", "shallow", "objects/info/alternates", "info/grafts"}

// checkGitFiles refuses a git directory where HEAD or one of gitFiles is a
// FIFO, a socket or a device (links followed): a FIFO there makes every git
// command on the repository block forever reading it, and a device makes it
// read without end. A directory where a file belongs is left to the reads
// that need the file.
func checkGitFiles(gitDir, commonDir string) error {
	check := func(p string) error {
		if special, what := specialFile(p); special {
			return fmt.Errorf("%s is not a regular file (%s): %w", p, what, ErrCorrupt)
		}
		return nil
	}
	if err := check(filepath.Join(gitDir, "HEAD")); err != nil {
		return err
	}
	if gitDir != commonDir {
		if err := check(filepath.Join(gitDir, "config")); err != nil {
			return err
		}
	}
	for _, f := range gitFiles {
		if err := check(filepath.Join(commonDir, filepath.FromSlash(f))); err != nil {
			return err
		}
	}
	return nil
}

// looksLikeGitDir reports whether dir has the layout of a git directory:
// HEAD, and objects/ and refs/ (or a commondir file, for the git directory of
// a linked work tree).
func looksLikeGitDir(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, "HEAD")); err != nil {
		return false
	}
	if _, err := os.Lstat(filepath.Join(dir, "commondir")); err == nil {
		return true
	}
	for _, sub := range []string{"objects", "refs"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}

// readGitFile returns the git directory named by a .git file
// ("gitdir: <path>", relative to the file's directory).
func readGitFile(name string) (string, error) {
	data, err := readSmall(name, maxSmallFile)
	if err != nil {
		return "", fmt.Errorf("read .git file: %v: %w", err, ErrCorrupt)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	gd, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "gitdir: ")
	if !ok || gd == "" {
		return "", fmt.Errorf(`.git file %s does not start with "gitdir: ": %w`, name, ErrCorrupt)
	}
	if !filepath.IsAbs(gd) {
		gd = filepath.Join(filepath.Dir(name), gd)
	}
	return gd, nil
}

// fileKind is what stands at a path, as readNoFollow found it.
type fileKind int

const (
	kindMissing fileKind = iota
	kindRegular
	kindDir
	kindSymlink
	kindOther // FIFO, socket, device
)

// errNotRegular is returned by readSmall for anything but a regular file.
var errNotRegular = errors.New("not a regular file")

// readSmall reads a file of the git directory that must be a regular file (not
// a symbolic link, FIFO or device, which a hostile repository could plant to
// make a read hang or leave the repository) of at most limit bytes. The error
// wraps fs.ErrNotExist when there is no such file.
func readSmall(name string, limit int64) ([]byte, error) {
	data, kind, err := readNoFollow(name, limit)
	switch {
	case err != nil:
		return nil, err
	case kind == kindMissing:
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case kind != kindRegular:
		return nil, &fs.PathError{Op: "read", Path: name, Err: errNotRegular}
	}
	return data, nil
}

// errTooBig is wrapped by readNoFollow's error for a file over its limit.
var errTooBig = errors.New("file too big")

// readPortable is readNoFollow for systems without O_NOFOLLOW: it checks the
// file with Lstat before opening it.
func readPortable(name string, limit int64) ([]byte, fileKind, error) {
	st, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil, kindMissing, nil
	case err != nil:
		return nil, kindMissing, err
	case st.IsDir():
		return nil, kindDir, nil
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, kindSymlink, nil
	case !st.Mode().IsRegular():
		return nil, kindOther, nil
	case st.Size() > limit:
		return nil, kindRegular, &fs.PathError{Op: "read", Path: name, Err: errTooBig}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, kindMissing, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, kindRegular, err
	}
	if int64(len(data)) > limit {
		return nil, kindRegular, &fs.PathError{Op: "read", Path: name, Err: errTooBig}
	}
	return data, kindRegular, nil
}

// git runs a git subcommand against the repository's git directory, named
// explicitly so that git never discovers some other (enclosing) repository.
func (r *Repo) git(ctx context.Context, args ...string) (string, error) {
	return gitcmd.Output(ctx, r.GitDir, append([]string{"--git-dir=" + r.GitDir}, args...)...)
}

// exitCode returns the exit status of a failed git command, or -1 when it did
// not run to an exit.
func exitCode(err error) int {
	var ee interface{ ExitCode() int }
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// capWriter keeps the first n bytes written to it and drops the rest, so that
// a chatty failing process cannot fill memory.
type capWriter struct {
	buf []byte
	n   int
}

func (w *capWriter) Write(p []byte) (int, error) {
	if room := w.n - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (w *capWriter) String() string { return strings.TrimSpace(string(w.buf)) }
