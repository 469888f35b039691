package deps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// uvDepRef is a dependency reference in uv.lock.
type uvDepRef struct {
	Name    string `toml:"name"`
	Version string `toml:"version"`
}

// uvPackage is a [[package]] of uv.lock.
type uvPackage struct {
	Name    string         `toml:"name"`
	Version string         `toml:"version"`
	Source  map[string]any `toml:"source"`
	Sdist   struct {
		Hash string `toml:"hash"`
	} `toml:"sdist"`
	Dependencies         []uvDepRef            `toml:"dependencies"`
	OptionalDependencies map[string][]uvDepRef `toml:"optional-dependencies"`
	DevDependencies      map[string][]uvDepRef `toml:"dev-dependencies"`
}

// parseUVLock reads uv.lock. The project itself and the other workspace
// members (sources "editable", "virtual", or a local "directory"/"path")
// are not dependencies; what they depend on is direct: their dependencies
// (runtime), optional-dependencies (optional) and dev-dependencies groups
// (dev, or test for a group named so). Scopes spread from there along the
// tree. The hash is the source distribution's.
func parseUVLock(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "pyproject", knowsDirect: true}
	var lock struct {
		Package []uvPackage `toml:"package"`
	}
	if err := decodeTOML(data, &lock); err != nil {
		return out, err
	}
	type node struct {
		pkg   *uvPackage
		index int
	}
	byName := map[string][]*node{}
	var roots []*uvPackage
	for i := range lock.Package {
		p := &lock.Package[i]
		if p.Name == "" {
			continue
		}
		if uvLocal(p.Source) || p.Version == "" {
			roots = append(roots, p)
			continue
		}
		d := newDep(ecoPyPI, p.Name, p.Version)
		if alg, val, ok := strings.Cut(p.Sdist.Hash, ":"); ok {
			d.Hashes = []catalog.Hash{{Algorithm: alg, Value: val}}
		}
		n := &node{pkg: p, index: len(out.deps)}
		out.deps = append(out.deps, d)
		k := normalisePyPI(p.Name)
		byName[k] = append(byName[k], n)
	}
	resolve := func(r uvDepRef) *node {
		cands := byName[normalisePyPI(r.Name)]
		for _, c := range cands {
			if r.Version == "" || c.pkg.Version == r.Version {
				return c
			}
		}
		return nil
	}
	for _, ns := range byName {
		for _, n := range ns {
			for _, r := range n.pkg.Dependencies {
				if t := resolve(r); t != nil {
					out.deps[n.index].DependsOn = append(out.deps[n.index].DependsOn, out.deps[t.index].PURL)
				}
			}
		}
	}
	rootScope := map[int]string{}
	mark := func(refs []uvDepRef, scope string) {
		for _, r := range refs {
			if t := resolve(r); t != nil {
				out.deps[t.index].Direct = true
				if prev, ok := rootScope[t.index]; ok {
					scope = broaderScope(prev, scope)
				}
				rootScope[t.index] = scope
			}
		}
	}
	for _, r := range roots {
		mark(r.Dependencies, catalog.ScopeRuntime)
		for _, refs := range r.OptionalDependencies {
			mark(refs, catalog.ScopeOptional)
		}
		for g, refs := range r.DevDependencies {
			s := scopeFromGroup(g)
			if s == catalog.ScopeRuntime {
				s = catalog.ScopeDev
			}
			mark(refs, s)
		}
	}
	propagateScopes(out.deps, rootScope)
	return out, nil
}

// uvLocal reports whether a uv.lock source is code in the repository.
func uvLocal(src map[string]any) bool {
	for _, k := range []string{"editable", "virtual", "directory", "path"} {
		if _, ok := src[k]; ok {
			return true
		}
	}
	return false
}

// reRequirement splits a PEP 508 requirement: name, extras, the rest.
var reRequirement = lazyre.New(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$`)

// reExactPEP440 matches a specifier that pins one version: "==1.2.3".
var reExactPEP440 = lazyre.New(`^===?\s*([0-9][0-9A-Za-z.!+_-]*)$`)

// rePlainVersion matches a bare version, which Poetry reads as exact.
var rePlainVersion = lazyre.New(`^[0-9][0-9A-Za-z.!+_-]*$`)

// pep508 turns a requirement string ("requests[socks]>=2,<3; python_version<'3.8'")
// into a dependency: an exact pin (==) as the version, any other specifier
// as the constraint. A direct URL reference ("name @ https://…") has no
// version.
func pep508(req, scope string) (catalog.Dependency, bool) {
	spec, _, _ := strings.Cut(req, ";")
	m := reRequirement.FindStringSubmatch(spec)
	if m == nil {
		return catalog.Dependency{}, false
	}
	name, rest := m[1], strings.TrimSpace(m[3])
	if strings.HasPrefix(rest, "@") { // a direct URL: not from the index
		return catalog.Dependency{}, false
	}
	rest = strings.Trim(rest, "()")
	if x := reExactPEP440.FindStringSubmatch(rest); x != nil && !strings.Contains(x[1], "*") {
		return constraintDep(ecoPyPI, name, x[1], scope, true), true
	}
	return constraintDep(ecoPyPI, name, strings.ReplaceAll(rest, " ", ""), scope, false), true
}

// parsePyproject reads what pyproject.toml declares: PEP 621
// [project] dependencies (runtime) and optional-dependencies (optional),
// PEP 735 [dependency-groups], Poetry's [tool.poetry] dependencies,
// dev-dependencies and groups, uv's and PDM's dev-dependencies. Group names
// give the scope (a "test" group is test, others dev). All are direct.
//
// It is a manifest: with a poetry.lock, uv.lock, pdm.lock or pylock.toml in
// its directory or an ancestor's, only the lockfile's packages are kept.
func parsePyproject(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "pyproject", manifest: true, knowsDirect: true}
	var pp struct {
		Project struct {
			Dependencies         []string            `toml:"dependencies"`
			OptionalDependencies map[string][]string `toml:"optional-dependencies"`
		} `toml:"project"`
		DependencyGroups map[string][]any `toml:"dependency-groups"`
		Tool             struct {
			Poetry struct {
				Dependencies    map[string]any `toml:"dependencies"`
				DevDependencies map[string]any `toml:"dev-dependencies"`
				Group           map[string]struct {
					Dependencies map[string]any `toml:"dependencies"`
				} `toml:"group"`
			} `toml:"poetry"`
			UV struct {
				DevDependencies []string `toml:"dev-dependencies"`
			} `toml:"uv"`
			PDM struct {
				DevDependencies map[string][]string `toml:"dev-dependencies"`
			} `toml:"pdm"`
		} `toml:"tool"`
	}
	if err := decodeTOML(data, &pp); err != nil {
		return out, err
	}
	add := func(reqs []string, scope string) {
		for _, r := range reqs {
			if d, ok := pep508(r, scope); ok {
				out.deps = append(out.deps, d)
			}
		}
	}
	add(pp.Project.Dependencies, catalog.ScopeRuntime)
	for _, g := range sortedKeys(pp.Project.OptionalDependencies) {
		add(pp.Project.OptionalDependencies[g], catalog.ScopeOptional)
	}
	for _, g := range sortedKeys(pp.DependencyGroups) {
		var reqs []string
		for _, item := range pp.DependencyGroups[g] {
			if s, ok := item.(string); ok { // tables are {include-group = "…"}
				reqs = append(reqs, s)
			}
		}
		add(reqs, groupScope(g))
	}
	add(pp.Tool.UV.DevDependencies, catalog.ScopeDev)
	for _, g := range sortedKeys(pp.Tool.PDM.DevDependencies) {
		add(pp.Tool.PDM.DevDependencies[g], groupScope(g))
	}
	var errs []error
	poetry := func(m map[string]any, scope string) {
		for _, name := range sortedKeys(m) {
			if strings.EqualFold(name, "python") {
				continue
			}
			d, err := poetryDep(name, m[name], scope)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if d.Name != "" {
				out.deps = append(out.deps, d)
			}
		}
	}
	poetry(pp.Tool.Poetry.Dependencies, catalog.ScopeRuntime)
	poetry(pp.Tool.Poetry.DevDependencies, catalog.ScopeDev)
	groups := make([]string, 0, len(pp.Tool.Poetry.Group))
	for g := range pp.Tool.Poetry.Group {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		poetry(pp.Tool.Poetry.Group[g].Dependencies, groupScope(g))
	}
	return out, errors.Join(errs...)
}

// groupScope is the scope of a dependency group by its name.
func groupScope(g string) string {
	if s := scopeFromGroup(g); s != catalog.ScopeRuntime {
		return s
	}
	return catalog.ScopeDev
}

// poetryDep reads a Poetry dependency: "^1.2", {version = "^1.2", optional
// = true, …}, or a list of such tables for several markers (the first is
// taken). Path, git and URL dependencies have no registry version and are
// skipped.
func poetryDep(name string, v any, scope string) (catalog.Dependency, error) {
	if list, ok := v.([]any); ok {
		if len(list) == 0 {
			return catalog.Dependency{}, nil
		}
		v = list[0]
	}
	var constraint string
	switch t := v.(type) {
	case string:
		constraint = t
	case map[string]any:
		for _, k := range []string{"path", "git", "url", "file"} {
			if _, ok := t[k]; ok {
				return catalog.Dependency{}, nil
			}
		}
		constraint, _ = t["version"].(string)
		if opt, _ := t["optional"].(bool); opt && scope == catalog.ScopeRuntime {
			scope = catalog.ScopeOptional
		}
	default:
		return catalog.Dependency{}, fmt.Errorf("tool.poetry dependency %q: unexpected %T", name, v)
	}
	constraint = strings.TrimSpace(constraint)
	if x := reExactPEP440.FindStringSubmatch(constraint); x != nil {
		return constraintDep(ecoPyPI, name, x[1], scope, true), nil
	}
	if rePlainVersion.MatchString(constraint) { // Poetry: "1.2.3" is exact
		return constraintDep(ecoPyPI, name, constraint, scope, true), nil
	}
	if constraint == "*" {
		constraint = ""
	}
	return constraintDep(ecoPyPI, name, constraint, scope, false), nil
}

// parsePipfile reads a Pipfile's [packages] (runtime) and [dev-packages]
// (dev). It is a manifest for Pipfile.lock.
func parsePipfile(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "pipfile", manifest: true, knowsDirect: true}
	var pf struct {
		Packages    map[string]any `toml:"packages"`
		DevPackages map[string]any `toml:"dev-packages"`
	}
	if err := decodeTOML(data, &pf); err != nil {
		return out, err
	}
	var errs []error
	for _, g := range []struct {
		m     map[string]any
		scope string
	}{{pf.Packages, catalog.ScopeRuntime}, {pf.DevPackages, catalog.ScopeDev}} {
		for _, name := range sortedKeys(g.m) {
			v := g.m[name]
			if t, ok := v.(map[string]any); ok {
				if _, local := t["path"]; local {
					continue
				}
				if _, git := t["git"]; git {
					continue
				}
				v, _ = t["version"].(string)
			}
			s, ok := v.(string)
			if !ok {
				errs = append(errs, fmt.Errorf("package %q: unexpected %T", name, v))
				continue
			}
			s = strings.TrimSpace(s)
			if s == "*" {
				s = ""
			}
			if x := reExactPEP440.FindStringSubmatch(s); x != nil {
				out.deps = append(out.deps, constraintDep(ecoPyPI, name, x[1], g.scope, true))
				continue
			}
			out.deps = append(out.deps, constraintDep(ecoPyPI, name, s, g.scope, false))
		}
	}
	return out, errors.Join(errs...)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// poetryLockPackage is a [[package]] of poetry.lock.
type poetryLockPackage struct {
	Name         string         `toml:"name"`
	Version      string         `toml:"version"`
	Category     string         `toml:"category"` // lock format 1.x: "main" or "dev"
	Optional     bool           `toml:"optional"`
	Groups       []string       `toml:"groups"` // lock format 2.1
	Dependencies map[string]any `toml:"dependencies"`
	Files        []struct {
		Hash string `toml:"hash"`
	} `toml:"files"`
	Source struct {
		Type string `toml:"type"`
	} `toml:"source"`
}

// parsePoetryLock reads poetry.lock (lock formats 1.x to 2.1): every
// package, its dependency edges and its file hashes ("files" in 2.x,
// [metadata.files] in 1.x). Scope comes from the lockfile where it says
// (category in 1.x, groups in 2.1, optional); Poetry 1.5-1.8 lockfiles do
// not, and then pyproject.toml's groups are spread along the tree. Which
// packages are direct is pyproject.toml's to say. Packages from a local
// directory or file are skipped.
func parsePoetryLock(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "pyproject"}
	var lock struct {
		Package  []poetryLockPackage `toml:"package"`
		Metadata struct {
			Files map[string][]struct {
				Hash string `toml:"hash"`
			} `toml:"files"`
		} `toml:"metadata"`
	}
	if err := decodeTOML(data, &lock); err != nil {
		return out, err
	}
	purls := map[string]string{}
	var pkgs []*poetryLockPackage
	for i := range lock.Package {
		p := &lock.Package[i]
		if p.Name == "" || p.Version == "" || p.Source.Type == "directory" || p.Source.Type == "file" {
			continue
		}
		pkgs = append(pkgs, p)
		purls[normalisePyPI(p.Name)] = makePURL(ecoPyPI, p.Name, p.Version, nil)
	}
	for _, p := range pkgs {
		d := newDep(ecoPyPI, p.Name, p.Version)
		switch {
		case p.Optional:
			d.Scope = catalog.ScopeOptional
		case p.Category == "main" || slices.Contains(p.Groups, "main"):
			d.Scope = catalog.ScopeRuntime
		case p.Category != "":
			d.Scope = catalog.ScopeDev
		case len(p.Groups) > 0:
			d.Scope = groupScope(p.Groups[0])
			for _, g := range p.Groups[1:] {
				d.Scope = broaderScope(d.Scope, groupScope(g))
			}
		}
		files := p.Files
		if len(files) == 0 {
			files = lock.Metadata.Files[p.Name]
		}
		for _, f := range files {
			if alg, val, ok := strings.Cut(f.Hash, ":"); ok {
				d.Hashes = append(d.Hashes, catalog.Hash{Algorithm: alg, Value: val})
			}
		}
		for _, name := range sortedKeys(p.Dependencies) {
			if u, ok := purls[normalisePyPI(name)]; ok {
				d.DependsOn = append(d.DependsOn, u)
			}
		}
		out.deps = append(out.deps, d)
	}
	return out, nil
}
