package scorecard

import (
	"cmp"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// scorecardJSON is OpenSSF Scorecard's result shape, with our additions
// (availability, weight, exemption, findings, health) as extra fields its
// consumers ignore.
type scorecardJSON struct {
	Date string `json:"date"`
	Repo struct {
		Name   string `json:"name"`
		Commit string `json:"commit"`
	} `json:"repo"`
	Scorecard struct {
		Version string `json:"version"`
		Commit  string `json:"commit"`
	} `json:"scorecard"`
	Score        float64      `json:"score"`
	Availability float64      `json:"availability"`
	Checks       []checkJSON  `json:"checks"`
	History      []historyRow `json:"history,omitempty"`
}

type checkJSON struct {
	Name          string   `json:"name"`
	Score         int      `json:"score"`
	Reason        string   `json:"reason"`
	Details       []string `json:"details"`
	Documentation struct {
		Short string `json:"short"`
		URL   string `json:"url"`
	} `json:"documentation"`
	Weight    float64                 `json:"weight"`
	Exemption *catalog.ScoreExemption `json:"exemption,omitempty"`
	Findings  []catalog.ProbeFinding  `json:"findings,omitempty"`
	Health    *catalog.CheckHealth    `json:"health,omitempty"`
}

type historyRow struct {
	Date   time.Time `json:"date"`
	Score  float64   `json:"score"`
	Commit string    `json:"commit,omitempty"`
}

var checkShort = map[string]string{
	CheckDocumentation: "README with install and usage, contributing guide, code of conduct, changelog, docs",
	CheckLicensing:     "a recognised, OSI-approved licence consistent with package metadata; dependencies within policy",
	CheckSecurity:      "security policy, known vulnerabilities, dependency updates, pinned actions, no secrets or binaries",
	CheckTests:         "tests relative to code, CI running them, coverage",
	CheckObservability: "logging, metrics and tracing libraries",
	CheckMaintenance:   "CHAOSS health over a window: commit frequency, contributors, absence and elephant factors, inactive contributors; truck factor, staleness",
	CheckOwnership:     "owners, contribution guide, description and topics",
}

// JSON returns c, and the history hist (newest first), in OpenSSF
// Scorecard's JSON shape, written by ospo at toolVersion.
func JSON(c catalog.Scorecard, hist []catalog.Scorecard, toolVersion string) any {
	var out scorecardJSON
	out.Date = c.ScoredAt.Format(time.RFC3339)
	out.Repo.Name, out.Repo.Commit = cmp.Or(c.Key, c.Project), c.Commit
	out.Scorecard.Version, out.Scorecard.Commit = "ospo "+toolVersion, ""
	out.Score, out.Availability = c.Score, c.Availability
	out.Checks = []checkJSON{}
	for _, ch := range c.Checks {
		j := checkJSON{Name: ch.Name, Score: ch.Score, Reason: ch.Reason, Details: details(ch.Details), Weight: ch.Weight, Exemption: ch.Exemption, Findings: ch.Findings, Health: ch.Health}
		j.Documentation.Short = cmp.Or(checkShort[ch.Name], "custom check")
		j.Documentation.URL = ch.Documentation
		out.Checks = append(out.Checks, j)
	}
	for _, h := range hist {
		out.History = append(out.History, historyRow{Date: h.ScoredAt, Score: h.Score, Commit: h.Commit})
	}
	return out
}

func details(d []string) []string {
	if d == nil {
		return []string{}
	}
	return d
}
