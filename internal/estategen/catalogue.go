package estategen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// CatalogueOptions shape a synthetic catalogue: catalogue values (not git
// repositories) with a structure known in advance, for the recommenders'
// evaluation and benchmarks.
type CatalogueOptions struct {
	Projects int
	People   int
	// Teams is the number of teams; 0 means People/10 + 1.
	Teams int
	// Clusters is the number of technology stacks; 0 means Teams/2 + 1.
	// Each team's projects use mostly its own stack; its people drift,
	// over time, to the projects of the next stack (the known structure a
	// recommender should find).
	Clusters int
	// PackagesPerCluster is each stack's number of packages; 0 means 25.
	PackagesPerCluster int
	// FilesPerProject is the number of files whose authors each project
	// records; 0 means 130 (with 1 or 2 authors a file, ~2 million
	// file-authorship pairs over 10,000 projects).
	FilesPerProject int
	Seed            uint64
}

// Catalogue is a synthetic catalogue.
type Catalogue struct {
	// Projects have IDs 1..n, contributors with their PersonID, direct
	// dependencies, languages, owners (a team, by CODEOWNERS) and the
	// authors of their code (Expertise).
	Projects    []catalog.Project
	People      []catalog.Person
	Memberships []catalog.Membership
	// FileAuthorships is the number of (file, author) pairs behind the
	// projects' authors.
	FileAuthorships int
}

var ecosystems = []struct{ eco, purl, lang string }{
	{"Go", "pkg:golang/example.com/%s", "Go"},
	{"npm", "pkg:npm/%s", "TypeScript"},
	{"PyPI", "pkg:pypi/%s", "Python"},
	{"Maven", "pkg:maven/com.example/%s", "Java"},
}

// GenerateCatalogue builds a synthetic catalogue. Histories span
// 2021-01-01 to 2026-01-01. Everything is drawn from o.Seed: the same
// options give the same catalogue.
func GenerateCatalogue(o CatalogueOptions) Catalogue {
	if o.Teams == 0 {
		o.Teams = o.People/10 + 1
	}
	if o.Clusters == 0 {
		o.Clusters = o.Teams/2 + 1
	}
	if o.PackagesPerCluster == 0 {
		o.PackagesPerCluster = 25
	}
	if o.FilesPerProject == 0 {
		o.FilesPerProject = 130
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0xca7))
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	span := 5 * 365 * 24 * time.Hour
	type pkg struct{ eco, purl, name string }
	cluster := make([][]pkg, o.Clusters)
	for c := range cluster {
		e := ecosystems[c%len(ecosystems)]
		for k := range o.PackagesPerCluster {
			name := fmt.Sprintf("lib-%d-%d", c, k)
			cluster[c] = append(cluster[c], pkg{e.eco, fmt.Sprintf(e.purl, name), name})
		}
	}
	global := []pkg{}
	for k := range 8 { // what everybody uses
		e := ecosystems[k%len(ecosystems)]
		name := fmt.Sprintf("common-%d", k)
		global = append(global, pkg{e.eco, fmt.Sprintf(e.purl, name), name})
	}
	var cat Catalogue
	for i := range o.People {
		name := fmt.Sprintf("Dev %d", i)
		email := fmt.Sprintf("dev%d@bank.example", i)
		id := fmt.Sprintf("p%05d", i)
		cat.People = append(cat.People, catalog.Person{ID: id, Name: name, Email: email,
			Identities: []catalog.Identity{{Name: name, Email: email}}})
		cat.Memberships = append(cat.Memberships, catalog.Membership{Team: teamOf(i % o.Teams), Email: email, Source: catalog.MemberFile})
	}
	// Projects: owned by team i%Teams, mostly on the team's stack.
	projCluster := make([]int, o.Projects)
	byTeam := make([][]int, o.Teams)
	byCluster := make([][]int, o.Clusters)
	for i := range o.Projects {
		team := i % o.Teams
		c := team % o.Clusters
		if rng.IntN(5) == 0 {
			c = (c + 1) % o.Clusters
		}
		projCluster[i] = c
		byTeam[team] = append(byTeam[team], i)
		byCluster[c] = append(byCluster[c], i)
		p := catalog.Project{ID: int64(i + 1), Key: fmt.Sprintf("synthetic/svc-%05d", i), Name: fmt.Sprintf("svc-%05d", i),
			Kind:   catalog.KindInternal,
			Owners: []catalog.Owner{{Owner: "@bank/" + teamOf(team), Source: catalog.OwnerCodeowners, Path: "CODEOWNERS", Pattern: "*"}}}
		if rng.IntN(5) == 0 {
			p.Kind = catalog.KindInnerSource
		}
		e := ecosystems[c%len(ecosystems)]
		p.Languages = []catalog.Language{{Name: e.lang, Bytes: 100000, Files: o.FilesPerProject}}
		seen := map[string]bool{}
		add := func(k pkg) {
			purl := k.purl
			if seen[purl] {
				return
			}
			seen[purl] = true
			v := fmt.Sprintf("1.%d.0", rng.IntN(10))
			p.Dependencies = append(p.Dependencies, catalog.Dependency{PURL: purl + "@" + v, Ecosystem: k.eco, Name: k.name,
				Version: v, Direct: true, Manifest: "manifest"})
		}
		for range 5 + rng.IntN(8) {
			// a few packages of a stack are used by most of its projects
			add(cluster[c][min(int(rng.ExpFloat64()*6), o.PackagesPerCluster-1)])
		}
		for _, g := range global {
			if rng.IntN(10) < 7 {
				add(g)
			}
		}
		if rng.IntN(2) == 0 {
			oc := rng.IntN(o.Clusters)
			add(cluster[oc][rng.IntN(o.PackagesPerCluster)])
		}
		cat.Projects = append(cat.Projects, p)
	}
	// People: each works on projects of their team, one after the other,
	// and later on projects of the next stack.
	type contrib struct {
		person      int
		first, last time.Time
		commits     int
	}
	contribs := make([][]contrib, o.Projects)
	for i := range o.People {
		team := i % o.Teams
		at := start.Add(time.Duration(rng.Int64N(int64(span / 2))))
		n := 2 + rng.IntN(4)
		for k := range n {
			var pool []int
			switch {
			case k >= n/2 && rng.IntN(3) > 0: // moving on to the next stack
				pool = byCluster[(team%o.Clusters+1)%o.Clusters]
			case rng.IntN(10) == 0:
				pool = byCluster[rng.IntN(o.Clusters)]
			default:
				pool = byTeam[team]
			}
			if len(pool) == 0 {
				continue
			}
			pj := pool[rng.IntN(len(pool))]
			if slices.ContainsFunc(contribs[pj], func(c contrib) bool { return c.person == i }) {
				continue
			}
			stay := time.Duration(30+rng.IntN(400)) * 24 * time.Hour
			end := at.Add(stay)
			if end.After(start.Add(span)) {
				end = start.Add(span)
			}
			contribs[pj] = append(contribs[pj], contrib{i, at, end, 1 + rng.IntN(200)})
			at = at.Add(time.Duration(20+rng.IntN(200)) * 24 * time.Hour)
			if !at.Before(start.Add(span)) {
				break
			}
		}
	}
	for pj := range cat.Projects {
		p := &cat.Projects[pj]
		total := 0
		for _, c := range contribs[pj] {
			pr := cat.People[c.person]
			p.Contributors = append(p.Contributors, catalog.Contribution{Identity: pr.Identities[0], Commits: c.commits,
				FirstCommit: c.first, LastCommit: c.last, PersonID: pr.ID})
			p.Commits += c.commits
			total += c.commits
		}
		if total == 0 {
			continue
		}
		// Authors: each file has one or two authors, drawn by commits.
		files := make([]int, len(contribs[pj]))
		for range o.FilesPerProject {
			for range 1 + rng.IntN(2) {
				r := rng.IntN(total)
				for k, c := range contribs[pj] {
					if r < c.commits {
						files[k]++
						break
					}
					r -= c.commits
				}
				cat.FileAuthorships++
			}
		}
		e := &catalog.Expertise{Files: o.FilesPerProject}
		for k, c := range contribs[pj] {
			if files[k] == 0 {
				continue
			}
			pr := cat.People[c.person]
			e.Authors = append(e.Authors, catalog.Author{Identity: pr.Identities[0], Files: files[k],
				Share: float64(files[k]) / float64(o.FilesPerProject), LastChange: c.last, PersonID: pr.ID})
		}
		slices.SortStableFunc(e.Authors, func(a, b catalog.Author) int { return b.Files - a.Files })
		if len(e.Authors) > 0 {
			e.TruckFactor = 1
		}
		p.Expertise = e
		p.HeadDate = start.Add(span)
	}
	return cat
}

func teamOf(t int) string { return fmt.Sprintf("team-%d", t) }
