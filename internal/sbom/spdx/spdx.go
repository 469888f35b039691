// Package spdx writes a project's SBOM as SPDX 2.3 JSON.
//
// The document has:
//
//   - name: the project's name; documentNamespace:
//     https://spdx.org/spdxdocs/ospo/<name>-<uuid>, where the UUID is derived
//     from the rest of the document (sbom.ContentUUID): reproducible for the
//     same input, different for any other;
//   - creationInfo: creator "Tool: ospo-<version>", created = Options.Now,
//     licenseListVersion = the SPDX licence list licences were checked with;
//   - a package for the project (SPDXRef-Project, purpose APPLICATION,
//     version = the full HEAD commit, downloadLocation git+<remote>@<commit>),
//     which the document DESCRIBES;
//   - a package per manifest or lockfile (SPDXRef-Manifest-<path>, purpose
//     APPLICATION), which the project CONTAINS;
//   - a package per dependency (SPDXRef-Package-<purl>, purpose LIBRARY),
//     once per purl however many manifests list it.
//
// Relationships: manifest DEPENDS_ON each direct dependency, and for a
// direct dependency declared in a dev, test, optional or build scope also
// dependency DEV_/TEST_/OPTIONAL_/BUILD_DEPENDENCY_OF manifest; package
// DEPENDS_ON each of its own dependencies.
//
// Dependency packages have versionInfo (absent for a dependency known only
// by a version constraint), a PACKAGE-MANAGER purl external reference,
// checksums (MD5, SHA1, SHA256, SHA384, SHA512 in hex), licenseConcluded
// NOASSERTION, licenseDeclared (the recorded licences joined with AND, or
// NOASSERTION; a licence that is not SPDX becomes a LicenseRef- with its
// text in hasExtractedLicensingInfos), downloadLocation NOASSERTION,
// filesAnalyzed false, and a comment of "ospo:…=…" lines for what SPDX has
// no field for: ospo:manifest, ospo:scope, ospo:version-constraint,
// ospo:hash:<alg> (such as Go's h1), ospo:ecosystem (only without a purl).
//
// SPDX identifiers keep only ASCII letters, digits, '.' and '-'; two names
// that sanitise alike get "-2", "-3", … in sorted order.
package spdx

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/url"
	"strings"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	v23 "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sbom"
)

// NamespaceBase is the prefix of every document namespace Write produces.
const NamespaceBase = "https://spdx.org/spdxdocs/ospo/"

const (
	noAssertion = "NOASSERTION"
	projectID   = common.ElementID("Project")
)

// Write writes p's SBOM to w as indented SPDX 2.3 JSON. The same project
// and options give the same bytes. It returns sbom.ErrNoTime if opts.Now is
// zero, and any error from w.
func Write(w io.Writer, p *catalog.Project, opts sbom.Options) error {
	doc, err := build(p, opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := encode(&buf, doc); err != nil {
		return err
	}
	name := sbom.Sanitize(doc.DocumentName)
	if name == "" {
		name = "project"
	}
	doc.DocumentNamespace = NamespaceBase + name + "-" + sbom.ContentUUID(buf.Bytes())
	buf.Reset()
	if err := encode(&buf, doc); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func encode(w io.Writer, doc *v23.Document) error {
	if err := spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("encode spdx: %w", err)
	}
	return nil
}

// build assembles the document without its namespace.
func build(p *catalog.Project, opts sbom.Options) (*v23.Document, error) {
	created, err := opts.Timestamp()
	if err != nil {
		return nil, err
	}
	inv := sbom.NewInventory(p)
	tool := "ospo"
	if opts.ToolVersion != "" {
		tool += "-" + opts.ToolVersion
	}
	doc := &v23.Document{
		SPDXVersion:    v23.Version,
		DataLicense:    v23.DataLicense,
		SPDXIdentifier: "DOCUMENT",
		DocumentName:   cmp.Or(p.Name, p.Key, "project"),
		CreationInfo: &v23.CreationInfo{
			LicenseListVersion: sbom.LicenseListVersion(),
			Creators:           []common.Creator{{CreatorType: "Tool", Creator: tool}},
			Created:            created,
		},
	}
	rel := func(a common.ElementID, typ string, b common.ElementID) {
		doc.Relationships = append(doc.Relationships, &v23.Relationship{
			RefA:         common.DocElementID{ElementRefID: a},
			RefB:         common.DocElementID{ElementRefID: b},
			Relationship: typ,
		})
	}

	doc.Packages = append(doc.Packages, projectPackage(p))
	rel("DOCUMENT", common.TypeRelationshipDescribe, projectID)

	paths := make([]string, len(inv.Manifests))
	for i, m := range inv.Manifests {
		paths[i] = m.Path
	}
	manifestIDs := sbom.UniqueIDs("Manifest-", paths)
	names := make([]string, len(inv.Packages))
	for i, pkg := range inv.Packages {
		names[i] = readable(pkg.Ref)
	}
	pkgIDs := sbom.UniqueIDs("Package-", names)
	idOf := make(map[string]common.ElementID, len(inv.Packages))
	for i, pkg := range inv.Packages {
		idOf[pkg.Ref] = common.ElementID(pkgIDs[i])
	}

	for i, m := range inv.Manifests {
		id := common.ElementID(manifestIDs[i])
		doc.Packages = append(doc.Packages, &v23.Package{
			PackageName:               cmp.Or(m.Path, "unknown manifest"),
			PackageSPDXIdentifier:     id,
			PackageDownloadLocation:   noAssertion,
			FilesAnalyzed:             false,
			IsFilesAnalyzedTagPresent: true,
			PackageLicenseConcluded:   noAssertion,
			PackageLicenseDeclared:    noAssertion,
			PackageComment:            "ospo:kind=manifest",
			PrimaryPackagePurpose:     "APPLICATION",
		})
		rel(projectID, common.TypeRelationshipContains, id)
	}
	for i, m := range inv.Manifests {
		id := common.ElementID(manifestIDs[i])
		last := ""
		for _, u := range m.Direct {
			if u.Ref != last {
				rel(id, common.TypeRelationshipDependsOn, idOf[u.Ref])
				last = u.Ref
			}
			if typ := scopeRelationship[u.Scope]; typ != "" {
				rel(idOf[u.Ref], typ, id)
			}
		}
	}

	licenseRefs := newLicenseRefs()
	for _, pkg := range inv.Packages {
		doc.Packages = append(doc.Packages, dependencyPackage(pkg, idOf[pkg.Ref], licenseRefs))
		for _, to := range pkg.DependsOn {
			rel(idOf[pkg.Ref], common.TypeRelationshipDependsOn, idOf[to])
		}
	}
	doc.OtherLicenses = licenseRefs.list
	return doc, nil
}

// scopeRelationship maps a catalogue scope to the SPDX relationship that
// says it; runtime and unknown scopes need none beyond DEPENDS_ON.
var scopeRelationship = map[string]string{
	catalog.ScopeDev:      common.TypeRelationshipDevDependencyOf,
	catalog.ScopeTest:     common.TypeRelationshipTestDependencyOf,
	catalog.ScopeOptional: common.TypeRelationshipOptionalDependencyOf,
	catalog.ScopeBuild:    common.TypeRelationshipBuildDependencyOf,
}

// readable turns a package Ref into the text its SPDX identifier is made of:
// the purl without "pkg:" and with its escapes decoded.
func readable(ref string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(ref, "pkg:"), "ospo:package:")
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return s
}

func projectPackage(p *catalog.Project) *v23.Package {
	pkg := &v23.Package{
		PackageName:               cmp.Or(p.Name, p.Key, "project"),
		PackageSPDXIdentifier:     projectID,
		PackageVersion:            p.HeadCommit,
		PackageDownloadLocation:   downloadLocation(p),
		FilesAnalyzed:             false,
		IsFilesAnalyzedTagPresent: true,
		PackageLicenseConcluded:   noAssertion,
		PackageLicenseDeclared:    noAssertion,
		PackageDescription:        p.Description,
		PrimaryPackagePurpose:     "APPLICATION",
	}
	if p.Key != "" {
		pkg.PackageComment = "ospo:key=" + p.Key
	}
	return pkg
}

// downloadLocation is the project's remote in SPDX's VCS form
// ("git+https://host/repo.git@<commit>"), or NOASSERTION without one.
func downloadLocation(p *catalog.Project) string {
	u := sbom.VCSURL(p.RemoteURL)
	if u == "" {
		return noAssertion
	}
	if !strings.HasPrefix(u, "git+") {
		u = "git+" + u
	}
	if p.HeadCommit != "" {
		u += "@" + p.HeadCommit
	}
	return u
}

var checksumAlgorithms = map[string]common.ChecksumAlgorithm{
	"md5":    common.MD5,
	"sha1":   common.SHA1,
	"sha256": common.SHA256,
	"sha384": common.SHA384,
	"sha512": common.SHA512,
}

func dependencyPackage(pkg *sbom.Package, id common.ElementID, refs *licenseRefs) *v23.Package {
	out := &v23.Package{
		PackageName:               pkg.Name,
		PackageSPDXIdentifier:     id,
		PackageVersion:            pkg.Version,
		PackageDownloadLocation:   noAssertion,
		FilesAnalyzed:             false,
		IsFilesAnalyzedTagPresent: true,
		PackageLicenseConcluded:   noAssertion,
		PackageLicenseDeclared:    refs.declared(pkg.Licenses),
		PrimaryPackagePurpose:     "LIBRARY",
	}
	for _, h := range pkg.Hashes {
		if alg, ok := checksumAlgorithms[h.Algorithm]; ok {
			out.PackageChecksums = append(out.PackageChecksums, common.Checksum{Algorithm: alg, Value: h.Value})
		}
	}
	if pkg.PURL != "" {
		out.PackageExternalReferences = []*v23.PackageExternalReference{{
			Category: common.CategoryPackageManager,
			RefType:  common.TypePackageManagerPURL,
			Locator:  pkg.PURL,
		}}
	}
	out.PackageComment = comment(pkg)
	return out
}

// comment holds, one "ospo:name=value" line each, what SPDX has no field for;
// the names are those of the CycloneDX properties.
func comment(pkg *sbom.Package) string {
	var lines []string
	add := func(name string, values ...string) {
		for _, v := range values {
			lines = append(lines, name+"="+v)
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
	return strings.Join(lines, "\n")
}

// licenseRefs names the licences that are not SPDX expressions, so that a
// declared licence can refer to them as LicenseRef-….
type licenseRefs struct {
	byText map[string]string
	used   map[string]bool
	list   []*v23.OtherLicense
}

func newLicenseRefs() *licenseRefs {
	return &licenseRefs{byText: map[string]string{}, used: map[string]bool{}}
}

// ref returns the LicenseRef- identifier for a licence string that is not
// an SPDX expression, recording it on first use.
func (r *licenseRefs) ref(text string) string {
	if id, ok := r.byText[text]; ok {
		return id
	}
	base := "LicenseRef-" + cmp.Or(sbom.Sanitize(strings.TrimPrefix(text, "LicenseRef-")), "unnamed")
	id := base
	for k := 2; r.used[id]; k++ {
		id = fmt.Sprintf("%s-%d", base, k)
	}
	r.used[id] = true
	r.byText[text] = id
	r.list = append(r.list, &v23.OtherLicense{
		LicenseIdentifier: id,
		ExtractedText:     text,
		LicenseName:       text,
		LicenseComment:    "The licence as a manifest records it; not an SPDX licence expression. No licence text was available.",
	})
	return id
}

// declared joins a package's licences into one SPDX expression with AND,
// or returns NOASSERTION when there are none.
func (r *licenseRefs) declared(ls []sbom.License) string {
	if len(ls) == 0 {
		return noAssertion
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		switch {
		case !l.Expression:
			parts[i] = r.ref(l.Value)
		case len(ls) > 1 && !l.ID:
			parts[i] = "(" + l.Value + ")"
		default:
			parts[i] = l.Value
		}
	}
	return strings.Join(parts, " AND ")
}
