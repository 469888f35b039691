package config

// Scorecard tunes project scorecards (see docs/scorecards.md): the weight
// of each check, where it applies, the minimum scores `ospo check` asks for,
// exemptions and custom checks written in CEL.
type Scorecard struct {
	// Checks tunes built-in checks by name (Documentation, Licensing,
	// Security, Tests, Observability, Maintenance, Ownership).
	Checks map[string]ScoreCheck `yaml:"checks" json:"checks,omitempty"`
	// MinScore is the aggregate `ospo check --min-score` defaults to; 0 means none.
	MinScore float64 `yaml:"min_score" json:"min_score,omitempty"`
	// Exemptions exempt projects from checks until they expire.
	Exemptions []ScoreExemption `yaml:"exemptions" json:"exemptions,omitempty"`
	// Custom are checks of the organisation's own, written in CEL.
	Custom []CustomCheck `yaml:"custom" json:"custom,omitempty"`
	// Maintenance tunes the rules of the Maintenance check's activity
	// probes, which read the project's community health (internal/health).
	Maintenance Maintenance `yaml:"maintenance" json:"maintenance,omitzero"`
}

// Maintenance tunes the Maintenance check's activity probes: the window
// the CHAOSS metrics are computed over and the value of each metric that
// earns full marks. Zero fields keep the defaults (docs/scorecards.md).
// Organisations for the elephant factor come from health.affiliations.
type Maintenance struct {
	// Weeks is the window in weeks, ending with the current week; 0 means
	// 13 (about 90 days).
	Weeks int `yaml:"weeks" json:"weeks,omitempty"`
	// InactiveWeeks is how long without a commit makes a contributor
	// inactive; 0 means 13.
	InactiveWeeks int `yaml:"inactive_weeks" json:"inactive_weeks,omitempty"`
	// CommitsPerWeek is the commit frequency (recentCommits) of full
	// marks; 0 means 1.
	CommitsPerWeek float64 `yaml:"commits_per_week" json:"commits_per_week,omitempty"`
	// Contributors is the number of people committing in the window
	// (activeContributors) of full marks; 0 means 3.
	Contributors int `yaml:"contributors" json:"contributors,omitempty"`
	// AbsenceFactor is the contributor absence factor (busFactor) of full
	// marks; 0 means 2.
	AbsenceFactor int `yaml:"absence_factor" json:"absence_factor,omitempty"`
	// ElephantFactor is the elephant factor (elephantFactor) of full
	// marks; 0 means 2.
	ElephantFactor int `yaml:"elephant_factor" json:"elephant_factor,omitempty"`
	// ElephantKinds are the project kinds the elephant factor is scored
	// for (for the others the probe is not applicable); empty means
	// [opensource]: an internal project's people are all of one firm.
	ElephantKinds []string `yaml:"elephant_kinds" json:"elephant_kinds,omitempty"`
	// MaxInactiveShare is the share of the window's contributors (active
	// ones and those who went inactive in it) going inactive that scores
	// 0 for inactiveContributors, from 0 (none going inactive) scoring 1;
	// 0 means 1 (the score is the share still active).
	MaxInactiveShare float64 `yaml:"max_inactive_share" json:"max_inactive_share,omitempty"`
}

// ScoreCheck tunes one check.
type ScoreCheck struct {
	// Weight is the check's weight in the aggregate; nil keeps the default
	// (1), 0 turns the check off.
	Weight *float64 `yaml:"weight" json:"weight,omitempty"`
	// Kinds and Lifecycles restrict the check to projects of these kinds
	// (internal, innersource, opensource) and lifecycles (production,
	// experimental …); empty means every project.
	Kinds      []string `yaml:"kinds" json:"kinds,omitempty"`
	Lifecycles []string `yaml:"lifecycles" json:"lifecycles,omitempty"`
	// Min is the minimum score `ospo check` asks of the check; 0 means none.
	Min int `yaml:"min" json:"min,omitempty"`
}

// ScoreExemption exempts projects from one check.
type ScoreExemption struct {
	// Check names the check.
	Check string `yaml:"check" json:"check"`
	// Projects are project names or keys, or path.Match patterns of them;
	// empty means every project.
	Projects   []string `yaml:"projects" json:"projects,omitempty"`
	Reason     string   `yaml:"reason" json:"reason"`
	ApprovedBy string   `yaml:"approved_by" json:"approved_by"`
	// Expires is the date from which the exemption no longer applies.
	Expires Date `yaml:"expires" json:"expires,omitzero"`
}

// CustomCheck is a check written as a CEL expression over a project's facts.
// The expression returns a bool (pass or fail: 10 or 0) or a number (the
// score, clamped to 0–10).
type CustomCheck struct {
	Name       string `yaml:"name" json:"name"`
	Expression string `yaml:"expression" json:"expression"`
	// Description is the rule in words; Remediation says how to pass.
	Description string `yaml:"description" json:"description,omitempty"`
	Remediation string `yaml:"remediation" json:"remediation,omitempty"`
	ScoreCheck  `yaml:",inline" json:",inline"`
}
