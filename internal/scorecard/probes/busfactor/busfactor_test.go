package busfactor

import (
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
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
		// ann makes half the commits: absence factor 1.
		{func(p *catalog.Project, f *facts.Facts) {
			p.Contributors[0].Weeks = append(p.Contributors[0].Weeks, catalog.WeekActivity{Week: catalog.WeekOf(f.Now), Commits: 48})
			f.SetMaintenance(f.Maintenance)
		}, catalog.OutcomePartial, 0.5},
		// The same with full marks from an absence factor of 1 (ospo.yaml).
		{func(p *catalog.Project, f *facts.Facts) {
			p.Contributors[0].Weeks = append(p.Contributors[0].Weeks, catalog.WeekActivity{Week: catalog.WeekOf(f.Now), Commits: 48})
			f.SetMaintenance(facts.Rules(config.Maintenance{AbsenceFactor: 1}, nil))
		}, catalog.OutcomePass, 1},
		// No commit in the window.
		{func(p *catalog.Project, f *facts.Facts) {
			f.Now = f.Now.AddDate(1, 0, 0)
			f.SetMaintenance(f.Maintenance)
		}, catalog.OutcomeFail, 0},
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
	if Def.ID != "busFactor" || Def.Remediation == "" || Def.Weight <= 0 || Def.Check == "" {
		t.Errorf("definition incomplete: %+v", Def)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
