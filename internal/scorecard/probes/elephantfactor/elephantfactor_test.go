package elephantfactor

import (
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
	"github.com/ospo-project/ospo/internal/scorecard/facts/factstest"
)

func TestRun(t *testing.T) {
	emails := func(p *catalog.Project, es ...string) {
		for i := range p.Contributors {
			p.Contributors[i].Email = es[i]
		}
	}
	tests := []struct {
		name    string
		edit    func(p *catalog.Project, f *facts.Facts)
		outcome string
		score   float64
	}{
		{"internal project: not scored by default", func(*catalog.Project, *facts.Facts) {}, catalog.OutcomeNotAvailable, 0},
		{"open source, one firm", func(p *catalog.Project, f *facts.Facts) {
			p.Kind = catalog.KindOpenSource
			emails(p, "ann@acme.example", "bob@acme.example", "cy@acme.example")
			f.SetMaintenance(f.Maintenance)
		}, catalog.OutcomePartial, 0.5},
		{"open source, three firms", func(p *catalog.Project, f *facts.Facts) {
			p.Kind = catalog.KindOpenSource
			emails(p, "ann@acme.example", "bob@other.example", "cy@third.example")
			f.SetMaintenance(f.Maintenance)
		}, catalog.OutcomePass, 1},
		{"affiliations make bob's firm ann's", func(p *catalog.Project, f *facts.Facts) {
			p.Kind = catalog.KindOpenSource
			emails(p, "ann@acme.example", "bob@other.example", "cy@third.example")
			p.Contributors[0].Weeks = append(p.Contributors[0].Weeks, catalog.WeekActivity{Week: catalog.WeekOf(f.Now), Commits: 10})
			f.SetMaintenance(facts.Rules(config.Maintenance{}, map[string]string{"acme.example": "ACME", "Other.example": "ACME"}))
		}, catalog.OutcomePartial, 0.5},
		{"internal project scored when configured", func(p *catalog.Project, f *facts.Facts) {
			f.SetMaintenance(facts.Rules(config.Maintenance{ElephantKinds: []string{catalog.KindInternal}, ElephantFactor: 1}, nil))
		}, catalog.OutcomePass, 1},
		{"no commit in the window", func(p *catalog.Project, f *facts.Facts) {
			p.Kind = catalog.KindOpenSource
			f.Now = f.Now.AddDate(1, 0, 0)
			f.SetMaintenance(f.Maintenance)
		}, catalog.OutcomeFail, 0},
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
	if Def.ID != "elephantFactor" || Def.Remediation == "" || Def.Weight <= 0 || Def.Check == "" {
		t.Errorf("definition incomplete: %+v", Def)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
