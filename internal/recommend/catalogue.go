package recommend

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/vuln"
)

// Catalogue is what FromCatalogue reads: catalogue values as the store
// gives them.
type Catalogue struct {
	// Projects carry their contributors (with PersonID), languages, owners
	// and kind, as Store.ListProjects gives them.
	Projects []catalog.Project
	// Dependencies are the projects' direct dependencies by project ID
	// (Store.DirectDependencies, see DependencyOf); nil means each
	// project's own Dependencies, direct ones only.
	Dependencies map[int64][]Dependency
	// Authors are the authors of each project's code by project ID
	// (Store.ProjectAuthors); nil means each project's Expertise.
	Authors     map[int64][]catalog.Author
	People      []catalog.Person
	Memberships []catalog.Membership
	OptOuts     []catalog.OptOut
	// Findings are the projects' vulnerability findings by project ID.
	Findings  map[int64][]catalog.VulnFinding
	Resources []Resource
	// Issues are forge issues by project ID (Store.ForgeItems of kind
	// issue): the open ones labelled help wanted or good first issue make
	// the project ask for help (see HelpLabels).
	Issues map[int64][]catalog.ForgeItem
}

// Dependency is what the recommenders read of a project's direct
// dependency: a few strings, not the catalogue's whole record (a large
// estate has millions of them).
type Dependency struct {
	PURL, Ecosystem, Name, Version string
	Constraint                     bool
}

// DependencyOf returns what the recommenders read of d.
func DependencyOf(d catalog.Dependency) Dependency {
	return Dependency{PURL: d.PURL, Ecosystem: d.Ecosystem, Name: d.Name, Version: d.Version, Constraint: d.Constraint}
}

// directOf returns the direct dependencies of each project.
func directOf(projects []catalog.Project) map[int64][]Dependency {
	deps := map[int64][]Dependency{}
	for _, p := range projects {
		for _, d := range p.Dependencies {
			if d.Direct {
				deps[p.ID] = append(deps[p.ID], DependencyOf(d))
			}
		}
	}
	return deps
}

// HelpLabels are the labels by which an issue asks for help, compared
// case-insensitively with spaces, hyphens and underscores alike (GitHub's
// defaults "help wanted" and "good first issue", "help-wanted"…).
var HelpLabels = []string{"help wanted", "good first issue"}

// helpLabel returns the label of labels that asks for help, or "".
func helpLabel(labels []string) string {
	for _, l := range labels {
		k := strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(strings.TrimSpace(l)))
		if slices.Contains(HelpLabels, k) {
			return l
		}
	}
	return ""
}

// helpWanted returns the open issues among items that ask for help,
// newest first.
func helpWanted(items []catalog.ForgeItem) []HelpIssue {
	var open []catalog.ForgeItem
	for _, it := range items {
		if it.Kind == catalog.ItemIssue && strings.EqualFold(it.State, "open") && helpLabel(it.Labels) != "" {
			open = append(open, it)
		}
	}
	slices.SortStableFunc(open, func(a, b catalog.ForgeItem) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.Number, a.Number))
	})
	out := make([]HelpIssue, 0, len(open))
	for _, it := range open {
		out = append(out, HelpIssue{Number: it.Number, Title: it.Title, URL: it.URL, Label: helpLabel(it.Labels)})
	}
	return out
}

// FromCatalogue turns catalogue values into an Estate: each project's
// technologies are its direct dependencies' packages and its languages;
// people are humans (bots are left out) with their teams from the
// memberships; upgrades are the vulnerable versions the findings name
// and the versions that drifted behind the estate (see Drift).
func FromCatalogue(c Catalogue) Estate {
	e := Estate{Resources: c.Resources, OptOuts: map[string]catalog.OptOut{}}
	for _, o := range c.OptOuts {
		e.OptOuts[o.PersonID] = o
	}
	teams := map[string][]string{}
	for _, ms := range c.Memberships {
		email := strings.ToLower(ms.Email)
		if !slices.Contains(teams[email], ms.Team) {
			teams[email] = append(teams[email], ms.Team)
		}
	}
	bots := map[string]bool{}
	for _, p := range c.People {
		if p.Bot {
			bots[p.ID] = true
			continue
		}
		var ts []string
		for _, id := range append([]catalog.Identity{{Email: p.Email}}, p.Identities...) {
			for _, t := range teams[strings.ToLower(id.Email)] {
				if !slices.Contains(ts, t) {
					ts = append(ts, t)
				}
			}
		}
		e.People = append(e.People, Person{ID: p.ID, Name: p.Name, Email: p.Email, Teams: ts})
	}
	deps := c.Dependencies
	if deps == nil {
		deps = directOf(c.Projects)
	}
	for _, p := range c.Projects {
		rp := Project{ID: p.ID, Name: p.Name, InnerSource: p.Kind == catalog.KindInnerSource}
		for _, o := range p.Owners {
			if o.Pattern == "" || o.Pattern == "*" || o.Pattern == "/" || o.Pattern == "/*" {
				if !slices.Contains(rp.Teams, o.Owner) {
					rp.Teams = append(rp.Teams, o.Owner)
				}
			}
		}
		seen := map[string]bool{}
		for _, d := range deps[p.ID] {
			id := PackageID(d.PURL)
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			rp.Techs = append(rp.Techs, Tech{ID: id, Name: d.Name})
		}
		for _, l := range p.Languages {
			if !seen[l.Name] {
				seen[l.Name] = true
				rp.Techs = append(rp.Techs, Tech{ID: l.Name, Name: l.Name})
			}
		}
		for _, ct := range p.Contributors {
			if ct.PersonID == "" || bots[ct.PersonID] {
				continue
			}
			rp.Contributors = append(rp.Contributors, Contribution{PersonID: ct.PersonID,
				FirstCommit: ct.FirstCommit, LastCommit: ct.LastCommit, Commits: ct.Commits})
		}
		if c.Authors != nil {
			rp.Authors = c.Authors[p.ID]
		} else if p.Expertise != nil {
			rp.Authors = p.Expertise.Authors
		}
		if rp.InnerSource {
			if hw := helpWanted(c.Issues[p.ID]); len(hw) > 0 {
				rp.HelpWanted = hw
			}
		}
		e.Projects = append(e.Projects, rp)
		for _, u := range vuln.Upgrades(c.Findings[p.ID]) {
			detail := fmt.Sprintf("%s known vulnerabilities", fmt.Sprint(u.Fixes+u.Unfixed))
			if u.Fixes+u.Unfixed == 1 {
				detail = "1 known vulnerability"
			}
			if u.Worst != "" {
				detail += fmt.Sprintf(" (worst %s)", strings.ToLower(u.Worst))
			}
			e.Upgrades = append(e.Upgrades, Upgrade{ProjectID: p.ID, Project: p.Name, TechID: PackageID(u.PURL),
				Package: u.Package, Version: u.Version, To: u.To, Reason: ReasonVulnerable, Worst: u.Worst, Detail: detail})
		}
	}
	e.Upgrades = append(e.Upgrades, drift(c.Projects, deps)...)
	return e
}

// PackageID returns a package URL without its version, qualifiers and
// subpath: the ID of the package as a technology.
func PackageID(purl string) string {
	if i := strings.IndexAny(purl, "?#"); i >= 0 {
		purl = purl[:i]
	}
	slash := strings.LastIndex(purl, "/")
	if at := strings.LastIndex(purl, "@"); at > slash {
		purl = purl[:at]
	}
	return purl
}

// minDrift is how many projects must use a package for a version to
// drift behind the others.
const minDrift = 3

// Drift finds the direct dependencies whose version drifted behind the
// rest of the estate: a package used by at least three projects, where at
// least half of the others run a newer version (in the ecosystem's
// ordering; versions that do not parse, and constraints, are left out).
// To is the newest version in use.
func Drift(projects []catalog.Project, deps map[int64][]catalog.Dependency) []Upgrade {
	ds := make(map[int64][]Dependency, len(deps))
	for id, dd := range deps {
		for _, d := range dd {
			ds[id] = append(ds[id], DependencyOf(d))
		}
	}
	return drift(projects, ds)
}

// drift is Drift on the recommenders' dependencies.
func drift(projects []catalog.Project, deps map[int64][]Dependency) []Upgrade {
	type run struct {
		project int
		dep     *Dependency // into deps: a million of them on a large estate
	}
	byPkg := map[string][]run{}
	for i, p := range projects {
		seen := map[string]bool{}
		ds := deps[p.ID]
		for k := range ds {
			d := &ds[k]
			id := PackageID(d.PURL)
			if d.Constraint || d.Version == "" || seen[id] {
				continue
			}
			seen[id] = true
			byPkg[id] = append(byPkg[id], run{i, d})
		}
	}
	ids := make([]string, 0, len(byPkg))
	for id, rs := range byPkg {
		if len(rs) >= minDrift {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []Upgrade
	details := map[[2]int]string{} // one copy of each sentence
	detail := func(newer, others int) string {
		k := [2]int{newer, others}
		d, ok := details[k]
		if !ok {
			d = fmt.Sprintf("%d of the %d other projects using it run a newer version", newer, others)
			details[k] = d
		}
		return d
	}
	for _, id := range ids {
		eco := byPkg[id][0].dep.Ecosystem
		// The distinct versions, oldest first (versions that do not
		// parse left out), each with the projects running it: sorting a
		// handful of versions, not thousands of projects.
		byVersion := map[string][]run{}
		var versions []string
		total := 0
		for _, r := range byPkg[id] {
			v := r.dep.Version
			if _, seen := byVersion[v]; !seen {
				if _, err := vuln.CompareVersions(eco, v, v); err != nil {
					continue
				}
				versions = append(versions, v)
			}
			byVersion[v] = append(byVersion[v], r)
			total++
		}
		if total < minDrift {
			continue
		}
		slices.SortStableFunc(versions, func(a, b string) int {
			c, _ := vuln.CompareVersions(eco, a, b)
			return c
		})
		// Spellings of one version ("1.0" and "1.0.0") run the same.
		newest := versions[len(versions)-1]
		newer := total
		for i := 0; i < len(versions); {
			j, same := i+1, len(byVersion[versions[i]])
			for j < len(versions) {
				if c, _ := vuln.CompareVersions(eco, versions[j], versions[i]); c != 0 {
					break
				}
				same += len(byVersion[versions[j]])
				j++
			}
			newer -= same
			if newer > 0 && 2*newer >= total-1 {
				for _, v := range versions[i:j] {
					for _, r := range byVersion[v] {
						p := projects[r.project]
						out = append(out, Upgrade{ProjectID: p.ID, Project: p.Name, TechID: id, Package: r.dep.Name,
							Version: r.dep.Version, To: newest, Reason: ReasonDrifting,
							Detail: detail(newer, total-1)})
					}
				}
			}
			i = j
		}
	}
	return out
}
