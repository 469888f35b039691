package deps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// npmLockPackage is an entry of package-lock.json's "packages" (lockfile
// versions 2 and 3).
type npmLockPackage struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Integrity            string            `json:"integrity"`
	License              json.RawMessage   `json:"license"`
	Link                 bool              `json:"link"`
	Dev                  bool              `json:"dev"`
	Optional             bool              `json:"optional"`
	DevOptional          bool              `json:"devOptional"`
	InBundle             bool              `json:"inBundle"`
	Dependencies         map[string]string `json:"dependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
}

// npmLockDep is an entry of package-lock.json's "dependencies" tree
// (lockfile version 1).
type npmLockDep struct {
	Version      string                 `json:"version"`
	Integrity    string                 `json:"integrity"`
	Dev          bool                   `json:"dev"`
	Optional     bool                   `json:"optional"`
	Bundled      bool                   `json:"bundled"`
	Requires     map[string]string      `json:"requires"`
	Dependencies map[string]*npmLockDep `json:"dependencies"`
}

// parseNPMLock reads package-lock.json or npm-shrinkwrap.json.
//
// Versions 2 and 3 list every installed package under "packages", keyed by
// its install path. The root entry "" is the project itself and entries
// outside node_modules are workspace packages: neither is a dependency, but
// the dependencies they declare are the direct ones. Entries with "link":
// true point at a workspace folder and are skipped. Bundled packages
// ("inBundle") are installed and are kept. Edges are resolved the way Node
// resolves require(): from the package's own node_modules up to the root.
//
// Version 1 (npm 5 and 6) lists a nested "dependencies" tree; it does not
// say which packages are direct, so package.json beside it is used. Git and
// local ("file:") dependencies of version 1 have no version and are
// skipped.
//
// A package-lock.json beside an npm-shrinkwrap.json is ignored, as npm
// ignores it.
func parseNPMLock(ctx context.Context, in *input, data []byte) (output, error) {
	out := output{family: "npm"}
	if path.Base(in.path) == "package-lock.json" && in.fs.exists(in.sibling("npm-shrinkwrap.json")) {
		return out, nil
	}
	var lock struct {
		LockfileVersion int                        `json:"lockfileVersion"`
		Packages        map[string]json.RawMessage `json:"packages"`
		Dependencies    map[string]json.RawMessage `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return out, fmt.Errorf("invalid JSON: %w", err)
	}
	if lock.Packages != nil {
		out.knowsDirect = true
		deps, err := npmPackages(ctx, lock.Packages)
		out.deps = deps
		return out, err
	}
	deps, top, err := npmTree(lock.Dependencies)
	out.deps = deps
	// package.json's declarations are the packages installed at the top.
	out.declared = func(decl catalog.Dependency) []int {
		if i, ok := top[decl.Name]; ok && deps[i].Name == decl.Name &&
			(decl.Constraint || decl.Version == "" || deps[i].Version == decl.Version) {
			return []int{i}
		}
		// An alias ("my-ms": "npm:ms@2.1.3") is installed under its own name.
		var idx []int
		for _, i := range top {
			if deps[i].Name == decl.Name && deps[i].Version == decl.Version {
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		return idx
	}
	return out, err
}

// npmPackages reads the "packages" map of lockfile versions 2 and 3.
func npmPackages(ctx context.Context, raw map[string]json.RawMessage) ([]catalog.Dependency, error) {
	var errs []error
	pkgs := make(map[string]*npmLockPackage, len(raw))
	for key, r := range raw {
		var p npmLockPackage
		if err := json.Unmarshal(r, &p); err != nil {
			errs = append(errs, fmt.Errorf("packages[%q]: %w", key, err))
			continue
		}
		pkgs[key] = &p
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Keys sorted so that output and errors are stable.
	keys := make([]string, 0, len(pkgs))
	for k := range pkgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	isPackage := func(key string) bool {
		p := pkgs[key]
		return p != nil && !p.Link && p.Version != "" && strings.Contains("/"+key, "/node_modules/")
	}
	purls := map[string]string{}
	for _, k := range keys {
		if isPackage(k) {
			purls[k] = makePURL(ecoNPM, npmName(k, pkgs[k]), pkgs[k].Version, nil)
		}
	}
	// resolve finds the install path of the dependency name as required
	// from the package (or workspace) at key.
	resolve := func(from, name string) (string, bool) {
		for dir := from; ; dir = npmParent(dir) {
			k := "node_modules/" + name
			if dir != "" {
				k = dir + "/" + k
			}
			if _, ok := purls[k]; ok {
				return k, true
			}
			if dir == "" {
				return "", false
			}
		}
	}
	direct := map[string]bool{}
	var deps []catalog.Dependency
	index := map[string]int{}
	for _, k := range keys {
		p := pkgs[k]
		if !isPackage(k) {
			if p.Link || strings.Contains("/"+k, "/node_modules/") {
				continue
			}
			// The root project or a workspace package: what it declares is direct.
			for _, m := range []map[string]string{p.Dependencies, p.DevDependencies, p.OptionalDependencies, p.PeerDependencies} {
				for name := range m {
					if target, ok := resolve(k, name); ok {
						direct[target] = true
					}
				}
			}
			continue
		}
		d := newDep(ecoNPM, npmName(k, p), p.Version)
		d.PURL = purls[k]
		switch {
		case p.Dev || p.DevOptional:
			d.Scope = catalog.ScopeDev
		case p.Optional:
			d.Scope = catalog.ScopeOptional
		default:
			d.Scope = catalog.ScopeRuntime
		}
		d.Hashes = sriHashes(p.Integrity)
		d.Licenses = npmLicenses(p.License)
		for _, m := range []map[string]string{p.Dependencies, p.OptionalDependencies, p.PeerDependencies} {
			for name := range m {
				if target, ok := resolve(k, name); ok {
					d.DependsOn = append(d.DependsOn, purls[target])
				}
			}
		}
		index[k] = len(deps)
		deps = append(deps, d)
	}
	for k := range direct {
		if i, ok := index[k]; ok {
			deps[i].Direct = true
		}
	}
	return deps, errors.Join(errs...)
}

// npmName returns a package's name: "name" when the entry has one (an
// alias installed under another name), else the part of its install path
// after the last node_modules/.
func npmName(key string, p *npmLockPackage) string {
	if p.Name != "" {
		return p.Name
	}
	i := strings.LastIndex(key, "node_modules/")
	return key[i+len("node_modules/"):]
}

// npmParent returns the install path whose node_modules holds the package
// at key: "node_modules/a/node_modules/b" → "node_modules/a"; a top-level
// package or a workspace folder → "" (the root).
func npmParent(key string) string {
	if i := strings.LastIndex(key, "/node_modules/"); i >= 0 {
		return key[:i]
	}
	return ""
}

// npmNode is a package of a version 1 lockfile tree.
type npmNode struct {
	dep   npmLockDep
	key   string // the name it is installed under
	name  string
	purl  string
	level *npmLevel // the node_modules directory holding the package
	kids  *npmLevel // the package's own node_modules, if any
}

// npmLevel is one node_modules directory of a version 1 lockfile tree.
type npmLevel struct {
	parent *npmLevel
	byName map[string]*npmNode
}

// npmTree reads the nested "dependencies" tree of lockfile version 1. It
// also returns, by name, the indexes of the packages installed at the top
// level. Each top-level entry is decoded on its own, so one bad entry does
// not lose the others.
func npmTree(raw map[string]json.RawMessage) ([]catalog.Dependency, map[string]int, error) {
	var errs []error
	top := make(map[string]*npmLockDep, len(raw))
	for _, name := range sortedKeys(raw) {
		var d npmLockDep
		if err := json.Unmarshal(raw[name], &d); err != nil {
			errs = append(errs, fmt.Errorf("dependencies[%q]: %w", name, err))
			continue
		}
		top[name] = &d
	}
	var all []*npmNode
	var walk func(entries map[string]*npmLockDep, parent *npmLevel) *npmLevel
	walk = func(entries map[string]*npmLockDep, parent *npmLevel) *npmLevel {
		lv := &npmLevel{parent: parent, byName: map[string]*npmNode{}}
		for _, name := range sortedKeys(entries) {
			d := entries[name]
			if d == nil {
				continue
			}
			n := &npmNode{dep: *d, key: name, name: name, level: lv}
			if rest, ok := strings.CutPrefix(d.Version, "npm:"); ok { // an alias: "npm:real@1.2.3"
				if i := strings.LastIndexByte(rest, '@'); i > 0 {
					n.name, n.dep.Version = rest[:i], rest[i+1:]
				}
			}
			if npmVersionOK(n.dep.Version) {
				n.purl = makePURL(ecoNPM, n.name, n.dep.Version, nil)
			}
			lv.byName[name] = n
			all = append(all, n)
			if len(d.Dependencies) > 0 {
				n.kids = walk(d.Dependencies, lv) // depth is bounded by the JSON decoder's
			}
		}
		return lv
	}
	root := walk(top, nil)

	var deps []catalog.Dependency
	topIndex := map[string]int{}
	for _, n := range all {
		if n.purl == "" {
			continue
		}
		d := newDep(ecoNPM, n.name, n.dep.Version)
		d.PURL = n.purl
		switch {
		case n.dep.Dev:
			d.Scope = catalog.ScopeDev
		case n.dep.Optional:
			d.Scope = catalog.ScopeOptional
		default:
			d.Scope = catalog.ScopeRuntime
		}
		d.Hashes = sriHashes(n.dep.Integrity)
		if n.level == root {
			topIndex[n.key] = len(deps)
		}
		for req := range n.dep.Requires {
			// Node looks in the package's own node_modules, then upwards.
			lv := n.kids
			if lv == nil {
				lv = n.level
			}
			for ; lv != nil; lv = lv.parent {
				if t, ok := lv.byName[req]; ok {
					if t.purl != "" {
						d.DependsOn = append(d.DependsOn, t.purl)
					}
					break
				}
			}
		}
		deps = append(deps, d)
	}
	return deps, topIndex, errors.Join(errs...)
}

// npmVersionOK reports whether a version 1 lockfile "version" is a
// registry version rather than a git URL or local path.
func npmVersionOK(v string) bool {
	return v != "" && !strings.ContainsAny(v, ":/#")
}

// sriHashes splits a Subresource Integrity string ("sha512-… sha1-…") into
// hashes.
func sriHashes(integrity string) []catalog.Hash {
	var hs []catalog.Hash
	for _, f := range strings.Fields(integrity) {
		alg, val, ok := strings.Cut(f, "-")
		if ok && alg != "" && val != "" {
			hs = append(hs, catalog.Hash{Algorithm: alg, Value: val})
		}
	}
	return hs
}

// npmLicenses reads a lockfile's "license": a string (an SPDX expression),
// or in old packages an object {"type": …} or an array of them.
func npmLicenses(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s != "" {
			return []string{s}
		}
		return nil
	}
	var o struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &o) == nil && o.Type != "" {
		return []string{o.Type}
	}
	var arr []struct {
		Type string `json:"type"`
	}
	var out []string
	if json.Unmarshal(raw, &arr) == nil {
		for _, a := range arr {
			if a.Type != "" {
				out = append(out, a.Type)
			}
		}
	}
	return out
}
