package deps

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"deps.dev/util/maven"

	"github.com/ospo-project/ospo/internal/catalog"
)

// maxPOMParents bounds the chain of parent POMs followed, as Maven's
// resolvers (and osv-scalibr's) do.
const maxPOMParents = 50

// parsePOM reads the dependencies a Maven pom.xml declares, with the model
// of deps.dev/util/maven, the way osv-scalibr's java/pomxml extractor does
// but without its Maven registry client (whose gRPC dependencies would
// weigh 5.5 MB in the binary, for a client that is never used offline):
// properties are interpolated, parents found in the repository (by
// relativePath, default ../pom.xml) are merged, with their properties,
// dependencyManagement and dependencies, and default profiles applied.
// Parents and imported BOMs outside the repository are not fetched: a
// version only they would give stays empty.
//
// All dependencies are direct. A version range ("[1.0,2.0)") or a
// property that cannot be resolved is a constraint. The Maven scope gives
// the scope: compile and runtime are runtime, test is test, provided and
// system are build. A type other than jar and a classifier are PURL
// qualifiers.
func parsePOM(ctx context.Context, in *input, data []byte) (output, error) {
	out := output{knowsDirect: true}
	var proj maven.Project
	if err := decodePOM(data, &proj); err != nil {
		return out, err
	}
	if err := mergeLocalParents(ctx, in, &proj); err != nil {
		return out, err
	}
	proj.ProcessDependencies(func(_, _, _ maven.String) (maven.DependencyManagement, error) {
		return maven.DependencyManagement{}, nil // no registry: imported BOMs stay unresolved
	})
	for _, dep := range proj.Dependencies {
		g, a := strings.TrimSpace(string(dep.GroupID)), strings.TrimSpace(string(dep.ArtifactID))
		if g == "" || a == "" {
			continue
		}
		v := strings.TrimSpace(string(dep.Version))
		quals := map[string]string{}
		if t := string(dep.Type); t != "" && t != "jar" {
			quals["type"] = t
		}
		if c := string(dep.Classifier); c != "" {
			quals["classifier"] = c
		}
		d := newDep(ecoMaven, g+":"+a, v)
		d.Direct = true
		if v == "" || strings.ContainsAny(v, "${}[](),") {
			d.Constraint = v != ""
			d.PURL = makePURL(ecoMaven, d.Name, "", quals)
		} else {
			d.PURL = makePURL(ecoMaven, d.Name, v, quals)
		}
		switch strings.TrimSpace(string(dep.Scope)) {
		case "test":
			d.Scope = catalog.ScopeTest
		case "provided", "system":
			d.Scope = catalog.ScopeBuild
		default:
			d.Scope = catalog.ScopeRuntime
		}
		out.deps = append(out.deps, d)
	}
	return out, nil
}

// decodePOM decodes a POM. Like Maven it accepts HTML entity names, and
// the Latin-1 family of encodings besides UTF-8.
func decodePOM(data []byte, proj *maven.Project) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = latin1Reader
	if err := dec.Decode(proj); err != nil {
		return fmt.Errorf("invalid XML: %w", err)
	}
	return nil
}

// latin1Reader converts ISO-8859-1 and Windows-1252 text (as Latin-1; the
// characters that differ are punctuation) and US-ASCII to UTF-8.
func latin1Reader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252":
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		b.Grow(len(data))
		for _, c := range data {
			b.WriteRune(rune(c))
		}
		return strings.NewReader(b.String()), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// mergeLocalParents merges the chain of parent POMs found in the
// repository into proj, then interpolates it, so that properties a parent
// defines resolve the child's versions. It stops at the first parent that
// is not in the repository.
func mergeLocalParents(ctx context.Context, in *input, proj *maven.Project) error {
	current := proj.Parent
	currentPath := in.path
	visited := map[maven.ProjectKey]bool{}
	for range maxPOMParents {
		if current.GroupID == "" || current.ArtifactID == "" || current.Version == "" {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if visited[current.ProjectKey] {
			return errors.New("a cycle of parent POMs")
		}
		visited[current.ProjectKey] = true
		parentPath := parentPOMPath(in, currentPath, string(current.RelativePath))
		if parentPath == "" {
			break
		}
		data, err := in.fs.readFile(parentPath, in.fs.maxRead)
		if err != nil {
			return fmt.Errorf("parent %s: %w", parentPath, err)
		}
		var parent maven.Project
		if err := decodePOM(data, &parent); err != nil {
			return fmt.Errorf("parent %s: %w", parentPath, err)
		}
		if pomKey(parent) != current.ProjectKey || parent.Packaging != "pom" {
			break // not the parent named: Maven would fetch it from a registry
		}
		if err := proj.MergeProfiles("", maven.ActivationOS{}); err != nil {
			return fmt.Errorf("merge default profiles: %w", err)
		}
		proj.MergeParent(parent)
		current, currentPath = parent.Parent, parentPath
	}
	// Interpolation drops a dependency with a property it cannot resolve;
	// keep those whose coordinates are known, their version a constraint.
	declared := append([]maven.Dependency(nil), proj.Dependencies...)
	if err := proj.Interpolate(); err != nil {
		return fmt.Errorf("interpolate: %w", err)
	}
	kept := map[string]bool{}
	for _, d := range proj.Dependencies {
		kept[string(d.GroupID)+":"+string(d.ArtifactID)] = true
	}
	for _, d := range declared {
		k := string(d.GroupID) + ":" + string(d.ArtifactID)
		if !kept[k] && !strings.Contains(k, "${") && d.GroupID != "" && d.ArtifactID != "" {
			proj.Dependencies = append(proj.Dependencies, d)
			kept[k] = true
		}
	}
	return nil
}

// parentPOMPath returns the repository path of a parent POM named by
// relativePath (default "../pom.xml"; a directory means its pom.xml), or ""
// if there is no such file in the repository.
func parentPOMPath(in *input, currentPath, relativePath string) string {
	if relativePath == "" {
		relativePath = "../pom.xml"
	}
	p := path.Join(path.Dir(currentPath), strings.ReplaceAll(strings.TrimSpace(relativePath), `\`, "/"))
	if in.fs.exists(p) {
		return p
	}
	if _, isDir := in.fs.dirs[p]; isDir && in.fs.exists(path.Join(p, "pom.xml")) {
		return path.Join(p, "pom.xml")
	}
	return ""
}

// pomKey is a POM's coordinates, group and version inherited from its
// parent when not given.
func pomKey(p maven.Project) maven.ProjectKey {
	k := p.ProjectKey
	if k.GroupID == "" {
		k.GroupID = p.Parent.GroupID
	}
	if k.Version == "" {
		k.Version = p.Parent.Version
	}
	return k
}
