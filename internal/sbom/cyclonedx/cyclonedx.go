// Package cyclonedx writes a project's SBOM as CycloneDX 1.6 JSON.
//
// The document has:
//
//   - metadata.component: the project, type "application", with bom-ref
//     "ospo:project:" + Key, version = the full HEAD commit, a "vcs"
//     external reference to the remote, and property ospo:key;
//   - metadata.tools: ospo and its version; metadata.timestamp: Options.Now;
//     metadata.lifecycles: "pre-build" (read from manifests, nothing built);
//   - one component per manifest or lockfile, type "application", named by
//     its path, bom-ref "ospo:manifest:" + path, property ospo:kind=manifest;
//   - one component per package (type "library"), once per purl however
//     many manifests list it, bom-ref = purl;
//   - dependencies: project → manifests → each manifest's direct
//     dependencies → each package's own dependencies (the union over the
//     manifests that list it). A package gets an entry only when some
//     lockfile names at least one of its dependencies; without an entry its
//     dependencies are unknown (the spec's reading), which is the truth for
//     lockfiles that cannot say that a package has none.
//
// Package components carry:
//
//   - group and name: Maven's "group:artifact" is split; other ecosystems
//     keep the name as they spell it ("@scope/name", a Go module path);
//   - scope: "required" if any use is runtime, omitted if any use has no
//     known scope (the spec then assumes required), else "optional" if any
//     use is optional, else "excluded" (dev, test and build only);
//   - licenses with acknowledgement "declared": one SPDX expression when
//     every recorded licence is a valid expression and one of them is
//     compound, else a list of SPDX ids and, for strings that are not SPDX,
//     names;
//   - hashes (MD5, SHA-1, SHA-256, SHA-384, SHA-512) in hex, decoded from
//     base64 where the lockfile recorded it so;
//   - properties, repeated where several values apply: ospo:manifest (each
//     manifest listing the package), ospo:scope (each scope of its uses),
//     ospo:version-constraint (for a dependency known only by a constraint:
//     the component then has no version and its purl none either),
//     ospo:hash:<alg> (digests CycloneDX has no algorithm for, such as Go's
//     h1), ospo:ecosystem (only when there is no purl).
//
// CycloneDX 1.7 has a component versionRange for the constraint-only case;
// ospo:version-constraint stands in for it while the output is 1.6.
package cyclonedx

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sbom"
)

// SpecVersion is the CycloneDX version Write produces.
const SpecVersion = cdx.SpecVersion1_6

// The JSON schema and XML name space of SpecVersion.
const (
	jsonSchema   = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	xmlNamespace = "http://cyclonedx.org/schema/bom/1.6"
)

// Write writes p's SBOM to w as indented CycloneDX 1.6 JSON. The serial
// number is derived from the rest of the document (sbom.ContentUUID), so the
// same project and options give the same bytes. It returns sbom.ErrNoTime if
// opts.Now is zero, and any error from w.
func Write(w io.Writer, p *catalog.Project, opts sbom.Options) error {
	bom, err := build(p, opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := encode(&buf, bom); err != nil {
		return err
	}
	bom.SerialNumber = "urn:uuid:" + sbom.ContentUUID(buf.Bytes())
	buf.Reset()
	if err := encode(&buf, bom); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// encode writes bom as indented JSON, as it is. build makes a BOM of
// SpecVersion that uses nothing a later version added, so it needs no
// conversion: cyclonedx-go's EncodeVersion would first deep-copy it
// through encoding/gob (most of the writer's CPU, and a tenth of an `ospo
// sbom` process's) to take out what the version lacks.
// TestEncodeNeedsNoConversion checks that converting changes nothing.
func encode(w io.Writer, bom *cdx.BOM) error {
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false)
	if err := enc.Encode(bom); err != nil {
		return fmt.Errorf("encode cyclonedx: %w", err)
	}
	return nil
}

// build assembles the document without its serial number.
func build(p *catalog.Project, opts sbom.Options) (*cdx.BOM, error) {
	ts, err := opts.Timestamp()
	if err != nil {
		return nil, err
	}
	inv := sbom.NewInventory(p)

	root := projectComponent(p)
	bom := cdx.NewBOM()
	bom.SpecVersion, bom.JSONSchema, bom.XMLNS = SpecVersion, jsonSchema, xmlNamespace
	bom.Metadata = &cdx.Metadata{
		Timestamp:  ts,
		Lifecycles: &[]cdx.Lifecycle{{Phase: cdx.LifecyclePhasePreBuild}},
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type:    cdx.ComponentTypeApplication,
			Name:    "ospo",
			Version: opts.ToolVersion,
		}}},
		Component: root,
	}

	components := make([]cdx.Component, 0, len(inv.Manifests)+len(inv.Packages))
	deps := make([]cdx.Dependency, 0, 1+len(inv.Manifests)+len(inv.Packages))
	rootDeps := make([]string, 0, len(inv.Manifests))
	for _, m := range inv.Manifests {
		ref := manifestRef(m.Path)
		rootDeps = append(rootDeps, ref)
		components = append(components, cdx.Component{
			BOMRef:     ref,
			Type:       cdx.ComponentTypeApplication,
			Name:       cmp.Or(m.Path, "unknown manifest"),
			Properties: &[]cdx.Property{{Name: "ospo:kind", Value: "manifest"}},
		})
		var direct []string
		for _, u := range m.Direct {
			direct = append(direct, u.Ref)
		}
		deps = append(deps, dependency(ref, slices.Compact(direct)))
	}
	deps = append([]cdx.Dependency{dependency(root.BOMRef, rootDeps)}, deps...)
	for _, pkg := range inv.Packages {
		components = append(components, packageComponent(pkg))
		if len(pkg.DependsOn) > 0 {
			deps = append(deps, dependency(pkg.Ref, pkg.DependsOn))
		}
	}
	if len(components) > 0 {
		bom.Components = &components
	}
	bom.Dependencies = &deps
	if vs := vulnerabilities(inv, opts.Vulnerabilities); len(vs) > 0 {
		bom.Vulnerabilities = &vs
	}
	return bom, nil
}

// vulnerabilities renders findings as CycloneDX vulnerabilities: one per
// advisory, affecting the components (by bom-ref) of every finding of it,
// with its rating, the fixed version as a recommendation, and a suppressed
// finding's reason as its analysis.
func vulnerabilities(inv *sbom.Inventory, fs []catalog.VulnFinding) []cdx.Vulnerability {
	if len(fs) == 0 {
		return nil
	}
	refs := map[string]string{} // ecosystem/name@version and purl → bom-ref
	for _, pkg := range inv.Packages {
		refs[strings.ToLower(pkg.Ecosystem+"/"+pkg.Name+"@"+pkg.Version)] = pkg.Ref
		if pkg.PURL != "" {
			refs[pkg.PURL] = pkg.Ref
		}
	}
	byID := map[string]*cdx.Vulnerability{}
	var order []string
	for _, f := range fs {
		ref := refs[f.PURL]
		if ref == "" {
			ref = refs[strings.ToLower(f.Ecosystem+"/"+f.Package+"@"+f.Version)]
		}
		if ref == "" {
			continue
		}
		v := byID[f.AdvisoryID]
		if v == nil {
			v = &cdx.Vulnerability{
				BOMRef:      "ospo:vuln:" + f.AdvisoryID,
				ID:          f.AdvisoryID,
				Source:      &cdx.Source{Name: "OSV", URL: "https://osv.dev/vulnerability/" + f.AdvisoryID},
				Description: f.Summary,
				Affects:     &[]cdx.Affects{},
			}
			if len(f.Aliases) > 0 {
				var refs []cdx.VulnerabilityReference
				for _, a := range f.Aliases {
					refs = append(refs, cdx.VulnerabilityReference{ID: a, Source: &cdx.Source{Name: "OSV", URL: "https://osv.dev/vulnerability/" + a}})
				}
				v.References = &refs
			}
			if r := rating(f.Severity); r != nil {
				v.Ratings = &[]cdx.VulnerabilityRating{*r}
			}
			if f.FixedIn != "" {
				v.Recommendation = "Upgrade " + f.Package + " to " + f.FixedIn + " or later."
			}
			if f.Suppressed {
				v.Analysis = &cdx.VulnerabilityAnalysis{State: cdx.IASNotAffected, Justification: cdx.IAJRequiresEnvironment, Detail: f.Reason}
			}
			byID[f.AdvisoryID] = v
			order = append(order, f.AdvisoryID)
		}
		if !slices.ContainsFunc(*v.Affects, func(a cdx.Affects) bool { return a.Ref == ref }) {
			*v.Affects = append(*v.Affects, cdx.Affects{Ref: ref, Range: &[]cdx.AffectedVersions{{Version: f.Version, Status: cdx.VulnerabilityStatusAffected}}})
		}
	}
	slices.Sort(order)
	out := make([]cdx.Vulnerability, 0, len(order))
	for _, id := range order {
		v := byID[id]
		slices.SortFunc(*v.Affects, func(a, b cdx.Affects) int { return strings.Compare(a.Ref, b.Ref) })
		out = append(out, *v)
	}
	return out
}

// rating maps a severity to a CycloneDX rating.
func rating(s catalog.Severity) *cdx.VulnerabilityRating {
	if s.Rating == "" {
		return nil
	}
	r := &cdx.VulnerabilityRating{Severity: cdx.Severity(strings.ToLower(s.Rating))}
	if s.Rating == catalog.SeverityNone {
		r.Severity = cdx.SeverityNone
	}
	if s.Vector != "" {
		score := s.Score
		r.Score = &score
		r.Vector = s.Vector
		switch {
		case strings.HasPrefix(s.Vector, "CVSS:4.0/"):
			r.Method = cdx.ScoringMethodCVSSv4
		case strings.HasPrefix(s.Vector, "CVSS:3.1/"):
			r.Method = cdx.ScoringMethodCVSSv31
		default:
			r.Method = cdx.ScoringMethodCVSSv3
		}
	}
	return r
}

func manifestRef(path string) string { return "ospo:manifest:" + path }

func dependency(ref string, on []string) cdx.Dependency {
	d := cdx.Dependency{Ref: ref}
	if len(on) > 0 {
		d.Dependencies = &on
	}
	return d
}

func projectComponent(p *catalog.Project) *cdx.Component {
	c := &cdx.Component{
		BOMRef:      "ospo:project:" + cmp.Or(p.Key, p.Name),
		Type:        cdx.ComponentTypeApplication,
		Name:        cmp.Or(p.Name, p.Key),
		Version:     p.HeadCommit,
		Description: p.Description,
	}
	if u := sbom.VCSURL(p.RemoteURL); u != "" {
		c.ExternalReferences = &[]cdx.ExternalReference{{Type: cdx.ERTypeVCS, URL: u}}
	}
	if p.Key != "" {
		c.Properties = &[]cdx.Property{{Name: "ospo:key", Value: p.Key}}
	}
	return c
}

func packageComponent(pkg *sbom.Package) cdx.Component {
	c := cdx.Component{
		BOMRef:     pkg.Ref,
		Type:       cdx.ComponentTypeLibrary,
		Name:       pkg.Name,
		Version:    pkg.Version,
		Scope:      scope(pkg.Scopes),
		PackageURL: pkg.PURL,
	}
	if pkg.Ecosystem == "Maven" {
		if g, a, ok := strings.Cut(pkg.Name, ":"); ok {
			c.Group, c.Name = g, a
		}
	}
	if hs := hashes(pkg.Hashes); len(hs) > 0 {
		c.Hashes = &hs
	}
	if ls := licenses(pkg.Licenses); len(ls) > 0 {
		c.Licenses = &ls
	}
	if ps := properties(pkg); len(ps) > 0 {
		c.Properties = &ps
	}
	return c
}

// scope folds the scopes of a package's uses into CycloneDX's three.
func scope(scopes []string) cdx.Scope {
	has := func(s ...string) bool {
		return slices.ContainsFunc(scopes, func(x string) bool { return slices.Contains(s, x) })
	}
	switch {
	case len(scopes) == 0:
		return ""
	case has(catalog.ScopeRuntime):
		return cdx.ScopeRequired
	case has(""):
		return ""
	case has(catalog.ScopeOptional):
		return cdx.ScopeOptional
	case has(catalog.ScopeDev, catalog.ScopeTest, catalog.ScopeBuild):
		return cdx.ScopeExcluded
	}
	return "" // a scope this package does not know: assume nothing
}

var hashAlgorithms = map[string]cdx.HashAlgorithm{
	"md5":    cdx.HashAlgoMD5,
	"sha1":   cdx.HashAlgoSHA1,
	"sha256": cdx.HashAlgoSHA256,
	"sha384": cdx.HashAlgoSHA384,
	"sha512": cdx.HashAlgoSHA512,
}

func hashes(in []sbom.Hash) []cdx.Hash {
	var out []cdx.Hash
	for _, h := range in {
		if alg, ok := hashAlgorithms[h.Algorithm]; ok {
			out = append(out, cdx.Hash{Algorithm: alg, Value: h.Value})
		}
	}
	return out
}

// licenses encodes a package's licences. CycloneDX allows either one
// expression or a list of licences (ids and names), never both.
func licenses(in []sbom.License) cdx.Licenses {
	if len(in) == 0 {
		return nil
	}
	allExpr, compound := true, false
	for _, l := range in {
		allExpr = allExpr && l.Expression
		compound = compound || l.Expression && !l.ID
	}
	if allExpr && compound {
		parts := make([]string, len(in))
		for i, l := range in {
			parts[i] = l.Value
			if len(in) > 1 && !l.ID {
				parts[i] = "(" + l.Value + ")"
			}
		}
		return cdx.Licenses{{Expression: strings.Join(parts, " AND "), Acknowledgement: ptr(cdx.LicenseAcknowledgementDeclared)}}
	}
	out := make(cdx.Licenses, 0, len(in))
	for _, l := range in {
		lic := &cdx.License{Acknowledgement: cdx.LicenseAcknowledgementDeclared}
		if l.ID {
			lic.ID = l.Value
		} else {
			lic.Name = l.Value
		}
		out = append(out, cdx.LicenseChoice{License: lic})
	}
	return out
}

func properties(pkg *sbom.Package) []cdx.Property {
	var ps []cdx.Property
	add := func(name string, values ...string) {
		for _, v := range values {
			ps = append(ps, cdx.Property{Name: name, Value: v})
		}
	}
	if pkg.PURL == "" {
		add("ospo:ecosystem", pkg.Ecosystem)
	}
	for _, h := range pkg.OtherHashes {
		add("ospo:hash:"+strings.ToLower(h.Algorithm), h.Value)
	}
	add("ospo:manifest", pkg.Manifests...)
	for _, s := range pkg.Scopes {
		if s != "" {
			add("ospo:scope", s)
		}
	}
	add("ospo:version-constraint", pkg.Constraints...)
	return ps
}

func ptr[T any](v T) *T { return &v }
