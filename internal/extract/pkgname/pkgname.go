// Package pkgname reads the names a repository's root manifests give the
// packages it would publish: package.json "name" (unless "private"),
// Cargo.toml [package] name (unless publish = false), pyproject.toml
// [project] or [tool.poetry] name, pom.xml groupId:artifactId (the
// parent's groupId when the POM has none) and go.mod's module path. These
// are the names an open-sourced project needs free on the public
// registries.
package pkgname

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/mod/modfile"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

const maxManifest = 1 << 20

// readers maps a root manifest's name to its ecosystem and reader. A
// reader returns "" for a manifest that publishes nothing.
var readers = map[string]struct {
	ecosystem string
	read      func([]byte) (string, error)
}{
	"package.json":   {"npm", packageJSON},
	"Cargo.toml":     {"crates.io", cargoTOML},
	"pyproject.toml": {"PyPI", pyprojectTOML},
	"pom.xml":        {"Maven", pomXML},
	"go.mod":         {"Go", goMod},
}

// Extractor is the package-name extractor of package extract.
type Extractor struct{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "pkgname" }

// FileRequired implements extract.Extractor: the root manifests.
func (Extractor) FileRequired(f repofs.File) bool {
	_, ok := readers[f.Path]
	return ok && !f.Symlink && !f.Submodule
}

// Extract implements extract.Extractor.
func (Extractor) Extract(_ context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	var facts catalog.Facts
	for _, f := range files {
		r, ok := readers[f.Path]
		if !ok {
			continue
		}
		data, err := t.ReadFile(f.Path, maxManifest)
		if err != nil {
			facts.Problems = append(facts.Problems, catalog.Problem{Kind: catalog.ProblemUnreadable, Path: f.Path, Message: err.Error()})
			continue
		}
		name, err := r.read(data)
		if err != nil {
			facts.Problems = append(facts.Problems, catalog.Problem{Kind: catalog.ProblemParse, Path: f.Path, Message: "package name: " + err.Error()})
			continue
		}
		if name = strings.TrimSpace(name); name != "" {
			facts.PackageNames = append(facts.PackageNames, catalog.PackageName{Ecosystem: r.ecosystem, Name: name, Manifest: f.Path})
		}
	}
	return facts
}

func packageJSON(b []byte) (string, error) {
	var m struct {
		Name    string `json:"name"`
		Private bool   `json:"private"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", err
	}
	if m.Private {
		return "", nil
	}
	return m.Name, nil
}

func cargoTOML(b []byte) (string, error) {
	var m struct {
		Package struct {
			Name    string `toml:"name"`
			Publish any    `toml:"publish"`
		} `toml:"package"`
	}
	if err := toml.Unmarshal(b, &m); err != nil {
		return "", err
	}
	if p, ok := m.Package.Publish.(bool); ok && !p {
		return "", nil
	}
	return m.Package.Name, nil
}

func pyprojectTOML(b []byte) (string, error) {
	var m struct {
		Project struct {
			Name string `toml:"name"`
		} `toml:"project"`
		Tool struct {
			Poetry struct {
				Name string `toml:"name"`
			} `toml:"poetry"`
		} `toml:"tool"`
	}
	if err := toml.Unmarshal(b, &m); err != nil {
		return "", err
	}
	if m.Project.Name != "" {
		return m.Project.Name, nil
	}
	return m.Tool.Poetry.Name, nil
}

func pomXML(b []byte) (string, error) {
	var m struct {
		GroupID    string `xml:"groupId"`
		ArtifactID string `xml:"artifactId"`
		Parent     struct {
			GroupID string `xml:"groupId"`
		} `xml:"parent"`
	}
	if err := xml.Unmarshal(b, &m); err != nil {
		return "", err
	}
	g := m.GroupID
	if g == "" {
		g = m.Parent.GroupID
	}
	if g == "" || m.ArtifactID == "" || strings.Contains(g+m.ArtifactID, "${") {
		return "", nil
	}
	return g + ":" + m.ArtifactID, nil
}

func goMod(b []byte) (string, error) {
	p := modfile.ModulePath(b)
	if p == "" {
		return "", fmt.Errorf("no module directive")
	}
	return p, nil
}
