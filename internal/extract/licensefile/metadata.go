package licensefile

import (
	"encoding/json"
	"encoding/xml"
	"path"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/repofs"
)

// metadata reads the licence the root package metadata declares, in order
// of how precisely the formats state it.
func metadata(tree repofs.Tree, files []repofs.File, probs *[]catalog.Problem) []catalog.LicenseEvidence {
	var ev []catalog.LicenseEvidence
	for _, f := range files {
		if f.Symlink || f.Submodule || strings.Contains(f.Path, "/") {
			continue
		}
		read := readers[f.Path]
		if read == nil {
			switch path.Ext(f.Path) {
			case ".gemspec":
				read = gemspec
			case ".csproj":
				read = csproj
			default:
				continue
			}
		}
		data, err := tree.ReadFile(f.Path, maxMetadataFile)
		if err != nil {
			*probs = append(*probs, catalog.Problem{Kind: catalog.ProblemUnreadable, Path: f.Path, Message: err.Error()})
			continue
		}
		raw, err := read(data)
		if err != nil {
			*probs = append(*probs, catalog.Problem{Kind: catalog.ProblemParse, Path: f.Path, Message: "licence metadata: " + err.Error()})
			continue
		}
		if raw == "" {
			continue
		}
		expr := license.Normalize(raw)
		if expr == "" {
			continue // a licence named in words SPDX does not know: not guessed
		}
		ev = append(ev, catalog.LicenseEvidence{File: f.Path, License: expr, Confidence: 0.9, Source: catalog.LicenseSourceMetadata})
	}
	return ev
}

// Metadata returns the licence expression a package metadata file declares,
// chosen by its base name (package.json, composer.json, Cargo.toml,
// pyproject.toml, pom.xml, *.gemspec, *.csproj, *.nuspec), or "" when it
// declares none that is recognisable. It is how package caches and
// registries' metadata files are read too.
func Metadata(name string, data []byte) (string, error) {
	read := readers[path.Base(name)]
	switch {
	case read != nil:
	case strings.HasSuffix(name, ".gemspec"):
		read = gemspec
	case strings.HasSuffix(name, ".csproj"):
		read = csproj
	case strings.HasSuffix(name, ".nuspec"):
		read = nuspec
	case strings.HasSuffix(name, ".pom"):
		read = pomXML
	default:
		return "", nil
	}
	raw, err := read(data)
	if err != nil || raw == "" {
		return "", err
	}
	return license.Normalize(raw), nil
}

// nuspec reads <license type="expression"> of a NuGet package manifest.
func nuspec(data []byte) (string, error) {
	var m struct {
		Metadata struct {
			License struct {
				Type  string `xml:"type,attr"`
				Value string `xml:",chardata"`
			} `xml:"license"`
		} `xml:"metadata"`
	}
	if err := xml.Unmarshal(data, &m); err != nil {
		return "", err
	}
	if m.Metadata.License.Type == "expression" {
		return strings.TrimSpace(m.Metadata.License.Value), nil
	}
	return "", nil
}

var readers = map[string]func([]byte) (string, error){
	"package.json":   packageJSON,
	"composer.json":  composerJSON,
	"Cargo.toml":     cargoTOML,
	"pyproject.toml": pyprojectTOML,
	"pom.xml":        pomXML,
}

// packageJSON reads "license" (a string, or the old {"type": …} object) or
// the old "licenses" array.
func packageJSON(data []byte) (string, error) {
	var m struct {
		License  json.RawMessage   `json:"license"`
		Licenses []json.RawMessage `json:"licenses"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return "", err
	}
	if s := npmLicense(m.License); s != "" {
		return s, nil
	}
	var all []string
	for _, l := range m.Licenses {
		s := npmLicense(l)
		if license.Normalize(s) == "" {
			return "", nil
		}
		all = append(all, license.Normalize(s))
	}
	return license.Or(all...), nil // the old array listed alternatives
}

// NPMLicense reads an npm "license" value: a string or {"type": "MIT"}.
func npmLicense(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return o.Type
	}
	return ""
}

// composerJSON reads "license": a string, or an array of alternatives
// (Composer documents an array as a disjunction).
func composerJSON(data []byte) (string, error) {
	var m struct {
		License json.RawMessage `json:"license"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return "", err
	}
	var s string
	if json.Unmarshal(m.License, &s) == nil {
		return s, nil
	}
	var list []string
	if json.Unmarshal(m.License, &list) == nil {
		var norm []string
		for _, l := range list {
			n := license.Normalize(l)
			if n == "" {
				return "", nil
			}
			norm = append(norm, n)
		}
		return license.Or(norm...), nil
	}
	return "", nil
}

// cargoTOML reads package.license, resolving "license.workspace = true"
// (or "license = { workspace = true }") from the same manifest's
// [workspace.package]: the root Cargo.toml of a workspace is the only one
// read for the project's own licence. A virtual manifest (a workspace
// without a package) declares its members' licence in
// workspace.package.license.
func cargoTOML(data []byte) (string, error) {
	var m struct {
		Package struct {
			License any `toml:"license"`
		} `toml:"package"`
		Workspace struct {
			Package struct {
				License any `toml:"license"`
			} `toml:"package"`
		} `toml:"workspace"`
	}
	if err := toml.Unmarshal(data, &m); err != nil {
		return "", err
	}
	ws, _ := m.Workspace.Package.License.(string)
	switch l := m.Package.License.(type) {
	case string:
		return l, nil
	case map[string]any:
		if inherit, _ := l["workspace"].(bool); inherit {
			return ws, nil
		}
		return "", nil
	case nil:
		return ws, nil
	}
	return "", nil
}

// pyprojectTOML reads PEP 639 project.license (an SPDX expression), the
// older project.license = {text = …}, or Poetry's tool.poetry.license.
func pyprojectTOML(data []byte) (string, error) {
	var m struct {
		Project struct {
			License any `toml:"license"`
		} `toml:"project"`
		Tool struct {
			Poetry struct {
				License string `toml:"license"`
			} `toml:"poetry"`
		} `toml:"tool"`
	}
	if err := toml.Unmarshal(data, &m); err != nil {
		return "", err
	}
	switch l := m.Project.License.(type) {
	case string:
		return l, nil
	case map[string]any:
		if t, ok := l["text"].(string); ok && len(t) < 100 {
			return t, nil
		}
	}
	return m.Tool.Poetry.License, nil
}

// pomXML reads <licenses>: several licences are alternatives unless the
// POM says otherwise (Maven has no way to say), so they are joined with OR
// only when there is one; several stay unknown unless they are the same.
func pomXML(data []byte) (string, error) {
	var m struct {
		Licenses []struct {
			Name string `xml:"name"`
			URL  string `xml:"url"`
		} `xml:"licenses>license"`
	}
	if err := xml.Unmarshal(data, &m); err != nil {
		return "", err
	}
	var ids []string
	for _, l := range m.Licenses {
		id := license.Normalize(l.Name)
		if id == "" {
			id = licenseFromURL(l.URL)
		}
		if id == "" {
			return "", nil
		}
		ids = append(ids, id)
	}
	return license.Or(ids...), nil
}

// licenseFromURL recognises the canonical URLs of common licences.
func licenseFromURL(u string) string {
	u = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(u), "https://"), "http://"), "/")
	u = strings.TrimSuffix(u, ".txt")
	u = strings.TrimSuffix(u, ".html")
	switch u {
	case "www.apache.org/licenses/license-2.0", "apache.org/licenses/license-2.0":
		return "Apache-2.0"
	case "opensource.org/licenses/mit", "www.opensource.org/licenses/mit-license.php", "opensource.org/licenses/mit-license.php":
		return "MIT"
	case "www.eclipse.org/legal/epl-2.0", "www.eclipse.org/legal/epl-v20":
		return "EPL-2.0"
	case "www.eclipse.org/legal/epl-v10":
		return "EPL-1.0"
	case "www.gnu.org/licenses/lgpl-2.1", "www.gnu.org/licenses/old-licenses/lgpl-2.1":
		return "LGPL-2.1-only"
	case "www.gnu.org/licenses/gpl-3.0", "www.gnu.org/licenses/gpl-3.0.en":
		return "GPL-3.0-only"
	case "opensource.org/licenses/bsd-3-clause":
		return "BSD-3-Clause"
	case "www.mozilla.org/mpl/2.0", "mozilla.org/mpl/2.0":
		return "MPL-2.0"
	}
	return ""
}

var gemspecLicense = lazyre.New(`\.licenses?\s*=\s*(\[[^\]]*\]|["'][^"']*["'])`)
var quoted = lazyre.New(`["']([^"']+)["']`)

// gemspec reads spec.license = "MIT" or spec.licenses = ["MIT", "Ruby"]
// (RubyGems documents several licences as a choice).
func gemspec(data []byte) (string, error) {
	m := gemspecLicense.FindSubmatch(data)
	if m == nil {
		return "", nil
	}
	var ids []string
	for _, q := range quoted.FindAllSubmatch(m[1], -1) {
		id := license.Normalize(string(q[1]))
		if id == "" {
			return "", nil
		}
		ids = append(ids, id)
	}
	return license.Or(ids...), nil
}

// csproj reads <PackageLicenseExpression>.
func csproj(data []byte) (string, error) {
	var m struct {
		Groups []struct {
			Expr string `xml:"PackageLicenseExpression"`
		} `xml:"PropertyGroup"`
	}
	if err := xml.Unmarshal(data, &m); err != nil {
		return "", err
	}
	for _, g := range m.Groups {
		if g.Expr != "" {
			return g.Expr, nil
		}
	}
	return "", nil
}
