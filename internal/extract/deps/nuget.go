package deps

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// nugetLockEntry is a package of packages.lock.json, per target framework.
type nugetLockEntry struct {
	Type         string            `json:"type"`
	Resolved     string            `json:"resolved"`
	ContentHash  string            `json:"contentHash"`
	Dependencies map[string]string `json:"dependencies"`
}

// parseNuGetLock reads a NuGet packages.lock.json. Each target framework
// lists its packages with "type" Direct, Transitive, CentralTransitive
// (transitive, its version pinned centrally) or Project (another project of
// the solution: not a package). contentHash is the base64 SHA-512 of the
// package. Edges are resolved within the same target framework.
func parseNuGetLock(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "nuget", knowsDirect: true}
	var lock struct {
		Dependencies map[string]map[string]json.RawMessage `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return out, fmt.Errorf("invalid JSON: %w", err)
	}
	var errs []error
	for _, fw := range sortedKeys(lock.Dependencies) {
		entries := map[string]nugetLockEntry{}
		purls := map[string]string{} // lowercased name → PURL
		for _, name := range sortedKeys(lock.Dependencies[fw]) {
			var e nugetLockEntry
			if err := json.Unmarshal(lock.Dependencies[fw][name], &e); err != nil {
				errs = append(errs, fmt.Errorf("dependencies[%q][%q]: %w", fw, name, err))
				continue
			}
			if strings.EqualFold(e.Type, "Project") || e.Resolved == "" {
				continue
			}
			entries[name] = e
			purls[strings.ToLower(name)] = makePURL(ecoNuGet, name, e.Resolved, nil)
		}
		for _, name := range sortedKeys(entries) {
			e := entries[name]
			d := newDep(ecoNuGet, name, e.Resolved)
			d.Direct = strings.EqualFold(e.Type, "Direct")
			if e.ContentHash != "" {
				d.Hashes = []catalog.Hash{{Algorithm: "sha512", Value: e.ContentHash}}
			}
			for dep := range e.Dependencies {
				if u, ok := purls[strings.ToLower(dep)]; ok {
					d.DependsOn = append(d.DependsOn, u)
				}
			}
			out.deps = append(out.deps, d)
		}
	}
	return out, errors.Join(errs...)
}

// msbuildItem is a PackageReference, PackageVersion or
// GlobalPackageReference item.
type msbuildItem struct {
	kind            string // element name
	include, update string
	version         string // Version attribute or element
	versionOverride string
	privateAssets   string
}

// msbuildFile is what is read from a project or props file.
type msbuildFile struct {
	props map[string]string
	items []msbuildItem
}

// readMSBuild reads the PropertyGroup properties and the package items of
// an MSBuild file, whatever its XML namespace. Conditions are ignored: every
// item counts.
func readMSBuild(data []byte) (*msbuildFile, error) {
	f := &msbuildFile{props: map[string]string{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var stack []string
	var item *msbuildItem
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) > 200 {
				return f, errors.New("XML nested deeper than 200 levels")
			}
			stack = append(stack, name)
			text.Reset()
			switch name {
			case "PackageReference", "PackageVersion", "GlobalPackageReference":
				item = &msbuildItem{kind: name}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "Include":
						item.include = strings.TrimSpace(a.Value)
					case "Update":
						item.update = strings.TrimSpace(a.Value)
					case "Version":
						item.version = strings.TrimSpace(a.Value)
					case "VersionOverride":
						item.versionOverride = strings.TrimSpace(a.Value)
					case "PrivateAssets":
						item.privateAssets = a.Value
					}
				}
			}
		case xml.CharData:
			if text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			v := strings.TrimSpace(text.String())
			switch {
			case item != nil && name == item.kind:
				f.items = append(f.items, *item)
				item = nil
			case item != nil && parent == item.kind:
				switch name {
				case "Version":
					item.version = v
				case "VersionOverride":
					item.versionOverride = v
				case "PrivateAssets":
					item.privateAssets = v
				}
			case parent == "PropertyGroup":
				f.props[name] = v
			}
			text.Reset()
		}
	}
	return f, nil
}

// reMSBuildProp matches a property reference, $(Name).
var reMSBuildProp = lazyre.New(`\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)`)

// expand replaces $(Name) by the properties' values, looking in each map in
// turn.
func expandMSBuild(s string, props ...map[string]string) string {
	for range 8 { // properties may refer to properties
		if !strings.Contains(s, "$(") {
			return s
		}
		s = reMSBuildProp.ReplaceAllStringFunc(s, func(m string) string {
			name := m[2 : len(m)-1]
			for _, p := range props {
				if v, ok := p[name]; ok {
					return v
				}
			}
			return m
		})
	}
	return s
}

// parseMSBuild reads the PackageReference items of a .csproj, .fsproj or
// .vbproj, and the GlobalPackageReference items of a
// Directory.Packages.props. With central package management a reference
// has no version of its own: it is taken from the PackageVersion items of
// the nearest Directory.Packages.props in the project's directory or
// above (VersionOverride wins). $(Property) references are expanded from
// the file's properties, then Directory.Packages.props', then those of the
// nearest Directory.Build.props (where shared versions usually live). A plain version is what NuGet
// resolves (the lowest applicable); a range or a floating version ("1.*")
// is a constraint. PrivateAssets="all" marks a development-only package
// (analyzers, build tools): scope dev. It is a manifest for a
// packages.lock.json beside it.
func parseMSBuild(_ context.Context, in *input, data []byte) (output, error) {
	out := output{family: "nuget", manifest: true, knowsDirect: true}
	f, err := readMSBuild(data)
	if f == nil {
		return out, err
	}
	isProps := path.Base(in.path) == "Directory.Packages.props"
	central := map[string]string{} // lowercased name → version
	var centralProps map[string]string
	var cpFile *msbuildFile
	if isProps {
		cpFile = f
	} else {
		cpFile = nearestMSBuildFile(in, "Directory.Packages.props")
	}
	var buildProps map[string]string
	if bp := nearestMSBuildFile(in, "Directory.Build.props"); bp != nil {
		buildProps = bp.props
	}
	if cpFile != nil {
		centralProps = cpFile.props
		for _, it := range cpFile.items {
			if it.kind == "PackageVersion" {
				name := it.include
				if name == "" {
					name = it.update
				}
				central[strings.ToLower(name)] = expandMSBuild(it.version, cpFile.props, buildProps)
			}
		}
	}
	updates := map[string]msbuildItem{}
	for _, it := range f.items {
		if it.kind == "PackageReference" && it.include == "" && it.update != "" {
			updates[strings.ToLower(it.update)] = it
		}
	}
	for _, it := range f.items {
		want := "PackageReference"
		if isProps {
			want = "GlobalPackageReference"
		}
		if it.kind != want || it.include == "" {
			continue
		}
		if u, ok := updates[strings.ToLower(it.include)]; ok {
			if it.version == "" {
				it.version = u.version
			}
			if it.privateAssets == "" {
				it.privateAssets = u.privateAssets
			}
		}
		v := it.versionOverride
		if v == "" {
			v = it.version
		}
		if v == "" {
			v = central[strings.ToLower(it.include)]
		}
		v = strings.TrimSpace(expandMSBuild(v, f.props, centralProps, buildProps))
		if strings.Contains(v, "$(") { // a property defined nowhere ospo reads: version unknown
			v = ""
		}
		scope := catalog.ScopeRuntime
		// A global reference is private to each project (PrivateAssets="all")
		// unless it says otherwise.
		if isProps && it.privateAssets == "" || strings.EqualFold(strings.TrimSpace(it.privateAssets), "all") {
			scope = catalog.ScopeDev
		}
		exact := reNuGetVersion.MatchString(v)
		if m := reNuGetExactRange.FindStringSubmatch(v); m != nil {
			v, exact = m[1], true
		}
		out.deps = append(out.deps, constraintDep(ecoNuGet, it.include, v, scope, exact))
	}
	sort.SliceStable(out.deps, func(i, j int) bool { return out.deps[i].Name < out.deps[j].Name })
	return out, err
}

// reNuGetVersion matches a plain NuGet version, "13.0.3" or "1.0.0-beta.2".
var reNuGetVersion = lazyre.New(`^\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)

// reNuGetExactRange matches an exact-version range, "[1.2.3]".
var reNuGetExactRange = lazyre.New(`^\[\s*(\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?)\s*\]$`)

// nearestMSBuildFile reads the file of that name (Directory.Packages.props,
// Directory.Build.props) in the project's directory or the nearest one
// above, if any, as MSBuild imports it.
func nearestMSBuildFile(in *input, name string) *msbuildFile {
	for dir := path.Dir(in.path); ; dir = path.Dir(dir) {
		p := path.Join(dir, name)
		if in.fs.exists(p) {
			data, err := in.fs.readFile(p, 8<<20)
			if err != nil {
				return nil
			}
			f, _ := readMSBuild(data)
			return f
		}
		if dir == "." {
			return nil
		}
	}
}
