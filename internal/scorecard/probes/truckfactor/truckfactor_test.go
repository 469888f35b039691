package truckfactor

import (
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/facts/factstest"
)

func TestRun(t *testing.T) {
	tests := []struct {
		edit    func(p *catalog.Project, f *facts.Facts)
		outcome string
		score   float64
	}{
		{func(*catalog.Project, *facts.Facts) {}, catalog.OutcomePass, 1}, // the well-kept fixture passes
		{func(p *catalog.Project, f *facts.Facts) { f.TruckFactor, f.KeyPeople = 1, []string{"ann"} }, catalog.OutcomePartial, 0.5},
		{func(p *catalog.Project, f *facts.Facts) { f.TruckFactor = 5 }, catalog.OutcomePass, 1},
		{func(p *catalog.Project, f *facts.Facts) { *f = *facts.New(&catalog.Project{}, nil, true, nil, f.Now) }, catalog.OutcomeNotAvailable, 0},
	}
	for i, tt := range tests {
		p := factstest.Good()
		f := factstest.Facts(p)
		tt.edit(p, f)
		r := Run(f)
		if r.Outcome != tt.outcome || (r.Outcome != catalog.OutcomeNotAvailable && abs(r.Score-tt.score) > 0.01) {
			t.Errorf("case %d: %s %.2f (%s), want %s %.2f", i, r.Outcome, r.Score, r.Message, tt.outcome, tt.score)
		}
		if r.Message == "" {
			t.Errorf("case %d: no message", i)
		}
	}
	if Def.ID != "truckFactor" || Def.Remediation == "" || Def.Weight <= 0 || Def.Check == "" {
		t.Errorf("definition incomplete: %+v", Def)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
