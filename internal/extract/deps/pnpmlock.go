package deps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
)

// pnpmRef is a dependency's resolved version in a pnpm lockfile: a plain
// string (v5), or {specifier, version} (v6+).
type pnpmRef string

// UnmarshalYAML implements yaml.Unmarshaler.
func (r *pnpmRef) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*r = pnpmRef(n.Value)
		return nil
	case yaml.MappingNode:
		var v struct {
			Version string `yaml:"version"`
		}
		if err := n.Decode(&v); err != nil {
			return err
		}
		*r = pnpmRef(v.Version)
		return nil
	}
	return fmt.Errorf("line %d: a dependency version must be a string or a mapping", n.Line)
}

// pnpmImporter is a workspace project (or, before v6 without workspaces, the
// lockfile's top level).
type pnpmImporter struct {
	PackageManager       map[string]pnpmRef `yaml:"packageManagerDependencies"`
	Dependencies         map[string]pnpmRef `yaml:"dependencies"`
	DevDependencies      map[string]pnpmRef `yaml:"devDependencies"`
	OptionalDependencies map[string]pnpmRef `yaml:"optionalDependencies"`
}

// pnpmPackage is an entry of "packages" (and, from v9, "snapshots").
type pnpmPackage struct {
	Resolution struct {
		Integrity string `yaml:"integrity"`
		Tarball   string `yaml:"tarball"`
	} `yaml:"resolution"`
	Name                 string            `yaml:"name"`
	Version              string            `yaml:"version"`
	Dev                  *bool             `yaml:"dev"`
	Optional             bool              `yaml:"optional"`
	Dependencies         map[string]string `yaml:"dependencies"`
	OptionalDependencies map[string]string `yaml:"optionalDependencies"`
}

// parsePNPMLock reads pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x.
//
// Packages are keyed "/name/1.0.0_peer@2" (v5), "/name@1.0.0(peer@2)" (v6)
// or "name@1.0.0" with the dependency tree in "snapshots" (v9); peer
// suffixes do not change a package's identity. The importers (workspace
// projects; the top level without workspaces) say which packages are direct
// and with which scope; v5 and v6 also mark dev-only packages, and for v9
// scopes are spread from the importers along the tree. Local packages
// (link:, file:, workspace:) are skipped.
func parsePNPMLock(_ context.Context, _ *input, data []byte) (out output, err error) {
	out = output{family: "npm", knowsDirect: true}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	// pnpm 10 and later may write two documents: the package manager's own
	// dependencies, then the project's.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var errs []error
	for i := 0; i < 16; i++ {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if !errors.Is(err, io.EOF) {
				errs = append(errs, err)
			}
			break
		}
		if len(doc.Content) == 0 {
			continue
		}
		deps, err := pnpmDocument(doc.Content[0])
		out.deps = append(out.deps, deps...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// pnpmDocument reads one YAML document of a pnpm lockfile.
func pnpmDocument(root *yaml.Node) ([]catalog.Dependency, error) {
	if root.Kind != yaml.MappingNode {
		return nil, errors.New("not a mapping")
	}
	var errs []error
	var (
		lockVersion string
		importers   = map[string]pnpmImporter{}
		top         pnpmImporter
		packages    = map[string]*pnpmPackage{}
		snapshots   = map[string]*pnpmPackage{}
	)
	decodeEntries := func(n *yaml.Node, into map[string]*pnpmPackage) {
		if n.Tag == "!!null" {
			return
		}
		if n.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Errorf("line %d: expected a mapping", n.Line))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			var p pnpmPackage
			if err := n.Content[i+1].Decode(&p); err != nil {
				errs = append(errs, fmt.Errorf("line %d: %q: %w", n.Content[i].Line, n.Content[i].Value, err))
				continue
			}
			into[n.Content[i].Value] = &p
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "lockfileVersion":
			lockVersion = v.Value
		case "importers":
			err = v.Decode(&importers)
		case "dependencies":
			err = v.Decode(&top.Dependencies)
		case "devDependencies":
			err = v.Decode(&top.DevDependencies)
		case "optionalDependencies":
			err = v.Decode(&top.OptionalDependencies)
		case "packages":
			decodeEntries(v, packages)
		case "snapshots":
			decodeEntries(v, snapshots)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k.Value, err))
		}
	}
	if len(importers) == 0 {
		importers["."] = top
	}
	v9 := !strings.HasPrefix(lockVersion, "5") && !strings.HasPrefix(lockVersion, "6") && lockVersion != ""
	if v9 && len(snapshots) == 0 && len(packages) > 0 {
		v9 = false
	}
	nodes := packages
	if v9 {
		nodes = snapshots
	}

	// key turns a dependency's reference into the key of its node.
	key := func(name, ref string) string {
		switch {
		case ref == "" || strings.HasPrefix(ref, "link:") || strings.HasPrefix(ref, "file:") || strings.HasPrefix(ref, "workspace:"):
			return ""
		case strings.HasPrefix(ref, "/"): // v5/v6 alias or full path
			return ref
		case !v9 && strings.HasPrefix(lockVersion, "5"):
			return "/" + name + "/" + ref
		case !v9:
			return "/" + name + "@" + ref
		case ref[0] >= '0' && ref[0] <= '9':
			return name + "@" + ref
		}
		return ref // v9 alias: "ms@2.1.3"
	}
	type node struct {
		key     string
		name    string
		version string
		pkg     *pnpmPackage // resolution data
		snap    *pnpmPackage // dependencies
	}
	var order []string
	for k := range nodes {
		order = append(order, k)
	}
	sort.Strings(order)
	byKey := map[string]*node{}
	for _, k := range order {
		n := &node{key: k, snap: nodes[k], pkg: nodes[k]}
		if v9 {
			if p := packages[pnpmStripPeers(k)]; p != nil {
				n.pkg = p
			}
		}
		n.name, n.version = pnpmNameVersion(k, lockVersion, v9)
		if n.pkg.Name != "" {
			n.name = n.pkg.Name
		}
		if n.pkg.Version != "" {
			n.version = n.pkg.Version
		}
		if n.name == "" || n.version == "" || strings.HasPrefix(k, "file:") || strings.Contains(k, "@file:") || strings.Contains(k, "@link:") {
			continue
		}
		byKey[k] = n
	}

	index := map[string]int{}
	var deps []catalog.Dependency
	for _, k := range order {
		n := byKey[k]
		if n == nil {
			continue
		}
		d := newDep(ecoNPM, n.name, n.version)
		d.Hashes = sriHashes(n.pkg.Resolution.Integrity)
		if !v9 {
			switch {
			case n.pkg.Optional:
				d.Scope = catalog.ScopeOptional
			case n.pkg.Dev != nil && *n.pkg.Dev:
				d.Scope = catalog.ScopeDev
			case n.pkg.Dev != nil:
				d.Scope = catalog.ScopeRuntime
			}
		}
		for _, m := range []map[string]string{n.snap.Dependencies, n.snap.OptionalDependencies} {
			for name, ref := range m {
				if t := byKey[key(name, ref)]; t != nil {
					d.DependsOn = append(d.DependsOn, makePURL(ecoNPM, t.name, t.version, nil))
				}
			}
		}
		index[k] = len(deps)
		deps = append(deps, d)
	}
	rootScope := map[int]string{}
	for _, imp := range importers {
		for _, g := range []struct {
			refs  map[string]pnpmRef
			scope string
		}{
			{imp.Dependencies, catalog.ScopeRuntime}, {imp.OptionalDependencies, catalog.ScopeOptional},
			{imp.DevDependencies, catalog.ScopeDev}, {imp.PackageManager, catalog.ScopeBuild},
		} {
			for name, ref := range g.refs {
				i, ok := index[key(name, string(ref))]
				if !ok {
					continue
				}
				deps[i].Direct = true
				if prev, ok := rootScope[i]; ok {
					rootScope[i] = broaderScope(prev, g.scope)
				} else {
					rootScope[i] = g.scope
				}
			}
		}
	}
	propagateScopes(deps, rootScope)
	return deps, errors.Join(errs...)
}

// pnpmStripPeers removes the peer-dependency suffix of a v6/v9 key:
// "a@1.0.0(b@2.0.0)(c@3)" → "a@1.0.0".
func pnpmStripPeers(k string) string {
	if i := strings.IndexByte(k, '('); i > 0 {
		return k[:i]
	}
	return k
}

// pnpmNameVersion splits a package key into name and version. Before v9,
// keys start with "/" or with the host of the registry or tarball the
// package came from, which is dropped. A version that does not start with a
// digit (a git or tarball source) gives "".
func pnpmNameVersion(k, lockVersion string, v9 bool) (name, version string) {
	if !v9 {
		if strings.HasPrefix(k, "/") {
			k = k[1:]
		} else if i := strings.IndexByte(k, '/'); i > 0 && strings.Contains(k[:i], ".") {
			k = k[i+1:] // registry.npmjs.org/foo/1.0.0
		}
	}
	if !v9 && strings.HasPrefix(lockVersion, "5") {
		i := strings.LastIndexByte(k, '/')
		if i <= 0 {
			return "", ""
		}
		name, version = k[:i], k[i+1:]
		if j := strings.IndexByte(version, '_'); j >= 0 { // peer suffix
			version = version[:j]
		}
	} else {
		k = pnpmStripPeers(k)
		i := strings.LastIndexByte(k, '@')
		if i <= 0 {
			return "", ""
		}
		name, version = k[:i], k[i+1:]
	}
	if version == "" || version[0] < '0' || version[0] > '9' || strings.ContainsAny(version, ":/") {
		return name, ""
	}
	return name, version
}
