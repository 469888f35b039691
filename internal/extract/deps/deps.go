// Package deps extracts the packages a repository depends on from its
// manifests and lockfiles: go.mod, npm/yarn/pnpm lockfiles, Python, Maven,
// Gradle, Cargo, RubyGems, Composer, NuGet, Hex and Swift files, GitHub
// Actions workflows and Dockerfiles.
//
// Where osv-scalibr has a good extractor for a format it is called directly,
// one file at a time, over a read-only view of the repository's committed
// tree; where scalibr lacks a format, or lacks what the catalogue records
// (direct or transitive, hashes, licences, the dependency tree), a parser of
// this package is used. The extractors are listed in list.go.
//
// Each lockfile or manifest is a component of its own: the same package in
// two lockfiles is two dependencies, told apart by Manifest. When a manifest
// and its lockfile sit in the same directory (or the lockfile in an ancestor
// directory, as in npm, yarn, pnpm, Cargo and uv workspaces), the lockfile
// gives the packages and the manifest only says which of them are direct.
package deps

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"runtime/debug"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Options bound and tune Extract. The zero value means the defaults.
type Options struct {
	// SkipDirs are directory names whose contents are not read, at any
	// depth; nil means DefaultSkipDirs.
	SkipDirs []string
	// MaxFileSize is the largest manifest or lockfile read, in bytes; 0
	// means 64 MiB.
	MaxFileSize int64
	// MaxFiles is the number of manifests and lockfiles read from one
	// repository; 0 means 20,000.
	MaxFiles int
	// MaxDepsPerFile is the number of dependencies kept from one file; 0
	// means 100,000.
	MaxDepsPerFile int
	// MaxDeps is the number of dependencies kept from one repository; 0
	// means 1,000,000.
	MaxDeps int
}

// DefaultSkipDirs are the directories skipped by default: copies of other
// projects' code (vendored dependencies, installed packages) and test
// fixtures, whose lockfiles are not the project's own dependencies.
// "test/fixtures"-style directories (a "fixtures" or "__fixtures__"
// directory under a test directory) are skipped too.
var DefaultSkipDirs = []string{
	"node_modules", "bower_components", "jspm_packages",
	"vendor", "third_party", "third-party", "thirdparty",
	"testdata", "__fixtures__",
	".git", ".hg", ".svn",
	".venv", "venv", "site-packages", ".tox",
	".yarn", // yarn berry's cache and release copies
}

const (
	defaultMaxFileSize    = 64 << 20
	defaultMaxFiles       = 20_000
	defaultMaxDepsPerFile = 100_000
	defaultMaxDeps        = 1_000_000
)

func (o Options) withDefaults() Options {
	if o.SkipDirs == nil {
		o.SkipDirs = DefaultSkipDirs
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = defaultMaxFileSize
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = defaultMaxFiles
	}
	if o.MaxDepsPerFile <= 0 {
		o.MaxDepsPerFile = defaultMaxDepsPerFile
	}
	if o.MaxDeps <= 0 {
		o.MaxDeps = defaultMaxDeps
	}
	return o
}

// Extract returns the dependencies recorded in the tree's manifests and
// lockfiles, with default Options. See ExtractWith.
func Extract(ctx context.Context, t repofs.Tree) ([]catalog.Dependency, []catalog.Problem) {
	return ExtractWith(ctx, t, Options{})
}

// ExtractWith returns the dependencies recorded in the tree's manifests and
// lockfiles, sorted by Manifest, then PURL, and the problems met on the way.
// It never fails as a whole: a file that cannot be parsed (or an extractor
// that panics on it) becomes a problem with the file's path, and the other
// files are still read. Files larger than MaxFileSize, symbolic links and
// directories in SkipDirs are not read. When ctx is done it stops and
// returns what it has.
//
// It reads files only through t, and never follows a symbolic link.
func ExtractWith(ctx context.Context, t repofs.Tree, opts Options) ([]catalog.Dependency, []catalog.Problem) {
	return extractFiles(ctx, t, t.Files(), opts)
}

// extractFiles is ExtractWith reading only the manifests among files (the
// rest of t stays readable: a lockfile parser may look at its manifest).
func extractFiles(ctx context.Context, t repofs.Tree, files []repofs.File, opts Options) ([]catalog.Dependency, []catalog.Problem) {
	opts = opts.withDefaults()
	quietScalibr()
	listing := files
	fsys := newTreeFS(t, t.Files(), opts.MaxFileSize)
	exs := extractors()

	var probs []catalog.Problem
	var results []*fileResult
	skip := map[string]bool{}
	for _, d := range opts.SkipDirs {
		skip[d] = true
	}
	read := 0
	for _, f := range listing {
		if ctx.Err() != nil {
			break
		}
		if f.Symlink || f.Submodule {
			continue
		}
		var matched []extractor
		for _, ex := range exs {
			if ex.required(f.Path) {
				matched = append(matched, ex)
			}
		}
		if len(matched) == 0 || skippedPath(f.Path, skip) {
			continue
		}
		if f.Size > opts.MaxFileSize {
			probs = append(probs, catalog.Problem{Kind: catalog.ProblemTooLarge, Path: f.Path,
				Message: fmt.Sprintf("%s is %d bytes, more than the %d read for dependencies; it was skipped", f.Path, f.Size, opts.MaxFileSize)})
			continue
		}
		read++
		if read > opts.MaxFiles {
			probs = append(probs, catalog.Problem{Kind: catalog.ProblemTooLarge, Path: f.Path,
				Message: fmt.Sprintf("more than %d manifests and lockfiles; the rest were not read for dependencies", opts.MaxFiles)})
			break
		}
		for _, ex := range matched {
			res, err := runOne(ctx, ex, fsys, f)
			if err != nil {
				probs = append(probs, fileProblem(f.Path, ex, err))
			}
			if res == nil {
				continue
			}
			if len(res.out.deps) > opts.MaxDepsPerFile {
				probs = append(probs, catalog.Problem{Kind: catalog.ProblemTooLarge, Path: f.Path,
					Message: fmt.Sprintf("%s lists %d dependencies; the first %d were kept", f.Path, len(res.out.deps), opts.MaxDepsPerFile)})
				res.out.deps = res.out.deps[:opts.MaxDepsPerFile]
			}
			results = append(results, res)
		}
	}

	results = pairManifests(results)
	var deps []catalog.Dependency
	for _, r := range results {
		deps = append(deps, finish(r)...)
	}
	slices.SortFunc(deps, compareDeps)
	deps = mergeSame(deps)
	if len(deps) > opts.MaxDeps {
		probs = append(probs, catalog.Problem{Kind: catalog.ProblemTooLarge,
			Message: fmt.Sprintf("%d dependencies found; the first %d were kept", len(deps), opts.MaxDeps)})
		deps = deps[:opts.MaxDeps]
	}
	return deps, probs
}

func compareDeps(a, b catalog.Dependency) int {
	return cmp.Or(cmp.Compare(a.Manifest, b.Manifest), cmp.Compare(a.PURL, b.PURL),
		cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
}

// skippedPath reports whether a file lies in a skipped directory.
func skippedPath(p string, skip map[string]bool) bool {
	segs := strings.Split(p, "/")
	segs = segs[:len(segs)-1] // directories only
	for i, s := range segs {
		if skip[s] {
			return true
		}
		if s == "fixtures" && i > 0 {
			switch segs[i-1] {
			case "test", "tests", "spec", "__tests__", "e2e":
				return true
			}
		}
	}
	return false
}

// fileProblem turns an extractor's error on a file into a problem.
func fileProblem(p string, ex extractor, err error) catalog.Problem {
	kind := catalog.ProblemParse
	var pe *panicError
	switch {
	case errors.As(err, &pe):
		kind = catalog.ProblemInternal
	case errors.Is(err, repofs.ErrTooLarge):
		kind = catalog.ProblemTooLarge
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		kind = catalog.ProblemTimeout
	}
	return catalog.Problem{Kind: kind, Path: p, Message: fmt.Sprintf("dependencies (%s): %s", ex.name(), errorText(err))}
}

// maxErrorsShown and maxErrorText bound a problem's message: a file with
// thousands of bad entries gives the first few and a count.
const (
	maxErrorsShown = 5
	maxErrorText   = 2000
)

// errorText renders an error, shortening a long list of joined errors.
func errorText(err error) string {
	var s string
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > maxErrorsShown {
		errs := j.Unwrap()
		parts := make([]string, 0, maxErrorsShown+1)
		for _, e := range errs[:maxErrorsShown] {
			parts = append(parts, e.Error())
		}
		parts = append(parts, fmt.Sprintf("and %d more errors", len(errs)-maxErrorsShown))
		s = strings.Join(parts, "; ")
	} else {
		s = err.Error()
	}
	s = strings.ReplaceAll(s, "\n", "; ")
	if len(s) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// panicError is an extractor's panic, recovered.
type panicError struct {
	value any
	stack string
}

func (e *panicError) Error() string { return fmt.Sprintf("extractor crashed: %v", e.value) }

// runOne runs one extractor on one file, recovering a panic into an error.
// It returns the result even when err is set if the extractor gave a partial
// result.
func runOne(ctx context.Context, ex extractor, fsys *treeFS, f repofs.File) (res *fileResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, &panicError{value: r, stack: string(debug.Stack())}
		}
	}()
	out, err := ex.extract(ctx, &input{path: f.Path, size: f.Size, fs: fsys})
	if len(out.deps) == 0 && !out.manifest {
		return nil, err
	}
	for i := range out.deps {
		d := &out.deps[i]
		if d.Manifest == "" {
			d.Manifest = f.Path
		}
	}
	return &fileResult{path: f.Path, ex: ex, out: out}, err
}

// input is one file handed to an extractor.
type input struct {
	// path is the file's repository-relative path.
	path string
	size int64
	// fs reads the file and its siblings.
	fs *treeFS
}

// read returns the file's content.
func (in *input) read() ([]byte, error) {
	return in.fs.readFile(in.path, in.fs.maxRead)
}

// sibling returns the path of name in the file's directory.
func (in *input) sibling(name string) string {
	return path.Join(path.Dir(in.path), name)
}

// output is what an extractor found in one file.
type output struct {
	deps []catalog.Dependency
	// knowsDirect reports that the file itself says which dependencies are
	// direct; otherwise a manifest beside it is asked.
	knowsDirect bool
	// manifest marks a manifest (package.json, pyproject.toml, Cargo.toml,
	// composer.json, ...): its declarations are replaced by a lockfile of the
	// same family in its directory or an ancestor, if there is one.
	manifest bool
	// family pairs manifests with their lockfiles, e.g. "npm", "pyproject".
	family string
	// declared, if set, returns the indexes in deps of the packages a
	// manifest's declaration resolves to (its Name and, as Version, its
	// constraint); by default, every package of that name.
	declared func(decl catalog.Dependency) []int
	// markOnly are a manifest's declarations of packages not taken from a
	// registry (npm git and URL dependencies): they add no dependency of
	// their own, but mark the lockfile's package of that name direct.
	markOnly []catalog.Dependency
}

// extractor is one format's parser: ours, or a scalibr extractor wrapped.
type extractor interface {
	// name identifies the extractor in problems.
	name() string
	// required reports whether the file at path is in this format.
	required(path string) bool
	// extract parses one file. It may return dependencies with an error when
	// it could read part of the file.
	extract(ctx context.Context, in *input) (output, error)
}

// fileResult is an extractor's output on one file.
type fileResult struct {
	path string
	ex   extractor
	out  output
	// decls are what the manifests paired with this lockfile declare: they
	// mark its packages direct and give scopes to its tree.
	decls *[]catalog.Dependency
}

// pairManifests replaces each manifest's declarations by the lockfile of the
// same family in its directory or the nearest ancestor directory, if any:
// the manifest's names then mark the lockfile's packages direct (unless the
// lockfile knows which are direct itself), and the manifest contributes no
// dependencies of its own.
func pairManifests(results []*fileResult) []*fileResult {
	locks := map[string]map[string]*fileResult{} // family → dir → lockfile
	for _, r := range results {
		if r.out.manifest || r.out.family == "" {
			continue
		}
		byDir := locks[r.out.family]
		if byDir == nil {
			byDir = map[string]*fileResult{}
			locks[r.out.family] = byDir
		}
		// Several lockfiles of a family in one directory (package-lock.json
		// and yarn.lock): the manifest marks each of them.
		if prev, ok := byDir[path.Dir(r.path)]; ok {
			r.decls = prev.decls
		} else {
			r.decls = new([]catalog.Dependency)
		}
		byDir[path.Dir(r.path)] = r
	}
	kept := results[:0]
	for _, r := range results {
		if !r.out.manifest {
			kept = append(kept, r)
			continue
		}
		lock := nearestLock(locks[r.out.family], path.Dir(manifestDir(r.path)))
		if lock == nil {
			kept = append(kept, r)
			continue
		}
		*lock.decls = append(*lock.decls, r.out.deps...)
		*lock.decls = append(*lock.decls, r.out.markOnly...)
	}
	return kept
}

// manifestDir returns the path whose directory a manifest belongs to: a
// Gradle version catalog in gradle/ belongs to the project above it.
func manifestDir(p string) string {
	if d := path.Dir(p); path.Base(d) == "gradle" && strings.HasSuffix(p, ".versions.toml") {
		return d
	}
	return p
}

// nearestLock returns the lockfile in dir or its nearest ancestor.
func nearestLock(byDir map[string]*fileResult, dir string) *fileResult {
	for {
		if r, ok := byDir[dir]; ok {
			return r
		}
		if dir == "." || dir == "/" || dir == "" {
			return nil
		}
		dir = path.Dir(dir)
	}
}

// directKey normalises a package name for matching a manifest's declaration
// with a lockfile's entry.
func directKey(ecosystem, name string) string {
	switch ecosystem {
	case ecoPyPI:
		return ecosystem + "\x00" + normalisePyPI(name)
	case ecoComposer, ecoNuGet, ecoGem:
		return ecosystem + "\x00" + strings.ToLower(name)
	}
	return ecosystem + "\x00" + name
}

// finish applies manifests' direct marks and scopes to a lockfile's
// dependencies, merges duplicates (the same PURL listed twice in one file)
// and drops entries without a PURL.
func finish(r *fileResult) []catalog.Dependency {
	deps := r.out.deps
	if r.decls != nil && len(*r.decls) > 0 {
		rootScope := map[int]string{}
		var byName map[string][]int
		for _, decl := range *r.decls {
			var idx []int
			if r.out.declared != nil {
				idx = r.out.declared(decl)
			} else {
				if byName == nil {
					byName = map[string][]int{}
					for i, d := range deps {
						k := directKey(d.Ecosystem, d.Name)
						byName[k] = append(byName[k], i)
					}
				}
				idx = byName[directKey(decl.Ecosystem, decl.Name)]
			}
			for _, i := range idx {
				if !r.out.knowsDirect {
					deps[i].Direct = true
				}
				if !deps[i].Direct {
					continue
				}
				if prev, ok := rootScope[i]; ok {
					rootScope[i] = broaderScope(prev, decl.Scope)
				} else {
					rootScope[i] = decl.Scope
				}
			}
		}
		propagateScopes(deps, rootScope)
	}
	byPURL := map[string]int{}
	out := deps[:0]
	for _, d := range deps {
		if d.PURL == "" {
			continue
		}
		if i, ok := byPURL[d.PURL]; ok {
			out[i] = mergeDep(out[i], d)
			continue
		}
		byPURL[d.PURL] = len(out)
		out = append(out, d)
	}
	for i := range out {
		tidy(&out[i])
	}
	return out
}

// mergeSame merges the records of one package in one manifest that came
// from two files (a requirements file included by two others). deps must
// be sorted by Manifest and PURL.
func mergeSame(deps []catalog.Dependency) []catalog.Dependency {
	out := deps[:0]
	for _, d := range deps {
		if n := len(out); n > 0 && out[n-1].Manifest == d.Manifest && out[n-1].PURL == d.PURL {
			m := mergeDep(out[n-1], d)
			tidy(&m)
			out[n-1] = m
			continue
		}
		out = append(out, d)
	}
	return out
}

// tidy sorts and deduplicates a dependency's lists.
func tidy(d *catalog.Dependency) {
	slices.Sort(d.DependsOn)
	d.DependsOn = slices.Compact(d.DependsOn)
	slices.Sort(d.Licenses)
	d.Licenses = slices.Compact(d.Licenses)
	slices.SortFunc(d.Hashes, func(a, b catalog.Hash) int {
		return cmp.Or(cmp.Compare(a.Algorithm, b.Algorithm), cmp.Compare(a.Value, b.Value))
	})
	d.Hashes = slices.Compact(d.Hashes)
}

// mergeDep merges two records of the same package in one file: direct if
// either is, the broader scope, and the union of licences, hashes and edges.
func mergeDep(a, b catalog.Dependency) catalog.Dependency {
	a.Direct = a.Direct || b.Direct
	a.Scope = broaderScope(a.Scope, b.Scope)
	a.Constraint = a.Constraint && b.Constraint
	a.Licenses = append(a.Licenses, b.Licenses...)
	a.Hashes = append(a.Hashes, b.Hashes...)
	a.DependsOn = append(a.DependsOn, b.DependsOn...)
	return a
}

// scopeRank orders scopes from the broadest: a package needed at run time
// by one path and only for development by another is a runtime dependency.
var scopeRank = map[string]int{
	catalog.ScopeRuntime: 0, "": 1, catalog.ScopeOptional: 2, catalog.ScopeBuild: 3,
	catalog.ScopeTest: 4, catalog.ScopeDev: 5,
}

func broaderScope(a, b string) string {
	if scopeRank[b] < scopeRank[a] {
		return b
	}
	return a
}

// normalisePyPI returns a Python package name normalised as PEP 503 says:
// lowercase, runs of '-', '_' and '.' replaced by one '-'.
func normalisePyPI(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}
