package containerimagespinned

import (
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/facts/factstest"
)

func pin(pinned bool, line int, snippet string) catalog.PinnedDependency {
	return catalog.PinnedDependency{Type: catalog.PinContainerImage, Pinned: pinned, Path: "build/Dockerfile", Line: line, Snippet: snippet}
}

func TestRun(t *testing.T) {
	tests := []struct {
		edit    func(f *facts.Facts)
		outcome string
		score   float64
		loc     string
		line    int
		msg     string
	}{
		{func(*facts.Facts) {}, catalog.OutcomePass, 1, "", 0, "1 of 1"}, // the well-kept fixture passes
		{func(f *facts.Facts) { f.Pins = append(f.Pins, pin(false, 7, "FROM node:20 AS build")) },
			catalog.OutcomePartial, 0.5, "build/Dockerfile", 7, "FROM node:20 AS build (build/Dockerfile:7) is not"},
		{func(f *facts.Facts) {
			f.Pins = []catalog.PinnedDependency{pin(false, 3, "FROM ubuntu"), pin(false, 9, "FROM base")}
		},
			catalog.OutcomeFail, 0, "build/Dockerfile", 3, "0 of 2"},
		// Other kinds do not count.
		{func(f *facts.Facts) {
			f.Pins = []catalog.PinnedDependency{{Type: catalog.PinNpmCommand, Path: "x.sh", Line: 1, Snippet: "npm install"}}
		}, catalog.OutcomeNotAvailable, 0, "", 0, "no Dockerfile"},
		{func(f *facts.Facts) { f.Pins = nil }, catalog.OutcomeNotAvailable, 0, "", 0, "no Dockerfile"},
	}
	for i, tt := range tests {
		p := factstest.Good()
		f := factstest.Facts(p)
		tt.edit(f)
		r := Run(f)
		if r.Outcome != tt.outcome || (r.Outcome != catalog.OutcomeNotAvailable && abs(r.Score-tt.score) > 0.01) {
			t.Errorf("case %d: %s %.2f (%s), want %s %.2f", i, r.Outcome, r.Score, r.Message, tt.outcome, tt.score)
		}
		if r.Location != tt.loc || r.Line != tt.line {
			t.Errorf("case %d: location %s:%d, want %s:%d", i, r.Location, r.Line, tt.loc, tt.line)
		}
		if !strings.Contains(r.Message, tt.msg) {
			t.Errorf("case %d: message %q lacks %q", i, r.Message, tt.msg)
		}
	}
	if Def.ID != "containerImagesPinned" || Def.Remediation == "" || Def.Weight <= 0 || Def.Check == "" {
		t.Errorf("definition incomplete: %+v", Def)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
