package artifactory

import (
	"github.com/ospo-project/ospo/internal/catalog"
)

// BuildInfo is the part of a JFrog build-info document
// (github.com/jfrog/build-info-go, buildinfo-schema.json) ospo reads.
type BuildInfo struct {
	Name    string `json:"name"`
	Number  string `json:"number"`
	Started string `json:"started"`
	// VCS lists the repositories built; older documents carry one as
	// VCSURL and VCSRevision.
	VCS []struct {
		URL      string `json:"url"`
		Revision string `json:"revision"`
	} `json:"vcs"`
	VCSURL      string `json:"vcsUrl"`
	VCSRevision string `json:"vcsRevision"`
	Modules     []struct {
		Type         string `json:"type"`
		ID           string `json:"id"`
		Dependencies []struct {
			ID string `json:"id"`
		} `json:"dependencies"`
	} `json:"modules"`
}

// Run returns the build run the document records, as source's: the
// packages its modules depended on and the modules it published (a
// module's id names the package it publishes), and the project whose git
// remote it built. name and number are the run's as Artifactory lists
// it, which win over the document's own.
func (bi BuildInfo) Run(source, name, number string) catalog.BuildRun {
	br := catalog.BuildRun{Source: source, Build: name, Number: number, Started: parseTime(bi.Started)}
	for _, v := range bi.VCS {
		if k := projectKeyOf(v.URL); k != "" {
			br.ProjectKey, br.Revision = k, v.Revision
			break
		}
	}
	if br.ProjectKey == "" && bi.VCSURL != "" {
		br.ProjectKey, br.Revision = projectKeyOf(bi.VCSURL), bi.VCSRevision
	}
	seen := map[catalog.PackageUse]bool{}
	add := func(r Ref, published bool) {
		u := catalog.PackageUse{Ecosystem: r.Ecosystem, Package: r.Name, Version: r.Version, PURL: r.PURL, Published: published}
		if !seen[u] {
			seen[u] = true
			br.Uses = append(br.Uses, u)
		}
	}
	for _, m := range bi.Modules {
		if r, ok := DependencyOf(m.Type, m.ID); ok {
			add(r, true)
		}
		for _, d := range m.Dependencies {
			if r, ok := DependencyOf(m.Type, d.ID); ok {
				add(r, false)
			}
		}
	}
	return br
}
