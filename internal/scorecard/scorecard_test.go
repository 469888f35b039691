package scorecard

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/health"
	"github.com/ospo-project/ospo/internal/scorecard/facts/factstest"
	"github.com/ospo-project/ospo/internal/scorecard/probes"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func cov(v float64) *float64 { return &v }

func TestProbesAllPass(t *testing.T) {
	p := factstest.Good()
	p.Kind = catalog.KindOpenSource // the elephant factor is scored for open source only, by default
	f := NewFacts(p, nil, true, cov(85), now)
	seen := map[string]bool{}
	for _, p := range probes.All {
		if r := p.Run(f); r.Outcome != catalog.OutcomePass {
			t.Errorf("%s: %s (%s), want pass", p.ID, r.Outcome, r.Message)
		}
		if seen[p.ID] {
			t.Errorf("%s listed twice", p.ID)
		}
		seen[p.ID] = true
	}
}

// The Maintenance check reads internal/health's figures over its window,
// and the scorer's configured rules win over the defaults.
func TestFactsMaintenance(t *testing.T) {
	p := factstest.Good()
	p.Contributors[0].Weeks = append(p.Contributors[0].Weeks, catalog.WeekActivity{Week: catalog.WeekOf(now.AddDate(0, 0, -1)), Commits: 100})
	f := NewFacts(p, nil, true, nil, now)
	if f.Commits() != 172 || f.Health().Contributors != 3 || f.AbsenceFactor() != 1 || f.Maintenance.Weeks != 13 {
		t.Errorf("commits %d contributors %d absence factor %d weeks %d, want 172 3 1 13", f.Commits(), f.Health().Contributors, f.AbsenceFactor(), f.Maintenance.Weeks)
	}
	if freq, ok := f.Metric(health.MetricCommitFrequency); !ok || freq != 172.0/13 {
		t.Errorf("commit frequency %v %v, want 172/13", freq, ok)
	}

	// A four-week window (11 May to 1 June) sees three weeks of 2 commits
	// each for three people (18) and ann's 100: commit frequency 118/4;
	// ann alone makes half.
	cfg := config.Scorecard{Maintenance: config.Maintenance{Weeks: 4, CommitsPerWeek: 40, AbsenceFactor: 1}}
	sc := mustNew(t, cfg).Score(f)
	if f.Maintenance.Weeks != 4 || f.Commits() != 118 {
		t.Errorf("scored with window %d and %d commits, want 4 and 118", f.Maintenance.Weeks, f.Commits())
	}
	var m *catalog.CheckScore
	for i := range sc.Checks {
		if sc.Checks[i].Name == CheckMaintenance {
			m = &sc.Checks[i]
		}
	}
	outcomes := map[string]string{}
	for _, pf := range m.Findings {
		outcomes[pf.Probe] = pf.Outcome
	}
	want := map[string]string{"recentCommits": catalog.OutcomePartial, "activeContributors": catalog.OutcomePass,
		"busFactor": catalog.OutcomePass, "elephantFactor": catalog.OutcomeNotAvailable, "inactiveContributors": catalog.OutcomePass,
		"truckFactor": catalog.OutcomePass, "notStale": catalog.OutcomePass}
	if diff := cmp.Diff(want, outcomes); diff != "" {
		t.Errorf("Maintenance outcomes (-want +got):\n%s", diff)
	}
	if m.Health == nil || m.Health.Weeks != 4 {
		t.Fatalf("Maintenance check's health = %+v, want the 4-week figures", m.Health)
	}
	figs := map[string]float64{}
	for _, fig := range m.Health.Figures {
		figs[fig.ID] = fig.Value
		if fig.Name == "" || fig.URL == "" {
			t.Errorf("figure %s lacks its CHAOSS name or link", fig.ID)
		}
	}
	if diff := cmp.Diff(map[string]float64{health.MetricCommitFrequency: 29.5, health.MetricAbsenceFactor: 1, health.MetricElephantFactor: 1,
		"contributors": 3, health.MetricInactiveContributors: 0}, figs); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
	// Custom checks read the same figures.
	vars := Vars(f)
	if vars["absence_factor"] != 1 || vars["bus_factor"] != 1 || vars["commit_frequency"] != 29.5 || vars["maintenance_weeks"] != 4 {
		t.Errorf("CEL variables %v", vars)
	}
}

func scores(sc catalog.Scorecard) map[string]int {
	m := map[string]int{}
	for _, c := range sc.Checks {
		m[c.Name] = c.Score
	}
	return m
}

func mustNew(t *testing.T, cfg config.Scorecard) *Scorer {
	t.Helper()
	s, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestChecks(t *testing.T) {
	s := mustNew(t, config.Scorecard{})
	sc := s.Score(NewFacts(factstest.Good(), nil, true, cov(85), now))
	want := map[string]int{"Documentation": 10, "Licensing": 10, "Security": 10, "Tests": 10, "Observability": 10, "Maintenance": 10, "Ownership": 10}
	if diff := cmp.Diff(want, scores(sc)); diff != "" {
		t.Errorf("scores (-want +got):\n%s", diff)
	}
	if sc.Score != 10 || sc.Availability != 1 {
		t.Errorf("aggregate %v availability %v, want 10 and 1", sc.Score, sc.Availability)
	}

	bare := &catalog.Project{Name: "bare", Kind: catalog.KindInternal}
	sc = s.Score(NewFacts(bare, nil, false, nil, now))
	got := scores(sc)
	if got["Observability"] != catalog.ScoreNotAvailable || got["Maintenance"] != catalog.ScoreNotAvailable || got["Tests"] != 0 {
		t.Errorf("bare project scores %v: want Observability and Maintenance not available, Tests 0", got)
	}
	if sc.Availability >= 1 || sc.Score >= 5 {
		t.Errorf("bare project: aggregate %v availability %v", sc.Score, sc.Availability)
	}
}

func TestEvaluateWeightsApplicabilityExemptions(t *testing.T) {
	two, zero := 2.0, 0.0
	p := factstest.Good()
	p.Topics = nil                      // Ownership 8
	p.Dependencies = p.Dependencies[3:] // Observability 0
	cfg := config.Scorecard{
		Checks: map[string]config.ScoreCheck{
			"Ownership":   {Weight: &two},
			"Maintenance": {Weight: &zero},
			"Tests":       {Kinds: []string{catalog.KindOpenSource}},
		},
		Exemptions: []config.ScoreExemption{
			{Check: "Observability", Projects: []string{"ap*"}, Reason: "a library", ApprovedBy: "ospo", Expires: config.Date{Time: now.AddDate(0, 1, 0)}},
			{Check: "Documentation", Reason: "old", ApprovedBy: "ospo", Expires: config.Date{Time: now.AddDate(0, -1, 0)}},
		},
	}
	sc := mustNew(t, cfg).Score(NewFacts(p, nil, true, cov(85), now))
	got := scores(sc)
	if _, ok := got["Tests"]; ok {
		t.Errorf("Tests applies only to open source projects; got %v", got)
	}
	var obs, doc *catalog.CheckScore
	for i := range sc.Checks {
		switch sc.Checks[i].Name {
		case "Observability":
			obs = &sc.Checks[i]
		case "Documentation":
			doc = &sc.Checks[i]
		}
	}
	if obs.Exemption == nil || obs.Exemption.Expired {
		t.Errorf("Observability exemption = %+v, want in force", obs.Exemption)
	}
	if doc.Exemption == nil || !doc.Exemption.Expired {
		t.Errorf("Documentation exemption = %+v, want shown as expired", doc.Exemption)
	}
	// Documentation 10 (1) + Licensing 10 (1) + Security 10 (1) + Ownership 8 (2); Maintenance weight 0, Observability exempt.
	if want := 9.2; sc.Score != want {
		t.Errorf("aggregate %v, want %v (checks %v)", sc.Score, want, got)
	}
}

func TestNewErrors(t *testing.T) {
	for _, cfg := range []config.Scorecard{
		{Checks: map[string]config.ScoreCheck{"Docs": {}}},
		{Exemptions: []config.ScoreExemption{{Check: "Nope"}}},
		{Custom: []config.CustomCheck{{Name: "x", Expression: "name +"}}},             // syntax
		{Custom: []config.CustomCheck{{Name: "x", Expression: "name == 1"}}},          // types
		{Custom: []config.CustomCheck{{Name: "x", Expression: "name"}}},               // returns a string
		{Custom: []config.CustomCheck{{Name: "x", Expression: "undeclared_var > 1"}}}, // unknown variable
		{Custom: []config.CustomCheck{{Name: "Security", Expression: "true"}}},        // shadows a built-in
	} {
		if _, err := New(cfg, nil); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", cfg)
		}
	}
}

func TestCustomChecks(t *testing.T) {
	cfg := config.Scorecard{Custom: []config.CustomCheck{
		{Name: "Uses-Acme-Logging", Expression: `kind != "internal" || dependencies.exists(d, d.name == "go.uber.org/zap" && d.direct)`, Remediation: "Use zap."},
		{Name: "Has-Go", Expression: `"Go" in languages && languages["Go"] > 100`},
		{Name: "Test-Ratio", Expression: `double(test_files) / double(code_files) * 20.0`},
		{Name: "Many-Owners", Expression: `size(owners) >= 2`},
	}}
	p := factstest.Good()
	p.Languages = []catalog.Language{{Name: "Go", Bytes: 5000}}
	got := scores(mustNew(t, cfg).Score(NewFacts(p, nil, true, cov(85), now)))
	want := map[string]int{"Uses-Acme-Logging": 10, "Has-Go": 10, "Test-Ratio": 10, "Many-Owners": 0}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
}

func TestCustomCostLimit(t *testing.T) {
	cc, err := compileCustom(config.CustomCheck{Name: "heavy",
		Expression: `dependencies.all(a, dependencies.all(b, dependencies.all(c, a.name + b.name + c.name != "")))`})
	if err != nil {
		t.Fatal(err)
	}
	p := factstest.Good()
	for i := 0; i < 60; i++ {
		p.Dependencies = append(p.Dependencies, catalog.Dependency{Ecosystem: "npm", Name: strings.Repeat("x", i)})
	}
	_, err = cc.eval(NewFacts(p, nil, true, nil, now))
	if !errors.Is(err, ErrCostLimit) {
		t.Fatalf("eval = %v, want ErrCostLimit", err)
	}
	c := cc.run(NewFacts(p, nil, true, nil, now))
	if c.Available() {
		t.Errorf("a check over its cost limit scored %d, want not available", c.Score)
	}
}
