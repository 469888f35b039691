package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/scorecard"
)

var updateScore = flag.Bool("update", false, "rewrite the golden files in testdata/score")

// goldenScorecard scores a fixed project at a fixed time, with an
// exemption, an expired exemption and a custom check.
func goldenScorecard(t *testing.T) catalog.Scorecard {
	t.Helper()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	cfg := config.Scorecard{
		Exemptions: []config.ScoreExemption{
			{Check: "Observability", Reason: "a library", ApprovedBy: "ospo@acme.example", Expires: config.Date{Time: now.AddDate(1, 0, 0)}},
			{Check: "Ownership", Reason: "being reorganised", ApprovedBy: "ospo@acme.example", Expires: config.Date{Time: now.AddDate(0, -1, 0)}},
		},
		Custom: []config.CustomCheck{{Name: "Uses-Zap", Expression: `dependencies.exists(d, d.name == "go.uber.org/zap")`, Remediation: "Log with zap."}},
	}
	sc, err := scorecard.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &catalog.Project{ID: 7, Name: "api", Key: "github.com/acme/api", HeadCommit: "0123456789abcdef0123456789abcdef01234567", Kind: catalog.KindInternal,
		Files: []catalog.FileFact{{Kind: catalog.FileReadme, Path: "README.md"}, {Kind: catalog.FileReadmeSize, Path: "300"},
			{Kind: catalog.FileReadmeSection, Path: "usage"}, {Kind: catalog.FileLicense, Path: "LICENSE"},
			{Kind: catalog.FileCIGitHub, Path: ".github/workflows/ci.yml"}, {Kind: catalog.FileCodeFiles, Path: "20"},
			{Kind: catalog.FileTestFiles, Path: "2"}, {Kind: catalog.FileSecretLike, Path: "deploy/server.key"},
			catalog.PinnedDependency{Type: catalog.PinNpmCommand, Path: ".github/workflows/ci.yml", Line: 14, Snippet: "npm install"}.Fact(),
			catalog.PinnedDependency{Type: catalog.PinNpmCommand, Pinned: true, Path: ".github/workflows/ci.yml", Line: 20, Snippet: "npm ci"}.Fact(),
			catalog.PinnedDependency{Type: catalog.PinContainerImage, Path: "Dockerfile", Line: 1, Snippet: "FROM golang:1.26 AS build"}.Fact(),
			catalog.PinnedDependency{Type: catalog.PinDownloadThenRun, Path: "Dockerfile", Line: 3,
				Snippet: "curl -fsSL https://example.com/install.sh | sh"}.Fact(),
			{Kind: catalog.FilePinningSources, Path: "2"}},
		License: &catalog.ProjectLicense{Expression: "MIT", Confidence: 1},
		Dependencies: []catalog.Dependency{{Ecosystem: "GitHub Actions", Name: "actions/checkout", Version: "v4"},
			{Ecosystem: "Go", Name: "github.com/spf13/cobra", Version: "v1.8.0", Direct: true}},
		Contributors: []catalog.Contribution{{Identity: catalog.Identity{Name: "Ann"}, Commits: 3, LastCommit: now.AddDate(0, 0, -200),
			Weeks: []catalog.WeekActivity{{Week: catalog.WeekOf(now.AddDate(0, 0, -200)), Commits: 3}}}},
	}
	vulns := []catalog.VulnFinding{{AdvisoryID: "GHSA-xxxx", Severity: catalog.Severity{Rating: "HIGH"}, Package: "github.com/spf13/cobra"}}
	cov := 42.0
	return sc.Score(scorecard.NewFacts(p, vulns, true, &cov, now))
}

func TestScoreGolden(t *testing.T) {
	card := goldenScorecard(t)
	hist := []catalog.Scorecard{card, {ScoredAt: card.ScoredAt.AddDate(0, 0, -7), Score: 3.1}}
	for _, format := range []string{"table", "json", "sarif"} {
		var out bytes.Buffer
		a := &app{stdout: &out}
		if err := a.writeScore(card, hist, format); err != nil {
			t.Fatal(err)
		}
		golden(t, "score."+format, out.Bytes())
	}
	var out bytes.Buffer
	a := &app{stdout: &out}
	if err := a.writeScores([]catalog.Scorecard{card}, "table"); err != nil {
		t.Fatal(err)
	}
	golden(t, "scores.table", out.Bytes())
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "score", name)
	if *updateScore {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}
