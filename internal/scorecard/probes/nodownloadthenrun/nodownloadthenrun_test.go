package nodownloadthenrun

import (
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/facts/factstest"
)

func TestRun(t *testing.T) {
	curl := catalog.PinnedDependency{Type: catalog.PinDownloadThenRun, Path: "Dockerfile", Line: 60,
		Snippet: "curl -fsSL https://bun.sh/install | bash -s -- bun-v1"}
	tests := []struct {
		edit    func(f *facts.Facts)
		outcome string
		line    int
		msg     string
	}{
		{func(*facts.Facts) {}, catalog.OutcomePass, 0, "in 2 workflows"}, // the well-kept fixture passes
		{func(f *facts.Facts) { f.Pins = append(f.Pins, curl) }, catalog.OutcomeFail, 60,
			"1 download run unverified, e.g. curl -fsSL https://bun.sh/install | bash -s -- bun-v1 (Dockerfile:60)"},
		{func(f *facts.Facts) { f.Pins = append(f.Pins, curl, curl) }, catalog.OutcomeFail, 60, "2 downloads run unverified"},
		// A project scanned before these facts, or with nothing to read.
		{func(f *facts.Facts) { f.Pins, f.PinSources = nil, 0 }, catalog.OutcomeNotAvailable, 0, "no workflows"},
		// Found downloads fail even without a source count.
		{func(f *facts.Facts) { f.Pins, f.PinSources = []catalog.PinnedDependency{curl}, 0 }, catalog.OutcomeFail, 60, "1 download"},
	}
	for i, tt := range tests {
		p := factstest.Good()
		f := factstest.Facts(p)
		tt.edit(f)
		r := Run(f)
		if r.Outcome != tt.outcome {
			t.Errorf("case %d: %s (%s), want %s", i, r.Outcome, r.Message, tt.outcome)
		}
		if r.Line != tt.line {
			t.Errorf("case %d: line %d, want %d", i, r.Line, tt.line)
		}
		if !strings.Contains(r.Message, tt.msg) {
			t.Errorf("case %d: message %q lacks %q", i, r.Message, tt.msg)
		}
	}
	if Def.ID != "noDownloadThenRun" || Def.Remediation == "" || Def.Weight <= 0 || Def.Check == "" {
		t.Errorf("definition incomplete: %+v", Def)
	}
}
