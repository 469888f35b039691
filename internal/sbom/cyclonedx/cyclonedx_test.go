package cyclonedx

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/ospo-project/ospo/internal/catalog"
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

// TestGolden checks every sample project's BOM against its golden file, the
// official CycloneDX 1.6 schema, cyclonedx-go's decoder, and the rules the
// schema cannot express (references resolve, bom-refs are unique).
func TestGolden(t *testing.T) {
	for _, name := range sbomtest.ProjectNames(t) {
		t.Run(name, func(t *testing.T) {
			got := write(t, name, sbomtest.Options)
			golden := filepath.Join("testdata", name+".cdx.json")
			sbomtest.Golden(t, golden, got)
			sbomtest.Validate(t, sbomtest.CycloneDXSchema, got)
			checkDecoded(t, got)
		})
	}
}

func checkDecoded(t *testing.T, data []byte) {
	t.Helper()
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if bom.SpecVersion != cdx.SpecVersion1_6 || bom.BOMFormat != "CycloneDX" {
		t.Errorf("specVersion %v, bomFormat %q", bom.SpecVersion, bom.BOMFormat)
	}
	if !strings.HasPrefix(bom.SerialNumber, "urn:uuid:") {
		t.Errorf("serialNumber %q", bom.SerialNumber)
	}
	if bom.Metadata == nil || bom.Metadata.Component == nil {
		t.Fatal("no metadata.component")
	}
	refs := map[string]bool{bom.Metadata.Component.BOMRef: true}
	purls := map[string]bool{}
	if bom.Components != nil {
		for _, c := range *bom.Components {
			if refs[c.BOMRef] {
				t.Errorf("bom-ref %q twice", c.BOMRef)
			}
			refs[c.BOMRef] = true
			if c.PackageURL != "" {
				if purls[c.PackageURL] {
					t.Errorf("purl %q on two components", c.PackageURL)
				}
				purls[c.PackageURL] = true
			}
		}
	}
	if bom.Dependencies == nil {
		t.Fatal("no dependencies")
	}
	seen := map[string]bool{}
	for _, d := range *bom.Dependencies {
		if !refs[d.Ref] {
			t.Errorf("dependency ref %q names no component", d.Ref)
		}
		if seen[d.Ref] {
			t.Errorf("dependency ref %q twice", d.Ref)
		}
		seen[d.Ref] = true
		if d.Dependencies != nil {
			for _, on := range *d.Dependencies {
				if !refs[on] {
					t.Errorf("%q dependsOn %q, which names no component", d.Ref, on)
				}
			}
		}
	}
	if !seen[bom.Metadata.Component.BOMRef] {
		t.Error("the project has no entry in dependencies")
	}
}

// TestMonorepo checks the decisions the package documents on the sample
// monorepo, so that a golden update that breaks one is noticed.
func TestMonorepo(t *testing.T) {
	var bom cdx.BOM
	data := write(t, "monorepo", sbomtest.Options)
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	byRef := map[string]cdx.Component{}
	for _, c := range *bom.Components {
		byRef[c.BOMRef] = c
	}
	props := func(c cdx.Component, name string) []string {
		var vs []string
		if c.Properties != nil {
			for _, p := range *c.Properties {
				if p.Name == name {
					vs = append(vs, p.Value)
				}
			}
		}
		return vs
	}
	dependsOn := map[string][]string{}
	for _, d := range *bom.Dependencies {
		if d.Dependencies != nil {
			dependsOn[d.Ref] = *d.Dependencies
		}
	}

	// A package shared by two lockfiles is one component listing both.
	react := byRef["pkg:npm/react@18.2.0"]
	if got, want := props(react, "ospo:manifest"), []string{"services/admin/package-lock.json", "services/web/package-lock.json"}; !slices.Equal(got, want) {
		t.Errorf("react manifests = %q, want %q", got, want)
	}
	for _, m := range []string{"ospo:manifest:services/admin/package-lock.json", "ospo:manifest:services/web/package-lock.json"} {
		if !slices.Contains(dependsOn[m], "pkg:npm/react@18.2.0") {
			t.Errorf("%s does not depend on react: %q", m, dependsOn[m])
		}
	}
	// Scopes: runtime anywhere → required; dev only → excluded; no scope → omitted.
	for ref, want := range map[string]cdx.Scope{
		"pkg:npm/ms@2.1.2":                                 cdx.ScopeRequired, // dev in web, runtime in admin
		"pkg:npm/%40babel/core@7.24.0":                     cdx.ScopeExcluded,
		"pkg:npm/fsevents@2.3.3":                           cdx.ScopeOptional,
		"pkg:golang/github.com/spf13/cobra@v1.8.0":         "",
		"pkg:maven/org.junit.jupiter/junit-jupiter@5.10.2": cdx.ScopeExcluded,
	} {
		if got := byRef[ref].Scope; got != want {
			t.Errorf("%s scope = %q, want %q", ref, got, want)
		}
	}
	// Hashes: base64 integrity becomes hex; h1 stays a property.
	ms := byRef["pkg:npm/ms@2.1.2"]
	if ms.Hashes == nil || len(*ms.Hashes) != 2 {
		t.Errorf("ms hashes = %v, want SHA-1 and SHA-512", ms.Hashes)
	}
	cobra := byRef["pkg:golang/github.com/spf13/cobra@v1.8.0"]
	if cobra.Hashes != nil || len(props(cobra, "ospo:hash:h1")) != 1 {
		t.Errorf("cobra: hashes %v, h1 properties %q", cobra.Hashes, props(cobra, "ospo:hash:h1"))
	}
	// A constraint-only dependency has no version, and its purl none either.
	slf4j := byRef["pkg:maven/org.slf4j/slf4j-api"]
	if slf4j.Version != "" || slf4j.PackageURL != "pkg:maven/org.slf4j/slf4j-api" || !slices.Equal(props(slf4j, "ospo:version-constraint"), []string{"[1.7,2.0)"}) {
		t.Errorf("slf4j = version %q purl %q constraint %q", slf4j.Version, slf4j.PackageURL, props(slf4j, "ospo:version-constraint"))
	}
	// Licences: ids, names, and one expression when any is compound.
	for ref, want := range map[string]string{
		"pkg:pypi/pytest@8.1.1":                                 "id:MIT",
		"pkg:npm/legacy-widget@0.3.1":                           "name:Apache 2.0",
		"pkg:pypi/cryptography@42.0.5":                          "expression:(Apache-2.0 OR BSD-3-Clause) AND PSF-2.0",
		"pkg:maven/javax.annotation/javax.annotation-api@1.3.2": "expression:CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0",
	} {
		c := byRef[ref]
		var got []string
		if c.Licenses != nil {
			for _, l := range *c.Licenses {
				switch {
				case l.Expression != "":
					got = append(got, "expression:"+l.Expression)
				case l.License.ID != "":
					got = append(got, "id:"+l.License.ID)
				default:
					got = append(got, "name:"+l.License.Name)
				}
			}
		}
		if !slices.Equal(got, []string{want}) {
			t.Errorf("%s licences = %q, want %q", ref, got, want)
		}
	}
	// Maven names are split into group and name.
	if c := byRef["pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"]; c.Group != "org.apache.logging.log4j" || c.Name != "log4j-core" {
		t.Errorf("log4j-core group %q name %q", c.Group, c.Name)
	}
	// A dangling edge (requests → idna, which the lockfile does not list) is dropped.
	if got := dependsOn["pkg:pypi/requests@2.31.0"]; len(got) != 2 {
		t.Errorf("requests dependsOn %q, want certifi and urllib3", got)
	}
}

// TestDeterministic checks that the output does not depend on the order of
// the project's dependencies, and that the serial number follows the content.
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
	other := write(t, "monorepo", later)
	serial := func(b []byte) string {
		var bom cdx.BOM
		if err := cdx.NewBOMDecoder(bytes.NewReader(b), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
			t.Fatal(err)
		}
		return bom.SerialNumber
	}
	if serial(want) == serial(other) {
		t.Error("two BOMs with different timestamps have the same serial number")
	}
}

func TestNoTime(t *testing.T) {
	err := Write(&bytes.Buffer{}, sbomtest.Project(t, "empty"), sbom.Options{ToolVersion: "x"})
	if !errors.Is(err, sbom.ErrNoTime) {
		t.Errorf("Write with zero Now = %v, want ErrNoTime", err)
	}
}

// TestGoldenFiles validates the golden files as they are on disk, and
// checks that each still has its sample project, and that cyclonedx-go
// re-encodes what it decoded from them to the same bytes (nothing is lost or
// misread).
func TestGoldenFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.cdx.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	projects := sbomtest.ProjectNames(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if !slices.Contains(projects, strings.TrimSuffix(filepath.Base(f), ".cdx.json")) {
				t.Errorf("%s has no sample project: delete it", f)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sbomtest.Validate(t, sbomtest.CycloneDXSchema, data)
			var bom cdx.BOM
			if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			if err := encode(&again, &bom); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), data) {
				t.Errorf("decode and encode changed the document")
			}
		})
	}
}

// TestEncodeNeedsNoConversion checks that the BOMs build makes, sample
// projects and vulnerabilities included, encode to the same bytes as
// cyclonedx-go's conversion to SpecVersion would give: encode skips it.
func TestEncodeNeedsNoConversion(t *testing.T) {
	opts := sbomtest.Options
	opts.Vulnerabilities = []catalog.VulnFinding{{
		AdvisoryID: "GO-2025-3595", Aliases: []string{"CVE-2025-22872"}, Summary: "Incorrect neutralization",
		Severity:  catalog.Severity{Rating: "MEDIUM", Score: 6.5, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N"},
		Ecosystem: "Go", Package: "golang.org/x/text", Version: "v0.14.0", PURL: "pkg:golang/golang.org/x/text@v0.14.0",
		Manifest: "go.mod", FixedIn: "0.23.0", Direct: true, Suppressed: true, Reason: "not reachable",
	}}
	for _, name := range sbomtest.ProjectNames(t) {
		for _, o := range []sbom.Options{sbomtest.Options, opts} {
			bom, err := build(sbomtest.Project(t, name), o)
			if err != nil {
				t.Fatal(err)
			}
			bom.SerialNumber = "urn:uuid:00000000-0000-0000-0000-000000000000"
			var got, want bytes.Buffer
			if err := encode(&got, bom); err != nil {
				t.Fatal(err)
			}
			if err := cdx.NewBOMEncoder(&want, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false).EncodeVersion(bom, SpecVersion); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s (%d vulnerabilities): converting to %s changes the BOM:\n%s\nwant\n%s", name, len(o.Vulnerabilities), SpecVersion, got.Bytes(), want.Bytes())
			}
		}
	}
}
