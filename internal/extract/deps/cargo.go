package deps

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// cargoLockPackage is a [[package]] of Cargo.lock.
type cargoLockPackage struct {
	Name         string   `toml:"name"`
	Version      string   `toml:"version"`
	Source       string   `toml:"source"`
	Checksum     string   `toml:"checksum"`
	Dependencies []string `toml:"dependencies"`
}

// parseCargoLock reads Cargo.lock (formats 1 to 4). Packages without a
// source are the workspace's own crates (and path dependencies): they are
// not dependencies, and what they depend on is direct. Edges name a crate
// by "name", "name version" or "name version (source)". The checksum is the
// SHA-256 of the crate archive; format 1 keeps checksums in [metadata].
// Cargo.toml says which direct crates are for development or build only.
func parseCargoLock(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "cargo", knowsDirect: true}
	var lock struct {
		Package  []cargoLockPackage `toml:"package"`
		Metadata map[string]any     `toml:"metadata"`
	}
	if err := decodeTOML(data, &lock); err != nil {
		return out, err
	}
	type node struct {
		pkg   *cargoLockPackage
		index int // in out.deps; -1 for a workspace crate
	}
	byName := map[string][]*node{}
	var nodes []*node
	for i := range lock.Package {
		p := &lock.Package[i]
		if p.Name == "" || p.Version == "" {
			continue
		}
		n := &node{pkg: p, index: -1}
		if p.Source != "" {
			d := newDep(ecoCargo, p.Name, p.Version)
			sum := p.Checksum
			if sum == "" {
				sum, _ = lock.Metadata[fmt.Sprintf("checksum %s %s (%s)", p.Name, p.Version, p.Source)].(string)
			}
			if sum != "" && sum != "<none>" {
				d.Hashes = []catalog.Hash{{Algorithm: "sha256", Value: sum}}
			}
			n.index = len(out.deps)
			out.deps = append(out.deps, d)
		}
		nodes = append(nodes, n)
		byName[p.Name] = append(byName[p.Name], n)
	}
	resolve := func(ref string) *node {
		f := strings.Fields(ref)
		if len(f) == 0 {
			return nil
		}
		for _, c := range byName[f[0]] {
			if len(f) == 1 || c.pkg.Version == f[1] {
				return c
			}
		}
		return nil
	}
	for _, n := range nodes {
		for _, ref := range n.pkg.Dependencies {
			t := resolve(ref)
			if t == nil || t.index < 0 {
				continue
			}
			if n.index < 0 {
				out.deps[t.index].Direct = true
				continue
			}
			out.deps[n.index].DependsOn = append(out.deps[n.index].DependsOn, out.deps[t.index].PURL)
		}
	}
	return out, nil
}

// cargoDep is a dependency's entry in Cargo.toml: "1.0" or a table.
type cargoDep struct {
	version   string
	pkg       string // the crate's real name when renamed
	local     bool   // path or git dependency
	workspace bool   // version inherited from [workspace.dependencies]
}

func readCargoDep(v any) (cargoDep, error) {
	switch t := v.(type) {
	case string:
		return cargoDep{version: t}, nil
	case map[string]any:
		var d cargoDep
		d.version, _ = t["version"].(string)
		d.pkg, _ = t["package"].(string)
		d.workspace, _ = t["workspace"].(bool)
		_, hasPath := t["path"]
		_, hasGit := t["git"]
		d.local = (hasPath || hasGit) && d.version == ""
		return d, nil
	}
	return cargoDep{}, fmt.Errorf("unexpected %T", v)
}

// cargoManifest is the part of Cargo.toml that is read.
type cargoManifest struct {
	Dependencies      map[string]any `toml:"dependencies"`
	DevDependencies   map[string]any `toml:"dev-dependencies"`
	BuildDependencies map[string]any `toml:"build-dependencies"`
	Target            map[string]struct {
		Dependencies      map[string]any `toml:"dependencies"`
		DevDependencies   map[string]any `toml:"dev-dependencies"`
		BuildDependencies map[string]any `toml:"build-dependencies"`
	} `toml:"target"`
	Workspace *struct {
		Dependencies map[string]any `toml:"dependencies"`
	} `toml:"workspace"`
}

// reCargoExact matches a requirement of one exact version, "=1.2.3".
var reCargoExact = lazyre.New(`^=\s*(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$`)

// parseCargoToml reads what a Cargo.toml declares: [dependencies]
// (runtime), [dev-dependencies] (dev), [build-dependencies] (build), also
// per target. A version requirement ("1.2" means ^1.2) is a constraint; a
// dependency inherited with workspace = true takes its requirement from the
// [workspace.dependencies] of the nearest Cargo.toml above that has a
// [workspace]. Path and git dependencies without a version are skipped. It
// is a manifest: a Cargo.lock in its directory or above replaces it.
func parseCargoToml(_ context.Context, in *input, data []byte) (output, error) {
	out := output{family: "cargo", manifest: true, knowsDirect: true}
	var m cargoManifest
	if err := decodeTOML(data, &m); err != nil {
		return out, err
	}
	var wsDeps map[string]any
	if m.Workspace != nil {
		wsDeps = m.Workspace.Dependencies
	} else {
		wsDeps = cargoWorkspaceDeps(in)
	}
	var errs []error
	add := func(table map[string]any, scope string) {
		for _, key := range sortedKeys(table) {
			d, err := readCargoDep(table[key])
			if err != nil {
				errs = append(errs, fmt.Errorf("dependency %q: %w", key, err))
				continue
			}
			if d.workspace {
				if w, err := readCargoDep(wsDeps[key]); err == nil {
					if d.pkg == "" {
						d.pkg = w.pkg
					}
					d.version, d.local = w.version, w.local
				}
			}
			if d.local {
				continue
			}
			name := key
			if d.pkg != "" {
				name = d.pkg
			}
			v := strings.TrimSpace(d.version)
			if x := reCargoExact.FindStringSubmatch(v); x != nil {
				out.deps = append(out.deps, constraintDep(ecoCargo, name, x[1], scope, true))
				continue
			}
			out.deps = append(out.deps, constraintDep(ecoCargo, name, v, scope, false))
		}
	}
	add(m.Dependencies, catalog.ScopeRuntime)
	add(m.DevDependencies, catalog.ScopeDev)
	add(m.BuildDependencies, catalog.ScopeBuild)
	for _, t := range sortedKeys(m.Target) {
		add(m.Target[t].Dependencies, catalog.ScopeRuntime)
		add(m.Target[t].DevDependencies, catalog.ScopeDev)
		add(m.Target[t].BuildDependencies, catalog.ScopeBuild)
	}
	return out, errors.Join(errs...)
}

// cargoWorkspaceDeps returns the [workspace.dependencies] of the nearest
// Cargo.toml above the file that has a [workspace] table.
func cargoWorkspaceDeps(in *input) map[string]any {
	for dir := path.Dir(in.path); dir != "."; {
		dir = path.Dir(dir)
		data, err := in.fs.readFile(path.Join(dir, "Cargo.toml"), 4<<20)
		if err != nil {
			continue
		}
		var m cargoManifest
		if decodeTOML(data, &m) == nil && m.Workspace != nil {
			return m.Workspace.Dependencies
		}
	}
	return nil
}
