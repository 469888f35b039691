package catalog

import "time"

// Scorecard is one project's score: a 0–10 score per check, built from probe
// findings, and their weighted mean over the checks that were available.
type Scorecard struct {
	ProjectID int64  `json:"project_id,omitempty"`
	Project   string `json:"project"`
	Key       string `json:"key,omitempty"`
	Commit    string `json:"commit,omitempty"`
	// ScoredAt is when the score was computed (for a scan, the scan time).
	ScoredAt time.Time `json:"scored_at"`
	// Score is the weighted mean of the available checks' scores, 0–10, or
	// ScoreNotAvailable when no check was available.
	Score float64 `json:"score"`
	// Availability is the share (0–1) of the applicable checks' weight that
	// was available: 1 means every applicable check could be scored.
	Availability float64      `json:"availability"`
	Checks       []CheckScore `json:"checks"`
}

// ScoreNotAvailable is the score of a check (or aggregate) that could not be
// computed. It is kept apart from 0, which means "computed, and bad".
const ScoreNotAvailable = -1

// CheckScore is one check of a Scorecard.
type CheckScore struct {
	// Name is the check's name, e.g. "Security" or a custom check's name.
	Name string `json:"name"`
	// Score is 0–10, or ScoreNotAvailable.
	Score int `json:"score"`
	// Reason is one line saying why the score is what it is.
	Reason string `json:"reason"`
	// Details are the probe findings, one line each.
	Details []string `json:"details,omitempty"`
	// Documentation is where the check's rule and rationale are written.
	Documentation string `json:"documentation,omitempty"`
	// Weight is the check's weight in the aggregate.
	Weight float64 `json:"weight"`
	// Exemption is set when ospo.yaml exempts the project from the check.
	// An exemption in force removes the check from the aggregate; an
	// expired one is shown (Expired) and no longer applies.
	Exemption *ScoreExemption `json:"exemption,omitempty"`
	// Findings are the probes' outcomes.
	Findings []ProbeFinding `json:"findings,omitempty"`
	// Health, on the Maintenance check, is the project's community health
	// over the check's window: the CHAOSS figures its probes read.
	Health *CheckHealth `json:"health,omitempty"`
}

// CheckHealth is the community health a check read: the window and the
// figures.
type CheckHealth struct {
	// Weeks is the window's length, ending with the week scored in.
	Weeks   int            `json:"weeks"`
	Figures []HealthFigure `json:"figures"`
}

// HealthFigure is one CHAOSS metric's value (internal/health computes it).
type HealthFigure struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// URL is the metric's page in the CHAOSS knowledge base.
	URL   string  `json:"url"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	// Available is false when the inputs did not allow it (no commit in
	// the window); Value is then 0.
	Available bool `json:"available"`
}

// Available reports whether the check could be scored.
func (c *CheckScore) Available() bool { return c.Score >= 0 }

// ScoreExemption is an accepted reason not to score a check.
type ScoreExemption struct {
	Reason     string    `json:"reason"`
	ApprovedBy string    `json:"approved_by"`
	Expires    time.Time `json:"expires,omitzero"`
	Expired    bool      `json:"expired,omitempty"`
}

// Probe outcomes.
const (
	OutcomePass         = "pass"
	OutcomeFail         = "fail"
	OutcomePartial      = "partial"
	OutcomeNotAvailable = "not-available"
)

// ProbeFinding is what one probe concluded about one project.
type ProbeFinding struct {
	// Probe is the probe's id, e.g. "hasSecurityPolicy".
	Probe string `json:"probe"`
	// Outcome is one of the Outcome constants.
	Outcome string `json:"outcome"`
	// Score is the probe's share of its check, 0–1 (meaningless when not available).
	Score   float64 `json:"score"`
	Message string  `json:"message"`
	// Remediation says what to do when the outcome is not a pass.
	Remediation string `json:"remediation,omitempty"`
	// Location is a file the finding is about, when there is one.
	Location string `json:"location,omitempty"`
	// Line is the line of Location the finding is about; 0 when unknown.
	Line int `json:"line,omitempty"`
}
