package spdx

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/github/go-spdx/v2/spdxexp"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	v23 "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/ospo-project/ospo/internal/sbom"
	"github.com/ospo-project/ospo/internal/sbom/sbomtest"
)

func write(t *testing.T, name string, opts sbom.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, sbomtest.Project(t, name), opts); err != nil {
		t.Fatalf("Write(%s): %v", name, err)
	}
	return buf.Bytes()
}

func read(t *testing.T, data []byte) *v23.Document {
	t.Helper()
	var doc v23.Document
	if err := spdxjson.ReadInto(bytes.NewReader(data), &doc); err != nil {
		t.Fatalf("read: %v", err)
	}
	return &doc
}

// TestGolden checks every sample project's document against its golden
// file, the official SPDX 2.3 schema, tools-golang's reader, and the rules
// of the specification the schema does not express.
func TestGolden(t *testing.T) {
	for _, name := range sbomtest.ProjectNames(t) {
		t.Run(name, func(t *testing.T) {
			got := write(t, name, sbomtest.Options)
			sbomtest.Golden(t, filepath.Join("testdata", name+".spdx.json"), got)
			sbomtest.Validate(t, sbomtest.SPDXSchema, got)
			checkSpec(t, read(t, got))
		})
	}
}

var (
	idPattern      = regexp.MustCompile(`^[A-Za-z0-9.-]+$`)
	createdPattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
)

func checkSpec(t *testing.T, doc *v23.Document) {
	t.Helper()
	if doc.SPDXVersion != "SPDX-2.3" || doc.DataLicense != "CC0-1.0" || doc.SPDXIdentifier != "DOCUMENT" {
		t.Errorf("header: %q %q %q", doc.SPDXVersion, doc.DataLicense, doc.SPDXIdentifier)
	}
	if !strings.HasPrefix(doc.DocumentNamespace, NamespaceBase) || strings.Contains(doc.DocumentNamespace, "#") {
		t.Errorf("documentNamespace %q", doc.DocumentNamespace)
	}
	if !createdPattern.MatchString(doc.CreationInfo.Created) {
		t.Errorf("created %q", doc.CreationInfo.Created)
	}
	ids := map[common.ElementID]bool{"DOCUMENT": true}
	for _, p := range doc.Packages {
		if !idPattern.MatchString(string(p.PackageSPDXIdentifier)) {
			t.Errorf("SPDXID %q has characters SPDX does not allow", p.PackageSPDXIdentifier)
		}
		if ids[p.PackageSPDXIdentifier] {
			t.Errorf("SPDXID %q twice", p.PackageSPDXIdentifier)
		}
		ids[p.PackageSPDXIdentifier] = true
		if p.PackageDownloadLocation == "" || p.PackageLicenseConcluded != "NOASSERTION" || p.FilesAnalyzed {
			t.Errorf("%s: downloadLocation %q licenseConcluded %q filesAnalyzed %v",
				p.PackageSPDXIdentifier, p.PackageDownloadLocation, p.PackageLicenseConcluded, p.FilesAnalyzed)
		}
		for _, c := range p.PackageChecksums {
			if _, err := hex.DecodeString(c.Value); err != nil || strings.ToLower(c.Value) != c.Value {
				t.Errorf("%s: checksum %s %q is not lowercase hex", p.PackageSPDXIdentifier, c.Algorithm, c.Value)
			}
		}
		if d := p.PackageLicenseDeclared; d != "NOASSERTION" {
			if ok, bad := spdxexp.ValidateLicenses([]string{d}); !ok {
				t.Errorf("%s: licenseDeclared %q is not an SPDX expression: %v", p.PackageSPDXIdentifier, d, bad)
			}
		}
	}
	refs := map[string]bool{}
	for _, l := range doc.OtherLicenses {
		if !strings.HasPrefix(l.LicenseIdentifier, "LicenseRef-") || !idPattern.MatchString(l.LicenseIdentifier) {
			t.Errorf("licenseId %q", l.LicenseIdentifier)
		}
		refs[l.LicenseIdentifier] = true
	}
	licenseRef := regexp.MustCompile(`LicenseRef-[A-Za-z0-9.-]+`)
	for _, p := range doc.Packages {
		for _, r := range licenseRef.FindAllString(p.PackageLicenseDeclared, -1) {
			if !refs[r] {
				t.Errorf("%s: %s is not in hasExtractedLicensingInfos", p.PackageSPDXIdentifier, r)
			}
		}
	}
	describes := 0
	for _, r := range doc.Relationships {
		for _, e := range []common.DocElementID{r.RefA, r.RefB} {
			if e.DocumentRefID != "" || !ids[e.ElementRefID] {
				t.Errorf("relationship %s names %s, which is not in the document", r.Relationship, common.RenderDocElementID(e))
			}
		}
		if r.Relationship == common.TypeRelationshipDescribe {
			describes++
		}
	}
	if describes != 1 {
		t.Errorf("%d DESCRIBES relationships, want 1", describes)
	}
}

// TestMonorepo checks the decisions the package documents on the sample
// monorepo, so that a golden update that breaks one is noticed.
func TestMonorepo(t *testing.T) {
	doc := read(t, write(t, "monorepo", sbomtest.Options))
	byName := map[string][]*v23.Package{}
	for _, p := range doc.Packages {
		byName[p.PackageName] = append(byName[p.PackageName], p)
	}
	var rels []string
	for _, r := range doc.Relationships {
		rels = append(rels, common.RenderDocElementID(r.RefA)+" "+r.Relationship+" "+common.RenderDocElementID(r.RefB))
	}
	has := func(rel string) {
		t.Helper()
		if !slices.Contains(rels, rel) {
			t.Errorf("no relationship %q", rel)
		}
	}

	project := byName["payments-platform"][0]
	if project.PackageSPDXIdentifier != projectID ||
		project.PackageDownloadLocation != "git+ssh://git@github.com/acme/payments-platform.git@4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39" {
		t.Errorf("project %s at %q", project.PackageSPDXIdentifier, project.PackageDownloadLocation)
	}
	has("SPDXRef-DOCUMENT DESCRIBES SPDXRef-Project")
	// Two lockfiles share react: one package, reached from both manifests.
	if n := len(byName["react"]); n != 1 {
		t.Errorf("%d react packages, want 1", n)
	}
	has("SPDXRef-Project CONTAINS SPDXRef-Manifest-services-web-package-lock.json")
	has("SPDXRef-Manifest-services-web-package-lock.json DEPENDS_ON SPDXRef-Package-npm-react-18.2.0")
	has("SPDXRef-Manifest-services-admin-package-lock.json DEPENDS_ON SPDXRef-Package-npm-react-18.2.0")
	// Scopes become relationships; an edge from the lockfile tree stays DEPENDS_ON.
	has("SPDXRef-Package-npm-babel-core-7.24.0 DEV_DEPENDENCY_OF SPDXRef-Manifest-services-web-package-lock.json")
	has("SPDXRef-Package-maven-org.junit.jupiter-junit-jupiter-5.10.2 TEST_DEPENDENCY_OF SPDXRef-Manifest-billing-pom.xml")
	has("SPDXRef-Package-npm-fsevents-2.3.3 OPTIONAL_DEPENDENCY_OF SPDXRef-Manifest-services-web-package-lock.json")
	has("SPDXRef-Package-maven-org.projectlombok-lombok-1.18.30 BUILD_DEPENDENCY_OF SPDXRef-Manifest-billing-pom.xml")
	has("SPDXRef-Package-npm-babel-core-7.24.0 DEPENDS_ON SPDXRef-Package-npm-babel-parser-7.24.0")
	// pytest is both dev and test in poetry.lock.
	has("SPDXRef-Package-pypi-pytest-8.1.1 DEV_DEPENDENCY_OF SPDXRef-Manifest-tools-poetry.lock")
	has("SPDXRef-Package-pypi-pytest-8.1.1 TEST_DEPENDENCY_OF SPDXRef-Manifest-tools-poetry.lock")

	// Names that sanitise alike get distinct identifiers.
	a, b := byName["com.acme:billing-core"][0].PackageSPDXIdentifier, byName["com.acme:billing_core"][0].PackageSPDXIdentifier
	if a == b || !strings.HasPrefix(string(a), "Package-maven-com.acme-billing-core-1.0.0") || !strings.HasPrefix(string(b), "Package-maven-com.acme-billing-core-1.0.0") {
		t.Errorf("billing-core %q, billing_core %q", a, b)
	}
	// Unicode names are kept as names, not in identifiers.
	if p := byName["über-utils"]; len(p) != 1 || p[0].PackageSPDXIdentifier != "Package-npm-ber-utils-1.0.0" {
		t.Errorf("über-utils: %+v", p)
	}
	// Licences: SPDX expressions joined with AND; others become LicenseRef-.
	for name, want := range map[string]string{
		"cryptography":     "(Apache-2.0 OR BSD-3-Clause) AND PSF-2.0",
		"legacy-widget":    "LicenseRef-Apache-2.0",
		"über-utils":       "LicenseRef-Licen-a-Propriet-ria",
		"pytest":           "MIT",
		"ms":               "MIT",
		"golang.org/x/sys": "NOASSERTION",
	} {
		for _, p := range byName[name] {
			if p.PackageVersion == "" {
				continue // the constraint-only cryptography has no licence
			}
			if p.PackageLicenseDeclared != want {
				t.Errorf("%s licenseDeclared %q, want %q", name, p.PackageLicenseDeclared, want)
			}
		}
	}
	// Checksums: base64 integrity becomes hex; h1 goes to the comment.
	ms := byName["ms"][0]
	var algs []string
	for _, c := range ms.PackageChecksums {
		algs = append(algs, string(c.Algorithm))
	}
	if !slices.Equal(algs, []string{"SHA1", "SHA512"}) {
		t.Errorf("ms checksums %q", algs)
	}
	cobra := byName["github.com/spf13/cobra"][0]
	if len(cobra.PackageChecksums) != 0 || !strings.Contains(cobra.PackageComment, "ospo:hash:h1=h1:") {
		t.Errorf("cobra checksums %v comment %q", cobra.PackageChecksums, cobra.PackageComment)
	}
	// A constraint-only dependency: no version, versionless purl, constraint in the comment.
	for _, p := range byName["org.slf4j:slf4j-api"] {
		if p.PackageVersion != "" || p.PackageExternalReferences[0].Locator != "pkg:maven/org.slf4j/slf4j-api" ||
			!strings.Contains(p.PackageComment, "ospo:version-constraint=[1.7,2.0)") {
			t.Errorf("slf4j: version %q purl %q comment %q", p.PackageVersion, p.PackageExternalReferences[0].Locator, p.PackageComment)
		}
	}
	// A dangling edge (requests → idna) is dropped.
	for _, r := range rels {
		if strings.Contains(r, "idna") {
			t.Errorf("dangling relationship %q", r)
		}
	}
}

// TestDeterministic checks that the output does not depend on the order of
// the project's dependencies, and that the namespace follows the content.
func TestDeterministic(t *testing.T) {
	want := write(t, "monorepo", sbomtest.Options)

	p := sbomtest.Project(t, "monorepo")
	slices.Reverse(p.Dependencies)
	var buf bytes.Buffer
	if err := Write(&buf, p, sbomtest.Options); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Error("output changed when the dependencies were reversed")
	}

	later := sbomtest.Options
	later.Now = later.Now.Add(time.Hour)
	if read(t, want).DocumentNamespace == read(t, write(t, "monorepo", later)).DocumentNamespace {
		t.Error("two documents with different creation times have the same namespace")
	}
}

func TestNoTime(t *testing.T) {
	err := Write(&bytes.Buffer{}, sbomtest.Project(t, "empty"), sbom.Options{ToolVersion: "x"})
	if !errors.Is(err, sbom.ErrNoTime) {
		t.Errorf("Write with zero Now = %v, want ErrNoTime", err)
	}
}

// TestGoldenFiles validates the golden files as they are on disk, and
// checks that each still has its sample project, and that tools-golang
// re-encodes what its reader parsed from them to the same bytes (nothing is
// lost or misread).
func TestGoldenFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.spdx.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	projects := sbomtest.ProjectNames(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if !slices.Contains(projects, strings.TrimSuffix(filepath.Base(f), ".spdx.json")) {
				t.Errorf("%s has no sample project: delete it", f)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sbomtest.Validate(t, sbomtest.SPDXSchema, data)
			doc, err := spdxjson.Read(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			if err := encode(&again, doc); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), data) {
				t.Errorf("read and write changed the document")
			}
		})
	}
}
