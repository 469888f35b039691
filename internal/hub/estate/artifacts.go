package estate

import (
	"context"

	"github.com/ospo-project/ospo/internal/catalog"
)

// ArtifactLimit caps the files and build uses a package's view lists, and
// the packages the artifact list shows.
const ArtifactLimit = 200

// Artifacts is what artifact repositories (Artifactory) know of one
// package: the files of its versions the firm downloaded or published,
// and the recorded build runs that used or published it.
type Artifacts struct {
	Files  []catalog.Artifact `json:"files"`
	Builds []catalog.BuildUse `json:"builds"`
	// Downloads sums the files' downloads.
	Downloads int64 `json:"downloads"`
	// ProjectIDs holds the IDs of the scanned projects the build runs
	// built, by key, for links.
	ProjectIDs map[string]int64 `json:"-"`
}

// packageArtifacts returns what artifact repositories know of the package
// with the versionless package URL purl; nil when nothing.
func (c *Catalog) packageArtifacts(ctx context.Context, purl string) (*Artifacts, error) {
	files, err := c.st.Artifacts(ctx, catalog.ArtifactQuery{PURL: purl, Limit: ArtifactLimit})
	if err != nil {
		return nil, err
	}
	uses, err := c.st.BuildUses(ctx, catalog.BuildUseQuery{PURL: purl, Limit: ArtifactLimit})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 && len(uses) == 0 {
		return nil, nil
	}
	a := &Artifacts{Files: nonNil(files), Builds: nonNil(uses), ProjectIDs: map[string]int64{}}
	for _, f := range files {
		a.Downloads += f.Downloads
	}
	keys := map[string]bool{}
	for _, u := range uses {
		if u.ProjectKey != "" {
			keys[u.ProjectKey] = true
		}
	}
	if len(keys) > 0 {
		e, err := c.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range e.all {
			if keys[p.Key] {
				a.ProjectIDs[p.Key] = p.ID
			}
		}
	}
	return a, nil
}

// ArtifactPackage is a package artifact repositories know, with how many
// scanned projects' manifests name it.
type ArtifactPackage struct {
	catalog.ArtifactPackage
	// Projects counts the scanned projects using it; 0 means no lockfile
	// or manifest names it: a package the firm downloads that the
	// inventory alone would miss.
	Projects int `json:"projects"`
}

// ArtifactPackages lists the packages artifact repositories know, most
// downloaded first (at most ArtifactLimit), each with the number of
// scanned projects using it.
func (c *Catalog) ArtifactPackages(ctx context.Context) ([]ArtifactPackage, error) {
	pkgs, err := c.st.ArtifactPackages(ctx, ArtifactLimit)
	if err != nil {
		return nil, err
	}
	e, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	e.indexOnce.Do(e.index)
	out := make([]ArtifactPackage, 0, len(pkgs))
	for _, p := range pkgs {
		ap := ArtifactPackage{ArtifactPackage: p}
		if t := e.packages[p.PURL]; t != nil {
			ap.Projects = t.Projects
		}
		out = append(out, ap)
	}
	return out, nil
}
