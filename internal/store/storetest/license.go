package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// licenseTests cover store.LicenseStore and the licence facts ReplaceProject keeps.
var licenseTests = []namedTest{
	{"Licenses/RoundTrip", testLicenseRoundTrip},
	{"Licenses/Replace", testLicenseReplace},
	{"Licenses/Summary", testLicenseSummary},
}

// withLicenses returns p with licence facts and findings; gpl adds a
// runtime GPL dependency in violation.
func withLicenses(p *catalog.Project, own string, gpl bool) *catalog.Project {
	p.License = &catalog.ProjectLicense{Expression: own, Confidence: 0.95, Evidence: []catalog.LicenseEvidence{
		{File: "LICENSE", License: own, Coverage: 98.4, Confidence: 0.98, Source: catalog.LicenseSourceFile},
		{File: "package.json", License: own, Confidence: 0.9, Source: catalog.LicenseSourceMetadata},
	}}
	p.DependencyLicenses = []catalog.DependencyLicense{
		{PURL: "pkg:npm/lodash@4.17.21", Manifest: "package-lock.json", Expression: "MIT", Source: "lockfile", Category: "permissive"},
		{PURL: "pkg:npm/left-pad@1.3.0", Manifest: "package-lock.json", Expression: "unknown", Category: "unknown"},
	}
	p.LicenseFindings = []catalog.LicenseFinding{{Severity: catalog.SeverityWarning, Rule: "license/unknown",
		PURL: "pkg:npm/left-pad@1.3.0", Manifest: "package-lock.json", Scope: "dev", License: "unknown", Category: "unknown",
		Message: "left-pad@1.3.0 has no known licence", Remediation: "Check it.", SuppressedBy: "exception approved by ospo: reviewed"}}
	if gpl {
		p.DependencyLicenses = append(p.DependencyLicenses, catalog.DependencyLicense{PURL: "pkg:npm/gpl-thing@1.0.0",
			Manifest: "package-lock.json", Expression: "GPL-3.0-only", Source: "registry", Category: "strong-copyleft"})
		p.LicenseFindings = append(p.LicenseFindings, catalog.LicenseFinding{Severity: catalog.SeverityViolation,
			Rule: "license/strong-copyleft", PURL: "pkg:npm/gpl-thing@1.0.0", Manifest: "package-lock.json", Scope: "runtime",
			License: "GPL-3.0-only", Category: "strong-copyleft", Message: "gpl-thing is GPL", Remediation: "Replace it."})
	}
	return p
}

func testLicenseRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := withLicenses(project("github.com/acme/web", "web", 1), "MIT OR Apache-2.0", true)
	replace(t, s, p)
	got, err := s.Project(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.License, got.License, opts); diff != "" {
		t.Errorf("License (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(p.DependencyLicenses, got.DependencyLicenses, opts); diff != "" {
		t.Errorf("DependencyLicenses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(p.LicenseFindings, got.LicenseFindings, opts); diff != "" {
		t.Errorf("LicenseFindings (-want +got):\n%s", diff)
	}
	// The same findings read for many projects at once; a project without
	// findings and an unknown one are absent.
	other := replace(t, s, project("github.com/acme/other", "other", 2))
	byID, err := s.LicenseFindings(ctx, []int64{got.ID, other, got.ID, 4242})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64][]catalog.LicenseFinding{got.ID: p.LicenseFindings}, byID, opts); diff != "" {
		t.Errorf("LicenseFindings of several projects (-want +got):\n%s", diff)
	}
	list, err := s.ListProjects(ctx, store.ProjectFilter{Query: "web"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].License == nil || list[0].License.Expression != "MIT OR Apache-2.0" {
		t.Errorf("ListProjects licence = %+v, want the project's licence", list)
	}
}

func testLicenseReplace(t *testing.T, s store.Store) {
	ctx := context.Background()
	replace(t, s, withLicenses(project("k", "web", 1), "MIT", true))
	p := project("k", "web", 2) // rescanned with no licence facts
	replace(t, s, p)
	got, err := s.Project(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if got.License != nil || len(got.DependencyLicenses) > 0 || len(got.LicenseFindings) > 0 {
		t.Errorf("old licence facts kept: %+v %+v %+v", got.License, got.DependencyLicenses, got.LicenseFindings)
	}
	sum, err := s.LicenseSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.ProjectLicenses)+len(sum.DependencyLicenses)+len(sum.InViolation) != 0 {
		t.Errorf("summary after replace = %+v, want empty", sum)
	}
	replace(t, s, withLicenses(project("k", "web", 3), "MIT", true))
	if err := s.DeleteProject(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if sum, _ := s.LicenseSummary(ctx); len(sum.ProjectLicenses) != 0 {
		t.Errorf("summary after delete = %+v", sum)
	}
}

func testLicenseSummary(t *testing.T, s store.Store) {
	ctx := context.Background()
	sum, err := s.LicenseSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	empty := &catalog.LicenseSummary{ProjectLicenses: []catalog.LicenseCount{}, DependencyLicenses: []catalog.LicenseCount{},
		Categories: []catalog.LicenseCount{}, InViolation: []catalog.ProjectViolations{}}
	if diff := cmp.Diff(empty, sum); diff != "" {
		t.Errorf("empty summary (-want +got):\n%s", diff)
	}
	idA := replace(t, s, withLicenses(project("a", "alpha", 1), "MIT", true))
	replace(t, s, withLicenses(project("b", "beta", 2), "MIT", false))
	replace(t, s, withLicenses(project("c", "gamma", 3), "Apache-2.0", false))
	replace(t, s, project("d", "delta", 4)) // scanned before licences were recorded
	sum, err = s.LicenseSummary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &catalog.LicenseSummary{
		ProjectLicenses: []catalog.LicenseCount{{Name: "MIT", Projects: 2}, {Name: "Apache-2.0", Projects: 1}},
		DependencyLicenses: []catalog.LicenseCount{{Name: "MIT", Projects: 3, Dependencies: 3},
			{Name: "unknown", Projects: 3, Dependencies: 3}, {Name: "GPL-3.0-only", Projects: 1, Dependencies: 1}},
		Categories: []catalog.LicenseCount{{Name: "permissive", Projects: 3, Dependencies: 3},
			{Name: "unknown", Projects: 3, Dependencies: 3}, {Name: "strong-copyleft", Projects: 1, Dependencies: 1}},
		InViolation: []catalog.ProjectViolations{{ProjectID: idA, Project: "alpha", ProjectKey: "a", Violations: 1}},
	}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("LicenseSummary (-want +got):\n%s", diff)
	}
}
