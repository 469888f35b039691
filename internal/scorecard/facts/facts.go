// Package facts derives what scorecard probes read about a project from
// catalogue values: file facts, licence evidence, dependencies, activity,
// vulnerability findings and coverage. It is the first layer of a score:
// facts, then probes (../probes), then checks and weights (..).
package facts

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
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
	// Commits90d, Contributors90d and BusFactor describe the last 90 days.
	Commits90d, Contributors90d, BusFactor int
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

// Window is how far back "recent" activity is counted.
const Window = 90 * 24 * time.Hour

// New derives Facts from p. vulns are the project's vulnerability
// findings (vulnsKnown false when no advisories were imported); coverage
// is a percentage or nil.
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
	since := now.Add(-Window)
	var recent []int
	for _, c := range p.Contributors {
		f.HistoryKnown = true
		if c.LastCommit.After(f.LastCommit) {
			f.LastCommit = c.LastCommit
		}
		n := 0
		for _, w := range c.Weeks {
			if !w.Week.Before(catalog.WeekOf(since)) && !w.Week.After(now) {
				n += w.Commits
			}
		}
		if n > 0 {
			recent = append(recent, n)
			f.Commits90d += n
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
	f.Contributors90d = len(recent)
	sort.Sort(sort.Reverse(sort.IntSlice(recent)))
	sum := 0
	for i, n := range recent {
		sum += n
		if 2*sum >= f.Commits90d {
			f.BusFactor = i + 1
			break
		}
	}
	return f
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
