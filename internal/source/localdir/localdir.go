// Package localdir discovers git repositories in directory trees on disk.
package localdir

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
// paths or symlinks. Directories it cannot read are returned as problems;
// only a cancelled context is an error.
func Discover(ctx context.Context, roots []string, opts Options) ([]source.Candidate, []source.Problem, error) {
	d := &discoverer{opts: opts, seen: map[string]bool{}, found: map[string]int{}}
	if d.opts.MaxDepth == 0 {
		d.opts.MaxDepth = 32
	}
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			d.problem(root, err)
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
		if err := d.walk(ctx, abs, 0); err != nil {
			return nil, nil, err
		}
	}
	sort.Slice(d.out, func(i, j int) bool { return d.out[i].Path < d.out[j].Path })
	return d.out, d.problems, nil
}

type discoverer struct {
	opts     Options
	seen     map[string]bool // real paths of directories visited
	found    map[string]int  // real path of each repository found → index in out
	out      []source.Candidate
	problems []source.Problem
}

func (d *discoverer) problem(path string, err error) {
	d.problems = append(d.problems, source.Problem{Path: path, Message: err.Error()})
}

func (d *discoverer) walk(ctx context.Context, dir string, depth int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		d.problem(dir, err)
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
		if d.opts.Deep {
			return d.walkChildren(ctx, dir, entries, depth)
		}
		return d.walkSubmodules(ctx, dir, depth)
	}
	if isBare(dir, names) {
		d.add(dir, real, true)
		return nil // a bare repository's folders are git's own
	}
	return d.walkChildren(ctx, dir, entries, depth)
}

func (d *discoverer) walkChildren(ctx context.Context, dir string, entries []fs.DirEntry, depth int) error {
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
		if e.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(path)
			if err != nil {
				continue // dangling link or loop: nothing to find there
			}
			isDir = fi.IsDir()
		}
		if !isDir {
			continue
		}
		if err := d.walk(ctx, path, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// walkSubmodules follows the submodule paths a work tree declares.
func (d *discoverer) walkSubmodules(ctx context.Context, dir string, depth int) error {
	for _, rel := range submodulePaths(filepath.Join(dir, ".gitmodules")) {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		// A submodule path must stay inside the work tree.
		if r, err := filepath.Rel(dir, path); err != nil || strings.HasPrefix(r, "..") {
			continue
		}
		if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
			continue // declared but not checked out
		}
		if err := d.walk(ctx, path, depth+1); err != nil {
			return err
		}
	}
	return nil
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
	f, err := os.Open(file)
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
