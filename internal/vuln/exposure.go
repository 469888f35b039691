package vuln

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Exposure is one project's findings across the estate, as 'ospo vulns
// --all' and the hub rank them.
type Exposure struct {
	ProjectID int64  `json:"project_id"`
	Project   string `json:"project"`
	Key       string `json:"key"`
	// Counts are the unsuppressed findings by lowercase rating (critical,
	// high, medium, low, unknown).
	Counts     map[string]int `json:"counts"`
	Total      int            `json:"total"`
	Suppressed int            `json:"suppressed"`
	// Score weighs findings: critical 1000, high 100, medium 10, low 1.
	Score    int                   `json:"score"`
	Findings []catalog.VulnFinding `json:"findings,omitempty"`
}

// Packages returns the packages advs affect, each once, in order of first
// appearance: what to ask the store's Usages for.
func Packages(advs []catalog.Advisory) []catalog.PackageRef {
	seen := map[catalog.PackageRef]bool{}
	var pkgs []catalog.PackageRef
	for _, adv := range advs {
		for _, p := range adv.Packages {
			if !seen[p] {
				seen[p] = true
				pkgs = append(pkgs, p)
			}
		}
	}
	return pkgs
}

// MatchUsages matches advs against uses (the store's Usages, grouped by
// project as it orders them) and returns one Exposure per project with
// findings, with ignores applied at now. Counts are left to Tally.
func MatchUsages(advs []catalog.Advisory, uses []catalog.Usage, ignores []Ignore, now time.Time) []Exposure {
	ix := NewIndex(advs)
	var out []Exposure
	for i := 0; i < len(uses); {
		j := i
		var deps []catalog.Dependency
		for ; j < len(uses) && uses[j].ProjectID == uses[i].ProjectID; j++ {
			deps = append(deps, uses[j].Dependency)
		}
		fs := ix.Match(deps)
		if len(fs) > 0 {
			Suppress(fs, ForProject(ignores, uses[i].ProjectKey), now)
			out = append(out, Exposure{ProjectID: uses[i].ProjectID, Project: uses[i].Project, Key: uses[i].ProjectKey, Findings: fs})
		}
		i = j
	}
	return out
}

// RatingName returns the lowercase name a rating is counted under:
// critical, high, medium, low or unknown (NONE and missing ratings).
func RatingName(rating string) string {
	return [...]string{"unknown", "low", "medium", "high", "critical"}[catalog.SeverityRank(rating)]
}

// Tally keeps the findings of e that are severity or worse ("" keeps all)
// and counts them into Counts, Total, Suppressed and Score. It reports
// whether any finding is kept.
func (e *Exposure) Tally(severity string) bool {
	var kept []catalog.VulnFinding
	for _, f := range e.Findings {
		if AtLeast(&f, severity) {
			kept = append(kept, f)
		}
	}
	e.Findings = kept
	e.Counts = map[string]int{}
	e.Total, e.Suppressed, e.Score = 0, 0, 0
	for _, f := range kept {
		if f.Suppressed {
			e.Suppressed++
			continue
		}
		e.Total++
		e.Counts[RatingName(f.Severity.Rating)]++
		e.Score += []int{0, 1, 10, 100, 1000}[catalog.SeverityRank(f.Severity.Rating)]
	}
	return len(kept) > 0
}

// Rank orders exposures worst first: by score, then number of findings,
// then project name.
func Rank(es []Exposure) {
	slices.SortStableFunc(es, func(a, b Exposure) int {
		return cmp.Or(b.Score-a.Score, b.Total-a.Total, strings.Compare(a.Project, b.Project))
	})
}

// Upgrade is the advice for one vulnerable dependency: the version to move
// to so that every unsuppressed finding with a known fix goes away.
type Upgrade struct {
	Ecosystem string `json:"ecosystem"`
	Package   string `json:"package"`
	Version   string `json:"version"`
	PURL      string `json:"purl,omitempty"`
	Manifest  string `json:"manifest,omitempty"`
	Direct    bool   `json:"direct"`
	// Via is, for a transitive dependency, the direct dependency to upgrade
	// (or override) to get the fix.
	Via string `json:"via,omitempty"`
	// To is the largest of the findings' fixed-in versions; empty when no
	// finding has a fix.
	To string `json:"to,omitempty"`
	// Fixes counts the findings the upgrade removes; Unfixed those without
	// a known fix.
	Fixes   int `json:"fixes"`
	Unfixed int `json:"unfixed"`
	// Worst is the worst rating among the findings.
	Worst string `json:"worst,omitempty"`
}

// Upgrades groups the unsuppressed findings by dependency (package,
// version, manifest) and gives each the upgrade that removes them, in the
// order of the findings (worst first).
func Upgrades(fs []catalog.VulnFinding) []Upgrade {
	var out []Upgrade
	at := map[string]int{}
	for _, f := range fs {
		if f.Suppressed {
			continue
		}
		k := f.Ecosystem + "\x00" + f.Package + "\x00" + f.Version + "\x00" + f.Manifest
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, Upgrade{Ecosystem: f.Ecosystem, Package: f.Package, Version: f.Version, PURL: f.PURL,
				Manifest: f.Manifest, Direct: f.Direct, Via: f.Via, Worst: f.Severity.Rating})
		}
		u := &out[i]
		if catalog.SeverityRank(f.Severity.Rating) > catalog.SeverityRank(u.Worst) {
			u.Worst = f.Severity.Rating
		}
		if f.FixedIn == "" {
			u.Unfixed++
			continue
		}
		u.Fixes++
		u.To = largest(Ecosystem(f.Ecosystem), u.To, f.FixedIn)
	}
	return out
}

// largest returns the higher of two versions in eco's ordering; a version
// that does not parse loses, and a is kept when they cannot be compared.
func largest(eco, a, b string) string {
	if a == "" {
		return b
	}
	va, err := parseVersion(eco, a)
	if err != nil {
		return b
	}
	vb, err := parseVersion(eco, b)
	if err != nil {
		return a
	}
	if c, err := vb.Compare(va); err == nil && c > 0 {
		return b
	}
	return a
}
