package catalog

// Facts is what extractors saw in one tree: each extractor returns the
// fields it knows and leaves the others zero. Facts are values; the
// analysis pipeline records them on a Project (Project.AddFacts), so no
// extractor edits a Project.
type Facts struct {
	// Languages are the tree's languages with byte counts.
	Languages []Language
	// License is the project's own licence; nil when not looked for.
	License *ProjectLicense
	// Dependencies are the packages the tree's manifests and lockfiles name.
	Dependencies []Dependency
	// Description and DescriptionSource, Lifecycle, System and Kind are set
	// by the metadata extractor when it finds a value ("" otherwise).
	Description       string
	DescriptionSource string
	Lifecycle         string
	System            string
	Kind              string
	// TrackerProjects are the issue-tracker project keys the metadata
	// names (catalog-info's jira/project-key annotation).
	TrackerProjects []string
	// Topics, Owners and Files are appended in extractor order.
	Topics []string
	Owners []Owner
	Files  []FileFact
	// Readme is the head of the root README; nil when there is none.
	Readme *Readme
	// Docs are the pages of the docs/ folder, appended.
	Docs []DocPage
	// PackageNames are the names the root manifests publish the project as.
	PackageNames []PackageName
	// Problems are the files that could not be read or parsed.
	Problems []Problem
}

// AddFacts records f on p: f's non-empty scalars replace p's, f's slices
// are appended to p's.
func (p *Project) AddFacts(f Facts) {
	p.Languages = append(p.Languages, f.Languages...)
	if f.License != nil {
		p.License = f.License
	}
	p.Dependencies = append(p.Dependencies, f.Dependencies...)
	setString(&p.Description, f.Description)
	setString(&p.DescriptionSource, f.DescriptionSource)
	setString(&p.Lifecycle, f.Lifecycle)
	setString(&p.System, f.System)
	setString(&p.Kind, f.Kind)
	p.Topics = append(p.Topics, f.Topics...)
	p.TrackerProjects = append(p.TrackerProjects, f.TrackerProjects...)
	p.Owners = append(p.Owners, f.Owners...)
	p.Files = append(p.Files, f.Files...)
	if f.Readme != nil {
		p.Readme = f.Readme
	}
	p.Docs = append(p.Docs, f.Docs...)
	p.PackageNames = append(p.PackageNames, f.PackageNames...)
	p.Problems = append(p.Problems, f.Problems...)
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}
