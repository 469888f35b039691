package packageinstallspinned

import (
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts/factstest"
)

func dep(typ string, pinned bool, line int, snippet string) catalog.PinnedDependency {
	return catalog.PinnedDependency{Type: typ, Pinned: pinned, Path: ".github/workflows/ci.yml", Line: line, Snippet: snippet}
}

func TestRun(t *testing.T) {
	tests := []struct {
		pins    []catalog.PinnedDependency // replace the fixture's when not nil
		outcome string
		score   float64
		line    int
		msg     string
	}{
		{nil, catalog.OutcomePass, 1, 0, "npmCommand 1 of 1"}, // the well-kept fixture passes
		// express: three npm install, none pinned.
		{[]catalog.PinnedDependency{dep(catalog.PinNpmCommand, false, 39, "npm install --ignore-scripts --include=dev"),
			dep(catalog.PinNpmCommand, false, 71, "npm install"), dep(catalog.PinNpmCommand, false, 12, "npm install")},
			catalog.OutcomeFail, 0, 39, "0 of 3 package-manager installs pinned (npmCommand 0 of 3); e.g. npm install --ignore-scripts --include=dev (.github/workflows/ci.yml:39) is not"},
		// phoenix: two npm ci and one npm install.
		{[]catalog.PinnedDependency{dep(catalog.PinNpmCommand, true, 56, "npm ci"), dep(catalog.PinNpmCommand, true, 145, "npm ci"),
			dep(catalog.PinNpmCommand, false, 26, "npm install -g npm@latest")},
			catalog.OutcomePartial, 2.0 / 3, 26, "2 of 3"},
		// Package managers weigh the same: npm 1/1 and pip 0/3 is half.
		{[]catalog.PinnedDependency{dep(catalog.PinNpmCommand, true, 5, "npm ci"), dep(catalog.PinPipCommand, false, 8, "pip install x"),
			dep(catalog.PinPipCommand, false, 9, "pip install y"), dep(catalog.PinPipCommand, false, 10, "pip install z")},
			catalog.OutcomePartial, 0.5, 8, "npmCommand 1 of 1, pipCommand 0 of 3"},
		{[]catalog.PinnedDependency{dep(catalog.PinGoCommand, true, 1, "go install x@v1.2.3"), dep(catalog.PinNugetCommand, true, 2, "dotnet restore --locked-mode"),
			dep(catalog.PinChocoCommand, true, 3, "choco install --requirechecksums x")},
			catalog.OutcomePass, 1, 0, "3 of 3"},
		// Images and downloads are other probes'.
		{[]catalog.PinnedDependency{dep(catalog.PinContainerImage, false, 1, "FROM x"), dep(catalog.PinDownloadThenRun, false, 2, "curl x | sh")},
			catalog.OutcomeNotAvailable, 0, 0, "no package-manager installs"},
	}
	for i, tt := range tests {
		p := factstest.Good()
		f := factstest.Facts(p)
		if tt.pins != nil {
			f.Pins = tt.pins
		}
		r := Run(f)
		if r.Outcome != tt.outcome || (r.Outcome != catalog.OutcomeNotAvailable && abs(r.Score-tt.score) > 0.01) {
			t.Errorf("case %d: %s %.2f (%s), want %s %.2f", i, r.Outcome, r.Score, r.Message, tt.outcome, tt.score)
		}
		if r.Line != tt.line || (tt.line > 0) != (r.Location != "") {
			t.Errorf("case %d: location %s:%d, want line %d", i, r.Location, r.Line, tt.line)
		}
		if !strings.Contains(r.Message, tt.msg) {
			t.Errorf("case %d: message %q lacks %q", i, r.Message, tt.msg)
		}
	}
	if Def.ID != "packageInstallsPinned" || Def.Remediation == "" || Def.Weight <= 0 || Def.Check == "" {
		t.Errorf("definition incomplete: %+v", Def)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
