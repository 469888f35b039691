package scorecard

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/scorecard/facts"
)

// Scorer scores projects under one configuration. Build it with New; it is
// safe for concurrent use.
type Scorer struct {
	cfg         config.Scorecard
	custom      []*customCheck
	maintenance facts.Maintenance
}

// New compiles the configuration's custom checks. A check that does not
// compile, or names an unknown check in an exemption, is an error.
// affiliations (health.affiliations of ospo.yaml) map e-mails and domains
// to organisations for the Maintenance check's elephant factor; nil counts
// each domain as its own organisation.
func New(cfg config.Scorecard, affiliations map[string]string) (*Scorer, error) {
	s := &Scorer{cfg: cfg, maintenance: facts.Rules(cfg.Maintenance, affiliations)}
	known := map[string]bool{}
	for _, c := range Checks {
		known[c] = true
	}
	for name := range cfg.Checks {
		if !known[name] {
			return nil, fmt.Errorf("scorecard.checks: unknown check %q (want one of %s)", name, strings.Join(Checks, ", "))
		}
	}
	for i, c := range cfg.Custom {
		cc, err := compileCustom(c)
		if err != nil {
			return nil, fmt.Errorf("scorecard.custom[%d] %s: %w", i, c.Name, err)
		}
		if known[c.Name] {
			return nil, fmt.Errorf("scorecard.custom[%d]: %q is a built-in check", i, c.Name)
		}
		known[c.Name] = true
		s.custom = append(s.custom, cc)
	}
	for i, e := range cfg.Exemptions {
		if !known[e.Check] {
			return nil, fmt.Errorf("scorecard.exemptions[%d]: unknown check %q", i, e.Check)
		}
	}
	return s, nil
}

// Score rates the project f describes at f.Now. It first sets f's
// Maintenance rules to the scorer's (f.SetMaintenance).
func (s *Scorer) Score(f *Facts) catalog.Scorecard {
	f.SetMaintenance(s.maintenance)
	p := f.Project
	sc := catalog.Scorecard{ProjectID: p.ID, Project: p.Name, Key: p.Key, Commit: p.HeadCommit, ScoredAt: f.Now}
	for _, name := range Checks {
		tune := s.cfg.Checks[name]
		if !applies(tune, p) {
			continue
		}
		c := runCheck(name, f)
		c.Weight = weight(tune)
		sc.Checks = append(sc.Checks, c)
	}
	for _, cc := range s.custom {
		if !applies(cc.def.ScoreCheck, p) {
			continue
		}
		c := cc.run(f)
		c.Weight = weight(cc.def.ScoreCheck)
		sc.Checks = append(sc.Checks, c)
	}
	for i := range sc.Checks {
		s.exempt(&sc.Checks[i], p, f.Now)
	}
	aggregate(&sc)
	return sc
}

// aggregate sets the weighted mean over available, non-exempt checks and the
// share of weight that was available.
func aggregate(sc *catalog.Scorecard) {
	var sum, avail, total float64
	for _, c := range sc.Checks {
		if c.Weight <= 0 || (c.Exemption != nil && !c.Exemption.Expired) {
			continue
		}
		total += c.Weight
		if c.Available() {
			avail += c.Weight
			sum += c.Weight * float64(c.Score)
		}
	}
	sc.Score = catalog.ScoreNotAvailable
	if avail > 0 {
		sc.Score = math.Round(sum/avail*10) / 10
	}
	if total > 0 {
		sc.Availability = math.Round(avail/total*100) / 100
	}
}

func weight(t config.ScoreCheck) float64 {
	if t.Weight == nil {
		return 1
	}
	return *t.Weight
}

// applies reports whether a check tuned by t applies to p.
func applies(t config.ScoreCheck, p *catalog.Project) bool {
	if len(t.Kinds) > 0 && !slices.Contains(t.Kinds, p.Kind) {
		return false
	}
	if len(t.Lifecycles) > 0 && !slices.Contains(t.Lifecycles, p.Lifecycle) {
		return false
	}
	return true
}

// exempt records the first exemption of c for p; an expired one is kept,
// marked Expired, so it is seen.
func (s *Scorer) exempt(c *catalog.CheckScore, p *catalog.Project, now time.Time) {
	for _, e := range s.cfg.Exemptions {
		if e.Check != c.Name || !matchProject(e.Projects, p) {
			continue
		}
		x := &catalog.ScoreExemption{Reason: e.Reason, ApprovedBy: e.ApprovedBy, Expires: e.Expires.Time}
		x.Expired = !e.Expires.IsZero() && !now.Before(e.Expires.Time)
		c.Exemption = x
		if !x.Expired {
			return
		}
	}
}

func matchProject(pats []string, p *catalog.Project) bool {
	if len(pats) == 0 {
		return true
	}
	for _, pat := range pats {
		for _, v := range []string{p.Name, p.Key} {
			if ok, _ := path.Match(pat, v); ok || pat == v {
				return true
			}
		}
	}
	return false
}
