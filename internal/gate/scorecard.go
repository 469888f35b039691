package gate

import (
	"fmt"
	"slices"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/report"
	"github.com/ospo-project/ospo/internal/scorecard"
)

// Minimums are the scorecard thresholds of `ospo check`: the aggregate
// (0 for none) and per check (NAME -> N).
type Minimums struct {
	Score  float64
	Checks map[string]int
}

// Scorecard is the scorecard gate: it fails when the aggregate of card is
// below min.Score or a check is below its minimum. A check that is not
// available, or exempt, does not fail a minimum. detail is the gate's JSON
// detail (the scorecard in its JSON shape). A minimum naming no check is an
// error wrapping catalog.ErrInvalid.
func Scorecard(card catalog.Scorecard, min Minimums, detail any) (Result, error) {
	names := map[string]bool{}
	for _, c := range card.Checks {
		names[c.Name] = true
	}
	for n := range min.Checks {
		if !names[n] && !slices.Contains(scorecard.Checks, n) {
			return Result{}, catalog.Mark(fmt.Errorf("--min-check: unknown check %q", n), catalog.ErrInvalid)
		}
	}
	g := Result{Name: "scorecard", Detail: detail}
	rule := func(id, short string) {
		g.Rules = append(g.Rules, report.Rule{ID: id, Name: "ScoreBelowMinimum", Short: short, Level: report.LevelError,
			HelpURI: scorecard.DocURL, Help: "Run `ospo score` to see which probes fail and how to fix them."})
	}
	if m := min.Score; m > 0 {
		tc := report.TestCase{Class: "scorecard", Name: fmt.Sprintf("aggregate %s >= %g", report.ScoreText(card.Score), m)}
		if card.Score < m {
			g.Violations++
			msg := fmt.Sprintf("scorecard %s is below the minimum %g", report.ScoreText(card.Score), m)
			rule("score/min-score", "The scorecard aggregate is below the minimum")
			g.Findings = append(g.Findings, report.Finding{RuleID: "score/min-score", Level: report.LevelError, Message: msg})
			tc.Failure, tc.FailureType = msg, "score/min-score"
		}
		g.Cases = append(g.Cases, tc)
	}
	for _, c := range card.Checks {
		m, ok := min.Checks[c.Name]
		if !ok || m <= 0 {
			continue
		}
		tc := report.TestCase{Class: "scorecard." + c.Name, Name: fmt.Sprintf("%s %d >= %d", c.Name, c.Score, m)}
		exempt := c.Exemption != nil && !c.Exemption.Expired
		if c.Available() && !exempt && c.Score < m {
			g.Violations++
			id := "score/min-check/" + c.Name
			msg := fmt.Sprintf("%s scores %d, below the minimum %d: %s", c.Name, c.Score, m, c.Reason)
			rule(id, "The "+c.Name+" check is below its minimum")
			g.Findings = append(g.Findings, report.Finding{RuleID: id, Level: report.LevelError, Message: msg})
			tc.Failure, tc.FailureType = msg, id
		}
		g.Cases = append(g.Cases, tc)
	}
	g.Summary = fmt.Sprintf("scorecard: %s / 10 (%.0f%% available), %d below minimum", report.ScoreText(card.Score), 100*card.Availability, g.Violations)
	return g, nil
}

// Probes are the scorecard's probes that do not pass (outside exempt
// checks), as warnings with their remediation: what `ospo score --format
// sarif` reports. Nothing fails.
func Probes(c catalog.Scorecard) Result {
	g := Result{Name: "probes"}
	seen := map[string]bool{}
	for _, ch := range c.Checks {
		if ch.Exemption != nil && !ch.Exemption.Expired {
			continue
		}
		for _, f := range ch.Findings {
			if f.Outcome == catalog.OutcomePass || f.Outcome == catalog.OutcomeNotAvailable {
				continue
			}
			id := "score/" + ch.Name + "/" + f.Probe
			if !seen[id] {
				seen[id] = true
				g.Rules = append(g.Rules, report.Rule{ID: id, Name: f.Probe, Short: ch.Name + ": " + f.Probe, Help: f.Remediation,
					HelpURI: ch.Documentation, Level: report.LevelWarning})
			}
			g.Findings = append(g.Findings, report.Finding{RuleID: id, Level: report.LevelWarning, Message: f.Message + ". " + f.Remediation, File: f.Location, Line: f.Line})
		}
	}
	return g
}
