package estate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/vuln"
)

// Licences and vulnerabilities: the estate's, a project's and a package's.

// SetVulnIgnores sets the ignore rules (vulns.ignore of ospo.yaml) that mark
// findings as suppressed. Call it before serving.
func (c *Catalog) SetVulnIgnores(ignores []vuln.Ignore) { c.ignores = ignores }

// SetLicenseClassifier sets how licences are put in categories (the
// licensing.categories overrides of ospo.yaml) for the projects' own
// licences. Call it before serving.
func (c *Catalog) SetLicenseClassifier(cl license.Classifier) { c.classifier = cl }

// SeverityCounts counts vulnerability findings by rating; suppressed
// findings are counted apart, not by rating.
type SeverityCounts struct {
	Critical   int `json:"critical"`
	High       int `json:"high"`
	Medium     int `json:"medium"`
	Low        int `json:"low"`
	Unknown    int `json:"unknown"`
	Suppressed int `json:"suppressed"`
	// Projects is the number of projects with an unsuppressed finding (on
	// a project's own view: 1 or 0).
	Projects int `json:"projects"`
}

// Total is the number of unsuppressed findings.
func (s SeverityCounts) Total() int { return s.Critical + s.High + s.Medium + s.Low + s.Unknown }

func (s *SeverityCounts) add(fs []catalog.VulnFinding) {
	open := false
	for _, f := range fs {
		if f.Suppressed {
			s.Suppressed++
			continue
		}
		open = true
		switch vuln.RatingName(f.Severity.Rating) {
		case "critical":
			s.Critical++
		case "high":
			s.High++
		case "medium":
			s.Medium++
		case "low":
			s.Low++
		default:
			s.Unknown++
		}
	}
	if open {
		s.Projects++
	}
}

// estateRisk reads what the estate snapshot holds about licences and
// vulnerabilities: the licence summary, and every project's findings
// against the stored advisories.
func (c *Catalog) estateRisk(ctx context.Context, e *Snapshot) error {
	// The licence summary from each project's counts (kept between
	// updates): the store's LicenseSummary, without reading every
	// dependency's licence again.
	// Kept from the previous snapshot when no project changed since.
	if e.licenses == nil {
		e.licenses = store.SumLicenses(e.licCounts, func(id int64) store.ProjectName {
			n := store.ProjectName{Key: e.stamps[id].key}
			if p := e.byID[id]; p != nil {
				n.Name = p.Name
			}
			return n
		})
	}
	e.LicenseCategories = nonNil(e.licenses.Categories)
	advs, err := c.st.AdvisoriesInUse(ctx)
	if err != nil {
		return err
	}
	if pkgs := vuln.Packages(advs); len(pkgs) > 0 {
		uses, err := c.st.Usages(ctx, pkgs)
		if err != nil {
			return err
		}
		e.exposure = vuln.MatchUsages(advs, uses, c.ignores, c.now())
	}
	e.vulnerable = map[int64]bool{}
	for i := range e.exposure {
		e.exposure[i].Tally("")
		e.Vulnerabilities.add(e.exposure[i].Findings)
		if e.exposure[i].Total > 0 {
			e.vulnerable[e.exposure[i].ProjectID] = true
		}
	}
	vuln.Rank(e.exposure)
	e.exposureAt = make(map[int64]int, len(e.exposure))
	for i := range e.exposure {
		e.exposureAt[e.exposure[i].ProjectID] = i
	}
	e.published = make(map[string]time.Time, len(advs))
	for _, a := range advs {
		e.published[a.ID] = a.Published
	}
	// The category of each project's own licence, each expression
	// classified once.
	e.licenseCats = make(map[int64]string, len(e.all))
	byExpr := map[string]string{}
	for _, p := range e.all {
		if p.License == nil {
			continue
		}
		cat, ok := byExpr[p.License.Expression]
		if !ok {
			cat = c.classifier.ExpressionCategory(p.License.Expression)
			byExpr[p.License.Expression] = cat
		}
		e.licenseCats[p.ID] = cat
	}
	return nil
}

// Licenses returns the estate's licence summary (from the snapshot).
func (c *Catalog) Licenses(ctx context.Context) (*catalog.LicenseSummary, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return e.licenseSummary(), nil
}

// licenseSummary returns a copy of e's licence summary with empty lists, not nil.
func (e *Snapshot) licenseSummary() *catalog.LicenseSummary {
	ls := *e.licenses
	ls.ProjectLicenses, ls.DependencyLicenses = nonNil(ls.ProjectLicenses), nonNil(ls.DependencyLicenses)
	ls.Categories, ls.InViolation = nonNil(ls.Categories), nonNil(ls.InViolation)
	return &ls
}

// LicensesJSON returns Licenses as JSON, as encoding/json's Encoder
// writes it (HTML characters escaped, a newline at the end), encoded once
// per snapshot and shared: callers must not change it. The summary lists
// every project in violation (50,000 on a large estate: ~15 ms to encode).
func (c *Catalog) LicensesJSON(ctx context.Context) ([]byte, error) {
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.licensesJSON.once.Do(func() {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(true)
		e.licensesJSON.err = enc.Encode(e.licenseSummary())
		e.licensesJSON.b = b.Bytes()
	})
	return e.licensesJSON.b, e.licensesJSON.err
}

// encoded is a value of a snapshot encoded once (see LicensesJSON).
type encoded struct {
	once sync.Once
	b    []byte
	err  error
}

// Exposure is the estate's vulnerability exposure: counts by severity and
// a page of the affected projects, worst first.
type Exposure struct {
	Counts   SeverityCounts      `json:"counts"`
	Severity string              `json:"severity,omitempty"`
	Projects Page[vuln.Exposure] `json:"projects"`
	BuiltAt  time.Time           `json:"built_at"`
}

// Exposure returns the projects with findings of severity or worse (""
// for all), worst first, without their findings (see
// ProjectVulnerabilities), from the snapshot.
func (c *Catalog) Exposure(ctx context.Context, severity string, pg Paging) (*Exposure, error) {
	if severity != "" && !vuln.ValidRating(severity) {
		return nil, fmt.Errorf("%w: unknown severity %q (want critical, high, medium or low)", ErrInvalid, severity)
	}
	p, err := pg.Normalize()
	if err != nil {
		return nil, err
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	out := &Exposure{Severity: strings.ToLower(severity), BuiltAt: e.BuiltAt}
	rows := e.exposure // every severity: tallied and ranked when the snapshot was built
	if severity == "" {
		out.Counts = e.Vulnerabilities
	} else {
		rows = nil
		for _, x := range e.exposure {
			// x is a copy; Tally gives it a new Findings slice, so the
			// snapshot's is not touched.
			if !x.Tally(severity) {
				continue
			}
			out.Counts.add(x.Findings)
			x.Findings = nil
			rows = append(rows, x)
		}
		vuln.Rank(rows)
	}
	out.Projects = PageOf(rows, p)
	items := make([]vuln.Exposure, len(out.Projects.Items))
	for i, x := range out.Projects.Items {
		x.Findings = nil // the page lists projects; a project's findings are its own route
		items[i] = x
	}
	out.Projects.Items = items
	return out, nil
}

// ProjectVulnerabilities is what the stored advisories say about one
// project's dependencies.
type ProjectVulnerabilities struct {
	ProjectID int64                 `json:"project_id"`
	Project   string                `json:"project"`
	Counts    SeverityCounts        `json:"counts"`
	Findings  []catalog.VulnFinding `json:"findings"`
	// Upgrades are the upgrades that remove the unsuppressed findings, one
	// per vulnerable dependency, worst first.
	Upgrades []vuln.Upgrade `json:"upgrades"`
}

// ProjectVulnerabilities matches the dependencies of the project with the
// numeric id against the stored advisories.
func (c *Catalog) ProjectVulnerabilities(ctx context.Context, id string) (*ProjectVulnerabilities, error) {
	p, err := c.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	return c.VulnerabilitiesOf(ctx, p)
}

// VulnerabilitiesOf matches p's dependencies against the stored advisories.
func (c *Catalog) VulnerabilitiesOf(ctx context.Context, p *catalog.Project) (*ProjectVulnerabilities, error) {
	v := &ProjectVulnerabilities{ProjectID: p.ID, Project: p.Name}
	fs, err := vuln.MatchProject(ctx, c.st, p.Key, p.Dependencies, c.ignores, c.now())
	if err != nil {
		return nil, err
	}
	v.Findings = fs
	v.Counts.add(v.Findings)
	v.Findings, v.Upgrades = nonNil(v.Findings), nonNil(vuln.Upgrades(v.Findings))
	return v, nil
}

// License statuses: the worst unsuppressed finding's severity
// (catalog.SeverityViolation, SeverityWarning, SeverityInfo), or these.
const (
	LicenseOK         = "ok"         // no finding
	LicenseSuppressed = "suppressed" // only findings waived by an exception
)

// DependencyLicense is one dependency with its licence and what the
// licence policy concluded about it when the project was scanned.
type DependencyLicense struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Ecosystem string `json:"ecosystem"`
	Direct    bool   `json:"direct"`
	Scope     string `json:"scope,omitempty"`
	catalog.DependencyLicense
	// Status is ok, suppressed, or the worst finding's severity.
	Status   string                   `json:"status"`
	Findings []catalog.LicenseFinding `json:"findings,omitempty"`
}

// ProjectLicenses is a project's own licence with its evidence and its
// dependencies' licences with their policy status.
type ProjectLicenses struct {
	ProjectID int64  `json:"project_id"`
	Project   string `json:"project"`
	// License is nil when licences were not looked for.
	License *catalog.ProjectLicense `json:"license"`
	// Status and Findings are the policy's about the project's own licence.
	Status       string                   `json:"status"`
	Findings     []catalog.LicenseFinding `json:"findings"`
	Dependencies []DependencyLicense      `json:"dependencies"`
	// Statuses counts dependencies by status.
	Statuses map[string]int `json:"statuses"`
}

// ProjectLicenses returns the licences of the project with the numeric id.
func (c *Catalog) ProjectLicenses(ctx context.Context, id string) (*ProjectLicenses, error) {
	p, err := c.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	return ProjectLicensesOf(p), nil
}

// ProjectLicensesOf joins p's dependencies, their licences and the licence
// findings stored with p, direct dependencies first.
func ProjectLicensesOf(p *catalog.Project) *ProjectLicenses {
	key := func(purl, manifest string) string { return purl + "\x00" + manifest }
	lic := map[string]catalog.DependencyLicense{}
	for _, l := range p.DependencyLicenses {
		lic[key(l.PURL, l.Manifest)] = l
	}
	findings := map[string][]catalog.LicenseFinding{}
	v := &ProjectLicenses{ProjectID: p.ID, Project: p.Name, License: p.License, Statuses: map[string]int{}}
	for _, f := range p.LicenseFindings {
		if f.PURL == "" {
			v.Findings = append(v.Findings, f)
			continue
		}
		k := key(f.PURL, f.Manifest)
		findings[k] = append(findings[k], f)
	}
	v.Status, v.Findings = licenseStatus(v.Findings), nonNil(v.Findings)
	for _, d := range DirectFirst(p.Dependencies) {
		k := key(d.PURL, d.Manifest)
		l, ok := lic[k]
		if !ok {
			l = catalog.DependencyLicense{PURL: d.PURL, Manifest: d.Manifest}
		}
		dl := DependencyLicense{Name: d.Name, Version: d.Version, Ecosystem: d.Ecosystem, Direct: d.Direct, Scope: d.Scope,
			DependencyLicense: l, Findings: findings[k], Status: licenseStatus(findings[k])}
		v.Statuses[dl.Status]++
		v.Dependencies = append(v.Dependencies, dl)
	}
	v.Dependencies = nonNil(v.Dependencies)
	return v
}

func licenseStatus(fs []catalog.LicenseFinding) string {
	status, rank := LicenseOK, 0
	for _, f := range fs {
		if f.SuppressedBy != "" {
			if rank == 0 {
				status = LicenseSuppressed
			}
			continue
		}
		r := map[string]int{catalog.SeverityInfo: 1, catalog.SeverityWarning: 2, catalog.SeverityViolation: 3}[f.Severity]
		if r > rank {
			status, rank = f.Severity, r
		}
	}
	return status
}

// AffectedVersion is a version of a package in use that an advisory affects.
type AffectedVersion struct {
	Version  string `json:"version"`
	Affected string `json:"affected,omitempty"`
	FixedIn  string `json:"fixed_in,omitempty"`
	// Projects is the number of projects using that version.
	Projects int `json:"projects"`
}

// PackageAdvisory is an advisory affecting a package, with the versions in
// use it affects (none when the estate only uses fixed versions).
type PackageAdvisory struct {
	ID       string            `json:"id"`
	Aliases  []string          `json:"aliases,omitempty"`
	Summary  string            `json:"summary,omitempty"`
	Severity catalog.Severity  `json:"severity,omitzero"`
	Versions []AffectedVersion `json:"affected_versions"`
}

// packageAdvisories lists the advisories affecting t's package, worst
// first, each with the versions in use it affects.
func (c *Catalog) packageAdvisories(ctx context.Context, t *Technology, purl string) ([]PackageAdvisory, error) {
	advs, err := c.st.AdvisoriesFor(ctx, []catalog.PackageRef{{Ecosystem: t.Ecosystem, Name: t.Name}})
	if err != nil || len(advs) == 0 {
		return []PackageAdvisory{}, err
	}
	ix := vuln.NewIndex(advs)
	var out []PackageAdvisory
	at := map[string]int{}
	for _, a := range advs {
		at[a.ID] = len(out)
		out = append(out, PackageAdvisory{ID: a.ID, Aliases: a.Aliases, Summary: a.Summary, Severity: a.Severity, Versions: []AffectedVersion{}})
	}
	merged := map[string]bool{}
	for _, v := range t.Versions {
		d := catalog.Dependency{Ecosystem: t.Ecosystem, Name: t.Name, Version: v.Version, PURL: purl + "@" + v.Version, Direct: true}
		for _, f := range ix.Match([]catalog.Dependency{d}) {
			i, ok := at[f.AdvisoryID]
			if !ok {
				continue
			}
			for _, a := range f.Aliases {
				merged[a] = true
			}
			out[i].Aliases = f.Aliases
			out[i].Versions = append(out[i].Versions, AffectedVersion{Version: v.Version, Affected: f.Affected, FixedIn: f.FixedIn, Projects: v.Projects})
		}
	}
	// An advisory merged into another as an alias is shown once.
	out = slices.DeleteFunc(out, func(a PackageAdvisory) bool { return merged[a.ID] && len(a.Versions) == 0 })
	slices.SortStableFunc(out, func(a, b PackageAdvisory) int {
		return catalog.SeverityRank(b.Severity.Rating) - catalog.SeverityRank(a.Severity.Rating)
	})
	return out, nil
}
