// Package facts derives what scorecard probes read about a project from
// catalogue values: file facts, licence evidence, dependencies, activity,
// vulnerability findings and coverage. It is the first layer of a score:
// facts, then probes (../probes), then checks and weights (..).
package facts

import (
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/health"
)

// Facts is what the probes read about one project. Build it with New.
type Facts struct {
	Project *catalog.Project
	// Files maps a catalog.File* kind to the paths recorded for it.
	Files map[string][]string
	// CodeFiles and TestFiles are the counts the scan recorded.
	CodeFiles, TestFiles int
	// ReadmeBytes is the README's length; ReadmeSections the sections found.
	ReadmeBytes    int
	ReadmeSections map[string]bool
	// Vulns are the vulnerability findings; VulnsKnown is false when no
	// advisories were available to match against (then the probe is not
	// available rather than a pass).
	Vulns      []catalog.VulnFinding
	VulnsKnown bool
	// Coverage is the line coverage percentage, or nil when unknown.
	Coverage *float64
	// Maintenance are the rules of the Maintenance check's activity probes
	// (window and full-mark values, defaults filled in); set them with
	// SetMaintenance. Health returns the project's community health over
	// that window, as internal/health computes it for the health pages
	// (one computation for both), computed once on first use.
	Maintenance Maintenance
	health      *health.Report
	// LastCommit is the most recent commit date; zero when unknown.
	LastCommit time.Time
	// HistoryKnown is false when the project has no contribution facts.
	HistoryKnown bool
	// TruckFactor and KeyPeople are the project's truck factor and its key
	// people (catalog.Expertise); TruckFactorKnown is false when no file
	// has a known author (history not read, or nothing at HEAD it touched).
	TruckFactor      int
	KeyPeople        []string
	TruckFactorKnown bool
	// Pins are the dependencies workflow run steps, Dockerfiles and shell
	// scripts fetch, pinned or not; PinSources is how many such files the
	// scan read (0 for a project scanned before these facts existed).
	Pins       []catalog.PinnedDependency
	PinSources int
	Now        time.Time
}

// Maintenance are the Maintenance check's rules: config.Maintenance with
// its defaults filled in, and the affiliation map of the elephant factor.
type Maintenance struct {
	config.Maintenance
	// Affiliations maps lower-cased e-mails and domains to organisations
	// (health.affiliations).
	Affiliations map[string]string
}

// Rules fills in m's defaults (documented on config.Maintenance).
func Rules(m config.Maintenance, affiliations map[string]string) Maintenance {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&m.Weeks, 13)
	def(&m.InactiveWeeks, 13)
	def(&m.Contributors, 3)
	def(&m.AbsenceFactor, 2)
	def(&m.ElephantFactor, 2)
	if m.CommitsPerWeek <= 0 {
		m.CommitsPerWeek = 1
	}
	if m.MaxInactiveShare <= 0 {
		m.MaxInactiveShare = 1
	}
	if len(m.ElephantKinds) == 0 {
		m.ElephantKinds = []string{catalog.KindOpenSource}
	}
	return Maintenance{Maintenance: m, Affiliations: health.Affiliations(affiliations)}
}

// New derives Facts from p, with the default Maintenance rules. vulns are
// the project's vulnerability findings (vulnsKnown false when no
// advisories were imported); coverage is a percentage or nil.
func New(p *catalog.Project, vulns []catalog.VulnFinding, vulnsKnown bool, coverage *float64, now time.Time) *Facts {
	f := &Facts{Project: p, Files: map[string][]string{}, ReadmeSections: map[string]bool{},
		Vulns: vulns, VulnsKnown: vulnsKnown, Coverage: coverage, Now: now}
	for _, ff := range p.Files {
		switch ff.Kind {
		case catalog.FileCodeFiles:
			f.CodeFiles, _ = strconv.Atoi(ff.Path)
		case catalog.FileTestFiles:
			f.TestFiles, _ = strconv.Atoi(ff.Path)
		case catalog.FileReadmeSize:
			f.ReadmeBytes, _ = strconv.Atoi(ff.Path)
		case catalog.FileReadmeSection:
			f.ReadmeSections[ff.Path] = true
		case catalog.FilePinningSources:
			f.PinSources, _ = strconv.Atoi(ff.Path)
		case catalog.FilePinnedDependency, catalog.FileUnpinnedDependency:
			if d, ok := catalog.ParsePinnedDependency(ff); ok {
				f.Pins = append(f.Pins, d)
			}
		default:
			f.Files[ff.Kind] = append(f.Files[ff.Kind], ff.Path)
		}
	}
	for _, c := range p.Contributors {
		f.HistoryKnown = true
		if c.LastCommit.After(f.LastCommit) {
			f.LastCommit = c.LastCommit
		}
	}
	if p.HeadDate.After(f.LastCommit) {
		f.LastCommit = p.HeadDate
	}
	if e := p.Expertise; e != nil && e.Files > 0 {
		f.TruckFactor, f.TruckFactorKnown = e.TruckFactor, true
		for _, k := range e.KeyPeople {
			f.KeyPeople = append(f.KeyPeople, k.Name)
		}
	}
	f.Maintenance = Rules(config.Maintenance{}, nil)
	return f
}

// SetMaintenance sets the Maintenance rules; Health is computed afresh
// over their window (and f.Now) on its next use.
func (f *Facts) SetMaintenance(m Maintenance) {
	f.Maintenance = m
	f.health = nil
}

// Health is the project's community health over the Maintenance window
// ending with f.Now's week, computed from its contributions on first use.
// The caller must not change it.
func (f *Facts) Health() *health.Report {
	if f.health == nil {
		m := f.Maintenance
		r := health.Compute(health.Input{Contributions: f.Project.Contributors},
			health.Options{Weeks: m.Weeks, InactiveWeeks: m.InactiveWeeks, Now: f.Now, Affiliations: m.Affiliations})
		f.health = &r
	}
	return f.health
}

// Metric returns the value of a health metric (health.Metric* ids) over the
// window, and whether it is available.
func (f *Facts) Metric(id string) (float64, bool) {
	m, ok := f.Health().Metric(id)
	return m.Value, ok && m.Available
}

// Commits is the number of commits in the Maintenance window.
func (f *Facts) Commits() int {
	n := 0
	for _, w := range f.Health().Weeks {
		n += w.Commits
	}
	return n
}

// AbsenceFactor is the contributor absence factor over the window; 0 when
// nobody committed in it.
func (f *Facts) AbsenceFactor() int {
	v, _ := f.Metric(health.MetricAbsenceFactor)
	return int(v)
}

// ElephantFactor is the elephant factor over the window; 0 when nobody
// committed in it.
func (f *Facts) ElephantFactor() int {
	v, _ := f.Metric(health.MetricElephantFactor)
	return int(v)
}

// HealthFigures are the health metrics the Maintenance check reads, with
// their CHAOSS names and links, for showing beside the check.
func (f *Facts) HealthFigures() []catalog.HealthFigure {
	var out []catalog.HealthFigure
	for _, id := range []string{health.MetricCommitFrequency, health.MetricAbsenceFactor, health.MetricElephantFactor} {
		m, _ := f.Health().Metric(id)
		out = append(out, catalog.HealthFigure{ID: m.ID, Name: m.Name, URL: m.URL, Value: m.Value, Unit: m.Unit, Available: m.Available})
	}
	h := f.Health()
	inactive, _ := h.Metric(health.MetricInactiveContributors)
	out = append(out,
		catalog.HealthFigure{ID: "contributors", Name: "Contributors", URL: "https://chaoss.community/kb/metric-contributors/",
			Value: float64(h.Contributors), Unit: "people committing in the window", Available: true},
		catalog.HealthFigure{ID: inactive.ID, Name: inactive.Name, URL: inactive.URL,
			Value: float64(h.WentInactive), Unit: "people who went inactive in the window", Available: true})
	return out
}

// Has reports whether any file of the given kinds was recorded.
func (f *Facts) Has(kinds ...string) bool {
	for _, k := range kinds {
		if len(f.Files[k]) > 0 {
			return true
		}
	}
	return false
}

// First returns the first path of the first kind recorded.
func (f *Facts) First(kinds ...string) string {
	for _, k := range kinds {
		if len(f.Files[k]) > 0 {
			return f.Files[k][0]
		}
	}
	return ""
}

// CIKinds are the file kinds of CI configurations.
var CIKinds = []string{catalog.FileCIGitHub, catalog.FileCIGitLab, catalog.FileCIJenkins, catalog.FileCIAzure, catalog.FileCICircle, catalog.FileCITravis}

// HasDep reports whether a dependency name contains one of needles
// (lower case), returning the first match.
func (f *Facts) HasDep(needles ...string) (string, bool) {
	for _, d := range f.Project.Dependencies {
		n := strings.ToLower(d.Name)
		for _, s := range needles {
			if strings.Contains(n, s) {
				return d.Name, true
			}
		}
	}
	return "", false
}

// PinCount counts the Pins of the given types: how many, and how many
// pinned. first is the first unpinned one (Type empty when none).
func (f *Facts) PinCount(types ...string) (pinned, total int, first catalog.PinnedDependency) {
	for _, d := range f.Pins {
		for _, t := range types {
			if d.Type != t {
				continue
			}
			total++
			if d.Pinned {
				pinned++
			} else if first.Type == "" {
				first = d
			}
		}
	}
	return pinned, total, first
}
