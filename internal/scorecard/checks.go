package scorecard

import (
	"fmt"
	"math"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/scorecard/probes"
)

// runCheck runs the probes of one check and aggregates their findings: the
// weighted mean of the available probes' scores, scaled to 0–10. A check
// whose probes are all not available is not available (Score -1).
func runCheck(name string, f *Facts) catalog.CheckScore {
	c := catalog.CheckScore{Name: name, Documentation: DocURL + "#" + strings.ToLower(name)}
	var sum, w float64
	var failed []string
	for _, p := range probes.All {
		if p.Check != name {
			continue
		}
		r := p.Run(f)
		pf := catalog.ProbeFinding{Probe: p.ID, Outcome: r.Outcome, Score: r.Score, Message: r.Message, Location: r.Location, Line: r.Line}
		if r.Outcome != catalog.OutcomePass && r.Outcome != catalog.OutcomeNotAvailable {
			pf.Remediation = p.Remediation
			failed = append(failed, p.ID)
		}
		c.Findings = append(c.Findings, pf)
		c.Details = append(c.Details, fmt.Sprintf("%s: %s: %s", r.Outcome, p.ID, r.Message))
		if r.Outcome != catalog.OutcomeNotAvailable {
			sum += p.Weight * r.Score
			w += p.Weight
		}
	}
	if name == CheckMaintenance && f.HistoryKnown {
		c.Health = &catalog.CheckHealth{Weeks: f.Maintenance.Weeks, Figures: f.HealthFigures()}
	}
	if w == 0 {
		c.Score = catalog.ScoreNotAvailable
		c.Reason = "not available: " + c.Findings[0].Message
		return c
	}
	c.Score = int(math.Round(10 * sum / w))
	if len(failed) == 0 {
		c.Reason = "all probes pass"
	} else {
		c.Reason = fmt.Sprintf("%d of %d probes not passing: %s", len(failed), len(c.Findings), strings.Join(failed, ", "))
	}
	return c
}
