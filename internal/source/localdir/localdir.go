// Package localdir discovers git repositories in directory trees on disk.
package localdir

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ospo-project/ospo/internal/safefs"
	"github.com/ospo-project/ospo/internal/source"
)

// SkipDirs are directory names never descended into while looking for
// repositories: package caches and build outputs hold thousands of
// directories and no repositories of the organisation's own.
var SkipDirs = []string{
	"node_modules", "vendor", "bower_components", "jspm_packages",
	".venv", "venv", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
	".gradle", ".m2", ".npm", ".yarn", ".pnpm-store", ".cache", ".terraform",
	"Pods", "Carthage", "DerivedData", ".build", "target", "dist", "build", ".next",
}

// Options tune discovery. The zero value is ready to use.
type Options struct {
	// Deep also looks for repositories nested anywhere inside a work tree.
	// By default only the submodules a work tree declares in .gitmodules are
	// followed, which keeps discovery of a large estate to a directory walk
	// over the folders that hold repositories, not over every file in them.
	Deep bool
	// MaxDepth bounds how deep below a root discovery goes; 0 means 32.
	MaxDepth int
}

// Discover walks roots and returns every git work tree and bare repository
// under them, sorted by path, each once even when reached through several
// paths or symlinks. Directories it cannot read, and symbolic links it
// refuses to follow, are returned as problems; only a cancelled context is an
// error.
//
// Discovery is confined, because a repository's content is hostile:
//   - nothing inside a repository (a work tree or a bare repository) is ever
//     followed through a symbolic link: with Deep, links in a work tree are
//     skipped, and a submodule path declared in .gitmodules that goes through
//     a link (a committed "sub -> /" with "path = sub/x") is refused;
//   - every directory visited resolves (symbolic links evaluated) inside one
//     of the roots, themselves resolved first. The one exception is the
//     user's own layout: a symbolic link standing directly in a root (for
//     example ~/src/app -> /data/app) is followed once, and its target is
//     then confined like a root.
func Discover(ctx context.Context, roots []string, opts Options) ([]source.Candidate, []source.Problem, error) {
	d := &discoverer{opts: opts, seen: map[string]bool{}, found: map[string]int{}}
	if d.opts.MaxDepth == 0 {
		d.opts.MaxDepth = 32
	}
	type root struct{ abs, real string }
	var named []root
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			d.problem(r, err)
			continue
		}
		fi, err := os.Stat(abs)
		if err != nil {
			d.problem(abs, err)
			continue
		}
		if !fi.IsDir() {
			d.problem(abs, fmt.Errorf("not a directory"))
			continue
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			d.problem(abs, err)
			continue
		}
		named = append(named, root{abs, real})
		d.roots = append(d.roots, real)
	}
	for _, r := range named {
		if err := d.walk(ctx, r.abs, 0, place{}); err != nil {
			return nil, nil, err
		}
	}
	sort.Slice(d.out, func(i, j int) bool { return d.out[i].Path < d.out[j].Path })
	return d.out, d.problems, nil
}

type discoverer struct {
	opts     Options
	roots    []string        // real paths discovery may not leave
	seen     map[string]bool // real paths of directories visited
	found    map[string]int  // real path of each repository found → index in out
	out      []source.Candidate
	problems []source.Problem
}

// place is where a directory is reached from.
type place struct {
	// repo is the real path of the innermost repository the directory lies
	// in, "" outside every repository. Nothing under it is followed through
	// a symbolic link, and nothing outside it is visited from it.
	repo string
	// topLink reports a symbolic link standing directly in a root: the one
	// kind of link whose target may lie outside the roots.
	topLink bool
}

func (d *discoverer) problem(path string, err error) {
	d.problems = append(d.problems, source.Problem{Path: path, Message: err.Error()})
}

// errOutside is the problem recorded for a symbolic link that leads out of
// the roots.
var errOutside = errors.New("symbolic link leads outside the directories being scanned; not followed (name its target as a directory to scan)")

func (d *discoverer) walk(ctx context.Context, dir string, depth int, at place) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		d.problem(dir, err)
		return nil
	}
	switch {
	case at.repo != "":
		if !within(real, at.repo) {
			return nil // cannot happen without a link, which is never followed; refuse all the same
		}
	case at.topLink:
		if !within(real, d.roots...) {
			d.roots = append(d.roots, real)
		}
	case !within(real, d.roots...):
		d.problem(dir, errOutside)
		return nil
	}
	if i, ok := d.found[real]; ok {
		d.add(dir, real, d.out[i].Bare)
		return nil
	}
	if d.seen[real] {
		return nil // reached before, through another path or a symlink loop
	}
	d.seen[real] = true

	entries, err := os.ReadDir(dir)
	if err != nil {
		d.problem(dir, err)
		return nil
	}
	names := map[string]fs.DirEntry{}
	for _, e := range entries {
		names[e.Name()] = e
	}

	if _, ok := names[".git"]; ok {
		d.add(dir, real, false)
		inside := place{repo: real}
		if d.opts.Deep {
			return d.walkChildren(ctx, dir, entries, depth, inside)
		}
		return d.walkSubmodules(ctx, dir, depth, inside)
	}
	if isBare(dir, names) {
		d.add(dir, real, true)
		return nil // a bare repository's folders are git's own
	}
	return d.walkChildren(ctx, dir, entries, depth, at)
}

func (d *discoverer) walkChildren(ctx context.Context, dir string, entries []fs.DirEntry, depth int, at place) error {
	if depth >= d.opts.MaxDepth {
		return nil
	}
	for _, e := range entries {
		name := e.Name()
		if name == ".git" || skip(name) {
			continue
		}
		path := filepath.Join(dir, name)
		isDir := e.IsDir()
		link := e.Type()&fs.ModeSymlink != 0
		if link {
			if at.repo != "" {
				continue // a repository's links are never followed
			}
			fi, err := os.Stat(path)
			if err != nil {
				continue // dangling link or loop: nothing to find there
			}
			isDir = fi.IsDir()
		}
		if !isDir {
			continue
		}
		if err := d.walk(ctx, path, depth+1, place{repo: at.repo, topLink: link && depth == 0}); err != nil {
			return err
		}
	}
	return nil
}

// walkSubmodules follows the submodule paths a work tree declares. A path
// must stay inside the work tree and go through real directories only: a
// committed symbolic link on the way is refused, wherever it points.
func (d *discoverer) walkSubmodules(ctx context.Context, dir string, depth int, at place) error {
	for _, rel := range submodulePaths(filepath.Join(dir, ".gitmodules")) {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		// A submodule path must stay inside the work tree.
		if r, err := filepath.Rel(dir, path); err != nil || r == "." || strings.HasPrefix(r, "..") {
			continue
		}
		switch err := noLinks(dir, path); {
		case errors.Is(err, errLink):
			d.problem(path, fmt.Errorf("submodule path goes through a symbolic link; not followed"))
			continue
		case err != nil:
			continue // declared but not checked out
		}
		if err := d.walk(ctx, path, depth+1, at); err != nil {
			return err
		}
	}
	return nil
}

var errLink = errors.New("symbolic link")

// noLinks checks that every element of path below base is a directory and
// none is a symbolic link. The error wraps errLink for a link, else it is
// the error of Lstat or "not a directory".
func noLinks(base, path string) error {
	r, err := filepath.Rel(base, path)
	if err != nil {
		return err
	}
	cur := base
	for _, el := range strings.Split(r, string(filepath.Separator)) {
		cur = filepath.Join(cur, el)
		fi, err := os.Lstat(cur)
		switch {
		case err != nil:
			return err
		case fi.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s: %w", cur, errLink)
		case !fi.IsDir():
			return fmt.Errorf("%s: not a directory", cur)
		}
	}
	return nil
}

// within reports whether the clean absolute path p is one of bases or lies
// below one of them.
func within(p string, bases ...string) bool {
	for _, b := range bases {
		if p == b || strings.HasPrefix(p, strings.TrimSuffix(b, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func (d *discoverer) add(path, real string, bare bool) {
	if i, ok := d.found[real]; ok {
		// Reached again: prefer the path that involves no symlink.
		if path == real {
			d.out[i].Path = path
		}
		return
	}
	d.found[real] = len(d.out)
	d.out = append(d.out, source.Candidate{Path: path, RealPath: real, Bare: bare})
}

func skip(name string) bool {
	for _, s := range SkipDirs {
		if name == s {
			return true
		}
	}
	return false
}

// isBare reports whether a directory looks like a bare repository: a HEAD
// file beside objects/ and refs/ folders, as git itself checks.
func isBare(dir string, names map[string]fs.DirEntry) bool {
	head, ok := names["HEAD"]
	if !ok || head.IsDir() {
		return false
	}
	for _, n := range []string{"objects", "refs"} {
		e, ok := names[n]
		if !ok {
			return false
		}
		if !e.IsDir() {
			fi, err := os.Stat(filepath.Join(dir, n))
			if err != nil || !fi.IsDir() {
				return false
			}
		}
	}
	return true
}

// submodulePaths reads the `path = ...` entries of a .gitmodules file,
// reading at most 1 MiB of it.
func submodulePaths(file string) []string {
	f, err := safefs.OpenRegular(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	var paths []string
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		key, val, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(key) == "path" {
			if p := strings.Trim(strings.TrimSpace(val), `"`); p != "" {
				paths = append(paths, p)
			}
		}
	}
	return paths
}
