package inactivecontributors

import (
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/facts/factstest"
)

func TestRun(t *testing.T) {
	// before moves a contributor's commits 20 weeks back: they went
	// inactive 7 weeks ago, inside the 13-week window.
	before := func(c *catalog.Contribution) {
		for i := range c.Weeks {
			c.Weeks[i].Week = c.Weeks[i].Week.AddDate(0, 0, -7*20)
		}
	}
	tests := []struct {
		name    string
		edit    func(p *catalog.Project, f *facts.Facts)
		outcome string
		score   float64
	}{
		{"nobody left", func(*catalog.Project, *facts.Facts) {}, catalog.OutcomePass, 1},
		// 1 of 3 gone: share 1/3, 0 only when all are gone: 1 - 1/3.
		{"one of three left", func(p *catalog.Project, f *facts.Facts) {
			p.Contributors[0].Weeks = append([]catalog.WeekActivity(nil), p.Contributors[0].Weeks...)
			before(&p.Contributors[0])
			f.SetMaintenance(f.Maintenance)
		}, catalog.OutcomePartial, 2.0 / 3},
		// 0 from half gone (ospo.yaml): 1 - (1/3)/(1/2).
		{"one of three left, 0 from half", func(p *catalog.Project, f *facts.Facts) {
			p.Contributors[0].Weeks = append([]catalog.WeekActivity(nil), p.Contributors[0].Weeks...)
			before(&p.Contributors[0])
			f.SetMaintenance(facts.Rules(config.Maintenance{MaxInactiveShare: 0.5}, nil))
		}, catalog.OutcomePartial, 1.0 / 3},
		// Everyone's last commit long before the window: nobody to judge.
		{"long dormant", func(p *catalog.Project, f *facts.Facts) {
			f.Now = f.Now.AddDate(2, 0, 0)
			f.SetMaintenance(f.Maintenance)
		}, catalog.OutcomeNotAvailable, 0},
		{"no history", func(p *catalog.Project, f *facts.Facts) { *f = *facts.New(&catalog.Project{}, nil, true, nil, f.Now) }, catalog.OutcomeNotAvailable, 0},
	}
	for _, tt := range tests {
		p := factstest.Good()
		f := factstest.Facts(p)
		tt.edit(p, f)
		r := Run(f)
		if r.Outcome != tt.outcome || (r.Outcome != catalog.OutcomeNotAvailable && abs(r.Score-tt.score) > 0.01) {
			t.Errorf("%s: %s %.2f (%s), want %s %.2f", tt.name, r.Outcome, r.Score, r.Message, tt.outcome, tt.score)
		}
		if r.Message == "" {
			t.Errorf("%s: no message", tt.name)
		}
	}
	if Def.ID != "inactiveContributors" || Def.Remediation == "" || Def.Weight <= 0 || Def.Check == "" {
		t.Errorf("definition incomplete: %+v", Def)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
