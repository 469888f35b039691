package inbox

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Catalogue is what the catalogue providers read about a person's
// projects. The hub's estate snapshot implements it (internal/hub/estate).
type Catalogue interface {
	// VulnFindings returns the unsuppressed vulnerability findings of each
	// of the projects (projects without any are absent).
	VulnFindings(ctx context.Context, projectIDs []int64) (map[int64][]catalog.VulnFinding, error)
	// AdvisoryPublished returns when the advisory with id was published
	// (zero when unknown).
	AdvisoryPublished(id string) time.Time
	// LicenseFindings returns the unsuppressed licence findings of each of
	// the projects, with when the project was last scanned.
	LicenseFindings(ctx context.Context, projectIDs []int64) (map[int64]LicenseFacts, error)
	// Scores returns the latest two scorecards of each of the projects,
	// newest first (projects without any are absent).
	Scores(ctx context.Context, projectIDs []int64) (map[int64][]catalog.Scorecard, error)
}

// LicenseFacts are one project's licence findings as of a scan.
type LicenseFacts struct {
	Findings []catalog.LicenseFinding
	// ScannedAt is when the findings were made (the project's last scan).
	ScannedAt time.Time
}

func projectIDs(p Person) ([]int64, map[int64]Project) {
	ids := make([]int64, 0, len(p.Projects))
	by := make(map[int64]Project, len(p.Projects))
	for _, pr := range p.Projects {
		if _, dup := by[pr.ID]; !dup {
			ids = append(ids, pr.ID)
			by[pr.ID] = pr
		}
	}
	return ids, by
}

// Vulnerabilities provides one item per vulnerability (advisory) affecting
// the person's projects: one advisory in five projects is one item listing
// the five. Its fingerprint covers the severity, the fix and every affected
// (project, package, version), so a snoozed item returns when another
// project becomes affected, a version changes or a fix appears; an item no
// project is affected by any more is gone.
type Vulnerabilities struct{ Catalogue Catalogue }

// Name implements Provider.
func (Vulnerabilities) Name() string { return "vulnerabilities" }

// Items implements Provider.
func (v Vulnerabilities) Items(ctx context.Context, p Person) ([]Item, error) {
	ids, by := projectIDs(p)
	if len(ids) == 0 {
		return nil, nil
	}
	fs, err := v.Catalogue.VulnFindings(ctx, ids)
	if err != nil {
		return nil, err
	}
	type agg struct {
		f        catalog.VulnFinding
		projects map[int64]bool
		facts    []string
		upgrade  string
		packages map[string]bool
	}
	aggs := map[string]*agg{}
	var order []string
	for _, id := range ids {
		for _, f := range fs[id] {
			if f.Suppressed {
				continue
			}
			a := aggs[f.AdvisoryID]
			if a == nil {
				a = &agg{f: f, projects: map[int64]bool{}, packages: map[string]bool{}}
				aggs[f.AdvisoryID] = a
				order = append(order, f.AdvisoryID)
			}
			a.projects[id] = true
			a.packages[f.Package] = true
			a.facts = append(a.facts, fmt.Sprintf("%d|%s|%s|%s|%s", id, f.Package, f.Version, f.Manifest, f.FixedIn))
			if s := UpgradeSize(f.Version, f.FixedIn); sizeRank(s) > sizeRank(a.upgrade) {
				a.upgrade = s
			}
			if a.f.FixedIn == "" {
				a.f.FixedIn = f.FixedIn
			}
		}
	}
	out := make([]Item, 0, len(order))
	for _, adv := range order {
		a := aggs[adv]
		slices.Sort(a.facts)
		var ps []Project
		for id := range a.projects {
			ps = append(ps, by[id])
		}
		SortProjects(ps)
		pkgs := make([]string, 0, len(a.packages))
		for n := range a.packages {
			pkgs = append(pkgs, n)
		}
		slices.Sort(pkgs)
		title := adv + " in " + strings.Join(pkgs, ", ")
		if a.f.Summary != "" {
			title += ": " + a.f.Summary
		}
		detail := "no fixed version known"
		if a.f.FixedIn != "" {
			detail = "fixed in " + a.f.FixedIn
			if a.upgrade != "" {
				detail += " (" + a.upgrade + " upgrade)"
			}
		}
		out = append(out, Item{
			Key:         KindVulnerability + ":" + adv,
			Fingerprint: Fingerprint(append([]string{a.f.Severity.Rating, a.f.FixedIn}, a.facts...)...),
			Kind:        KindVulnerability, Title: title, Detail: detail,
			Severity: Severity(a.f.Severity.Rating), Since: v.Catalogue.AdvisoryPublished(adv),
			Projects: ps, URL: "/projects/" + strconv.FormatInt(ps[0].ID, 10) + "#vulnerabilities",
			FixedIn: a.f.FixedIn, Upgrade: a.upgrade,
		})
	}
	return out, nil
}

// Upgrade sizes.
const (
	UpgradePatch = "patch"
	UpgradeMinor = "minor"
	UpgradeMajor = "major"
)

func sizeRank(s string) int {
	return map[string]int{UpgradePatch: 1, UpgradeMinor: 2, UpgradeMajor: 3}[s]
}

// UpgradeSize says how big the upgrade from one version to another is, by
// the first of their leading numeric components that differs (a "v"
// prefix is ignored, missing components are 0): major, minor or patch.
// It returns "" when either version does not start with a number or to
// is not above from.
func UpgradeSize(from, to string) string {
	a, okA := numericParts(from)
	b, okB := numericParts(to)
	if !okA || !okB {
		return ""
	}
	for i, name := range []string{UpgradeMajor, UpgradeMinor, UpgradePatch} {
		switch {
		case b[i] > a[i]:
			return name
		case b[i] < a[i]:
			return ""
		}
	}
	// Same major.minor.patch: a pre-release or build to the release.
	if to != from {
		return UpgradePatch
	}
	return ""
}

// numericParts reads up to three leading dot-separated numbers of v.
func numericParts(v string) ([3]int, bool) {
	var out [3]int
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	for i := range 3 {
		j := 0
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j == 0 {
			return out, i > 0
		}
		n, err := strconv.Atoi(v[:j])
		if err != nil {
			return out, false
		}
		out[i] = n
		v = v[j:]
		if strings.HasPrefix(v, ":") { // an epoch (Debian, RPM): not compared here
			return out, false
		}
		if !strings.HasPrefix(v, ".") {
			return out, true
		}
		v = v[1:]
	}
	return out, true
}

// Licenses provides one item per licence problem across the person's
// projects: the same rule firing on the same dependency (or the same
// project licence) in several projects is one item listing them.
// Only unsuppressed violations make items (high); warnings and info
// findings are for the project's page.
type Licenses struct{ Catalogue Catalogue }

// Name implements Provider.
func (Licenses) Name() string { return "licences" }

// Items implements Provider.
func (l Licenses) Items(ctx context.Context, p Person) ([]Item, error) {
	ids, by := projectIDs(p)
	if len(ids) == 0 {
		return nil, nil
	}
	facts, err := l.Catalogue.LicenseFindings(ctx, ids)
	if err != nil {
		return nil, err
	}
	type agg struct {
		f        catalog.LicenseFinding
		projects []Project
		facts    []string
		since    time.Time
	}
	aggs := map[string]*agg{}
	var order []string
	for _, id := range ids {
		lf := facts[id]
		for _, f := range lf.Findings {
			if f.SuppressedBy != "" || f.Severity != catalog.SeverityViolation {
				continue
			}
			subject := stripVersion(f.PURL)
			if subject == "" {
				subject = "project:" + strconv.FormatInt(id, 10) // a project's own licence is its own item
			}
			key := KindLicense + ":" + f.Rule + ":" + subject
			a := aggs[key]
			if a == nil {
				a = &agg{f: f}
				aggs[key] = a
				order = append(order, key)
			}
			if !slices.ContainsFunc(a.projects, func(x Project) bool { return x.ID == id }) {
				a.projects = append(a.projects, by[id])
			}
			a.facts = append(a.facts, fmt.Sprintf("%d|%s|%s|%s", id, f.PURL, f.Manifest, f.License))
			if !lf.ScannedAt.IsZero() && (a.since.IsZero() || lf.ScannedAt.Before(a.since)) {
				a.since = lf.ScannedAt
			}
		}
	}
	out := make([]Item, 0, len(order))
	for _, key := range order {
		a := aggs[key]
		slices.Sort(a.facts)
		SortProjects(a.projects)
		sev := "high"
		what := "the project's licence"
		if a.f.PURL != "" {
			what = stripVersion(a.f.PURL)
		}
		title := fmt.Sprintf("Licence %s: %s (%s)", a.f.Severity, what, a.f.License)
		out = append(out, Item{
			Key: key, Fingerprint: Fingerprint(a.facts...), Kind: KindLicense,
			Title: title, Detail: firstNonEmpty(a.f.Remediation, a.f.Message), Severity: sev, Since: a.since,
			Projects: a.projects, URL: "/projects/" + strconv.FormatInt(a.projects[0].ID, 10) + "#licence",
		})
	}
	return out, nil
}

// stripVersion returns a package URL without its version, qualifiers and
// subpath.
func stripVersion(purl string) string {
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		purl = purl[:i]
	}
	slash := strings.LastIndex(purl, "/")
	if at := strings.LastIndex(purl, "@"); at > slash {
		purl = purl[:at]
	}
	return purl
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// DefaultMinDrop is the smallest fall of a project's score between its two
// latest scorecards that makes an item.
const DefaultMinDrop = 0.5

// Scorecards provides one item per project of the person's whose latest
// score fell by at least MinDrop (DefaultMinDrop when 0) from the one
// before. A drop of 3 or more is high, of 1 or more medium, else low. The
// fingerprint is the two commits scored, so a later scan that drops again
// brings a dismissed item back.
type Scorecards struct {
	Catalogue Catalogue
	MinDrop   float64
}

// Name implements Provider.
func (Scorecards) Name() string { return "scorecards" }

// Items implements Provider.
func (s Scorecards) Items(ctx context.Context, p Person) ([]Item, error) {
	ids, by := projectIDs(p)
	if len(ids) == 0 {
		return nil, nil
	}
	min := s.MinDrop
	if min <= 0 {
		min = DefaultMinDrop
	}
	scores, err := s.Catalogue.Scores(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, id := range ids {
		sc := scores[id]
		if len(sc) < 2 || sc[0].Score < 0 || sc[1].Score < 0 {
			continue
		}
		drop := sc[1].Score - sc[0].Score
		if drop < min-1e-9 {
			continue
		}
		sev := "low"
		switch {
		case drop >= 3:
			sev = "high"
		case drop >= 1:
			sev = "medium"
		}
		pr := by[id]
		var fell []string
		prev := map[string]int{}
		for _, c := range sc[1].Checks {
			prev[c.Name] = c.Score
		}
		for _, c := range sc[0].Checks {
			if was, ok := prev[c.Name]; ok && c.Score >= 0 && was >= 0 && c.Score < was {
				fell = append(fell, fmt.Sprintf("%s %d→%d", c.Name, was, c.Score))
			}
		}
		detail := "raise it with `ospo fix " + firstNonEmpty(pr.Key, pr.Name) + "`"
		if len(fell) > 0 {
			detail = strings.Join(fell, ", ") + "; " + detail
		}
		out = append(out, Item{
			Key:         KindScorecard + ":" + firstNonEmpty(pr.Key, strconv.FormatInt(id, 10)),
			Fingerprint: Fingerprint(sc[1].Commit, sc[0].Commit, strconv.FormatFloat(sc[0].Score, 'f', 2, 64)),
			Kind:        KindScorecard,
			Title:       fmt.Sprintf("Score of %s fell from %.1f to %.1f", pr.Name, sc[1].Score, sc[0].Score),
			Detail:      detail, Severity: sev, Since: sc[0].ScoredAt,
			Projects: []Project{pr}, URL: "/projects/" + strconv.FormatInt(id, 10) + "#score",
		})
	}
	return out, nil
}
