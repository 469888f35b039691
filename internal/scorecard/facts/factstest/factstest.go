// Package factstest holds the fixtures of the scorecard probes' tests.
package factstest

import (
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
)

// Now is the time the fixtures are scored at.
var Now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// Good returns a project every built-in probe passes at Now (with
// coverage 85%: see Facts).
func Good() *catalog.Project {
	files := []catalog.FileFact{
		{Kind: catalog.FileReadme, Path: "README.md"}, {Kind: catalog.FileReadmeSize, Path: "4000"},
		{Kind: catalog.FileReadmeSection, Path: "install"}, {Kind: catalog.FileReadmeSection, Path: "usage"},
		{Kind: catalog.FileContributing, Path: "CONTRIBUTING.md"}, {Kind: catalog.FileCodeOfConduct, Path: "CODE_OF_CONDUCT.md"},
		{Kind: catalog.FileChangelog, Path: "CHANGELOG.md"}, {Kind: catalog.FileDocs, Path: "docs"},
		{Kind: catalog.FileLicense, Path: "LICENSE"}, {Kind: catalog.FileSecurity, Path: "SECURITY.md"},
		{Kind: catalog.FileDependabot, Path: ".github/dependabot.yml"}, {Kind: catalog.FileCIGitHub, Path: ".github/workflows/ci.yml"},
		{Kind: catalog.FileCodeFiles, Path: "10"}, {Kind: catalog.FileTestFiles, Path: "5"},
		{Kind: catalog.FileCodeowners, Path: "CODEOWNERS"}, {Kind: catalog.FileInnerSource, Path: "innersource.json"},
		{Kind: catalog.FileHealthProbe, Path: "deploy/k8s/deployment.yaml"},
		catalog.PinnedDependency{Type: catalog.PinContainerImage, Pinned: true, Path: "Dockerfile", Line: 1,
			Snippet: "FROM golang:1.26@sha256:" + strings.Repeat("ab", 32)}.Fact(),
		catalog.PinnedDependency{Type: catalog.PinNpmCommand, Pinned: true, Path: ".github/workflows/ci.yml", Line: 20, Snippet: "npm ci"}.Fact(),
		{Kind: catalog.FilePinningSources, Path: "2"},
	}
	var weeks []catalog.WeekActivity
	for i := 0; i < 12; i++ {
		weeks = append(weeks, catalog.WeekActivity{Week: catalog.WeekOf(Now.AddDate(0, 0, -7*(12-i))), Commits: 2})
	}
	var contribs []catalog.Contribution
	for _, e := range []string{"ann@acme.example", "bob@partner.example", "cy@third.example"} {
		n, _, _ := strings.Cut(e, "@")
		contribs = append(contribs, catalog.Contribution{Identity: catalog.Identity{Name: n, Email: e}, Commits: 24, LastCommit: Now.AddDate(0, 0, -3), Weeks: weeks})
	}
	return &catalog.Project{
		Name: "api", Key: "github.com/acme/api", Kind: catalog.KindInternal, Lifecycle: "production",
		Description: "The API.", DescriptionSource: "readme", Topics: []string{"payments"},
		Files: files,
		License: &catalog.ProjectLicense{Expression: "Apache-2.0", Confidence: 1, Evidence: []catalog.LicenseEvidence{
			{File: "LICENSE", License: "Apache-2.0", Source: catalog.LicenseSourceFile},
			{File: "package.json", License: "Apache-2.0", Source: catalog.LicenseSourceMetadata}}},
		Dependencies: []catalog.Dependency{
			{Ecosystem: "Go", Name: "go.uber.org/zap", Version: "v1.27.0", Direct: true},
			{Ecosystem: "Go", Name: "github.com/prometheus/client_golang", Version: "v1.20.0", Direct: true},
			{Ecosystem: "Go", Name: "go.opentelemetry.io/otel", Version: "v1.30.0", Direct: true},
			{Ecosystem: "GitHub Actions", Name: "actions/checkout", Version: "11bd71901bbe5b1630ceea73d27597364c9af683", Direct: true},
		},
		Contributors: contribs,
		Expertise: &catalog.Expertise{Files: 30, TruckFactor: 2, AbsenceFactor: 2,
			KeyPeople: []catalog.Identity{{Name: "ann"}, {Name: "bob"}}},
	}
}

// Facts returns the facts of p with no vulnerabilities (advisories known)
// and 85% coverage.
func Facts(p *catalog.Project) *facts.Facts {
	c := 85.0
	return facts.New(p, nil, true, &c, Now)
}
