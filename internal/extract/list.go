package extract

import (
	"github.com/ospo-project/ospo/internal/extract/deps"
	"github.com/ospo-project/ospo/internal/extract/languages"
	"github.com/ospo-project/ospo/internal/extract/licensefile"
	"github.com/ospo-project/ospo/internal/extract/repometa"
)

// List returns the extractors a scan runs over a tree, in the order their
// facts are merged. This is the one place extractors are listed; history
// (package gitlog) is not a tree extractor and is mined by the pipeline
// for committed trees only.
//
//	languages    languages and byte counts (go-enry)                every file
//	repometa     description, topics, owners, hygiene files, README,
//	             pinning of workflow/Dockerfile/shell dependencies   every file
//	licensefile  the project's own licence                          every file
//	deps         dependencies from manifests and lockfiles          manifests and lockfiles (deps/list.go)
func List() []Extractor {
	return []Extractor{
		languages.Extractor{},
		repometa.Extractor{},
		licensefile.Extractor{},
		deps.Extractor{},
	}
}

// Dependencies returns the extractors of the dependency inventory alone.
func Dependencies() []Extractor { return []Extractor{deps.Extractor{}} }
