// Package repometa extracts what a repository says about itself: its
// description, topics, lifecycle and owners (from a Backstage
// catalog-info.yaml, an InnerSource portal innersource.json, CODEOWNERS and
// the README), and hygiene facts about which conventional files it has
// (licence, contributing guide, CI configuration, tests …).
//
// Every file is treated as hostile: it is read with a size cap, parsers are
// bounded in depth and aliasing, text is stored as valid UTF-8 and capped in
// length, and a file that cannot be read or parsed becomes a Problem on the
// project while the rest of the extraction goes on.
package repometa

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/pinning"
	"github.com/ospo-project/ospo/internal/repofs"
)

// maxMetaFile is the largest catalog-info.yaml, innersource.json or
// CODEOWNERS file read.
const maxMetaFile = 1 << 20

// Description sources, stored in Project.DescriptionSource.
const (
	SourceCatalogInfo = "catalog-info"
	SourceInnerSource = "innersource"
	SourceReadme      = "readme"
)

// Extract reads t's metadata files and returns what they say (see
// Extractor for the same over a subset of the files):
//
//   - Description and DescriptionSource: catalog-info.yaml's
//     metadata.description, else innersource.json's description, else the
//     first real paragraph of the root README (see ReadmeDescription); at
//     most 500 characters on one line.
//   - Topics: catalog-info metadata.tags, then innersource.json topics and
//     skills, lower-cased and without duplicates, added to those p has.
//   - Lifecycle and System: catalog-info spec.lifecycle and spec.system.
//   - Kind: catalog.KindInnerSource when innersource.json exists (even if it
//     cannot be parsed) or a topic (catalog-info metadata.tags) says
//     "innersource", "inner-source" or "inner_source"; otherwise Kind is
//     left for the caller.
//   - Owners: the rules of the first CODEOWNERS of .github/CODEOWNERS,
//     CODEOWNERS, docs/CODEOWNERS and .gitlab/CODEOWNERS (GitHub's
//     precedence), each owner with its pattern; catalog-info spec.owner; the
//     owner, owners and maintainers of innersource.json.
//   - Files: a FileFact for each conventional file found (see the File*
//     kinds in package catalog), sorted by kind and path, followed by
//     FileCodeFiles and FileTestFiles, whose Path is a decimal count of the
//     source files and of the test files among them (outside hidden and
//     vendored directories), each recorded only when not zero.
//   - Files also holds the dependencies that workflow run steps,
//     Dockerfiles and shell scripts fetch, pinned or not, and the count of
//     those files read (see package pinning).
//   - Readme: the head of the root README (see ReadmeExcerpt), when it
//     could be read; a README larger than 1 MiB is not read.
//   - Problems: one per file that is too large, unreadable or unparsable.
//
// catalog-info.yaml (or .yml) and innersource.json are read at the root; all
// names are compared case-insensitively. A scalar field is set only when
// a value is found. If ctx is done it records a timeout problem and returns
// what it has gathered.
func Extract(ctx context.Context, t repofs.Tree) catalog.Facts {
	return Facts(ctx, t, t.Files())
}

// Facts is Extract over the listing files of t: the extractor of package
// extract.
func Facts(ctx context.Context, t repofs.Tree, files []repofs.File) (facts catalog.Facts) {
	p := &facts
	h := newHygiene()
	for i, f := range files {
		if i%1024 == 0 && ctx.Err() != nil {
			p.Problems = append(p.Problems, catalog.Problem{
				Kind:    catalog.ProblemTimeout,
				Message: fmt.Sprintf("metadata extraction stopped after %d of %d files: %v", i, len(files), ctx.Err()),
			})
			return facts
		}
		if f.Symlink || f.Submodule {
			continue
		}
		h.file(f)
	}
	p.Files = append(p.Files, h.result()...)
	p.Files = append(p.Files, healthProbes(t, files)...)
	pins, pinProbs := pinning.Extract(ctx, t)
	p.Files = append(p.Files, pins...)
	p.Problems = append(p.Problems, pinProbs...)

	if readme, b, ok := describe(t, files, p); ok {
		p.Files = append(p.Files, readmeFacts(b)...)
		r := ReadmeExcerpt(readme, b)
		p.Readme = &r
	}

	if f, ok := repofs.Find(files, codeownersPaths...); ok {
		if b, ok := readFile(t, f, maxMetaFile, p); ok {
			rules, truncated := ParseCodeowners(b)
			if truncated {
				addProblem(p, catalog.ProblemTooLarge, f.Path,
					fmt.Sprintf("CODEOWNERS has more than %d owner rules; the rest are ignored", maxCodeownersRules))
			}
			for _, r := range rules {
				p.Owners = append(p.Owners, catalog.Owner{
					Owner: r.Owner, Source: catalog.OwnerCodeowners, Path: f.Path, Pattern: r.Pattern,
				})
			}
		}
	}
	return facts
}

// Description is Facts reduced to what a project says about itself in
// its root metadata files: Description and DescriptionSource, and what
// catalog-info.yaml and innersource.json say besides (Topics, Lifecycle,
// System, TrackerProjects, Kind, their Owners), with the problems of
// reading those files and the README. It reads no other file: an SBOM,
// which records the description and nothing else of these, uses it.
func Description(_ context.Context, t repofs.Tree, files []repofs.File) (facts catalog.Facts) {
	describe(t, files, &facts)
	return facts
}

// describe records on p what the root catalog-info.yaml, innersource.json
// and README say (see Facts) and returns the README's path and content;
// read is false when there is none or it could not be read.
func describe(t repofs.Tree, files []repofs.File, p *catalog.Facts) (readme string, content []byte, read bool) {
	var desc, source string

	if f, ok := repofs.Find(files, "catalog-info.yaml", "catalog-info.yml"); ok {
		if b, ok := readFile(t, f, maxMetaFile, p); ok {
			ent, err := ParseCatalogInfo(b)
			if err != nil {
				addProblem(p, catalog.ProblemParse, f.Path, "parse catalog-info: "+err.Error())
			}
			if ent != nil {
				desc, source = oneLine(ent.Metadata.Description), SourceCatalogInfo
				p.Topics = appendTopics(p.Topics, ent.Metadata.Tags...)
				if v := field(ent.Spec.Lifecycle, maxField); v != "" {
					p.Lifecycle = v
				}
				if v := field(ent.Spec.System, maxField); v != "" {
					p.System = v
				}
				p.TrackerProjects = trackerKeys(ent.Metadata.Annotations["jira/project-key"])
				if o := field(ent.Spec.Owner, maxOwner); o != "" {
					p.Owners = append(p.Owners, catalog.Owner{Owner: o, Source: catalog.OwnerCatalogInfo, Path: f.Path})
				}
			}
		}
	}

	if f, ok := repofs.Find(files, "innersource.json"); ok {
		p.Kind = catalog.KindInnerSource
		if b, ok := readFile(t, f, maxMetaFile, p); ok {
			is, err := ParseInnerSource(b)
			if err != nil {
				addProblem(p, catalog.ProblemParse, f.Path, "parse innersource.json: "+err.Error())
			}
			if is != nil {
				if desc == "" {
					desc, source = oneLine(is.Description), SourceInnerSource
				}
				p.Topics = appendTopics(p.Topics, is.Topics...)
				p.Topics = appendTopics(p.Topics, is.Skills...)
				for _, o := range is.Owners {
					p.Owners = append(p.Owners, catalog.Owner{Owner: o, Source: catalog.OwnerInnerSource, Path: f.Path})
				}
			}
		}
	}

	if slices.ContainsFunc(p.Topics, isInnerSourceTopic) {
		p.Kind = catalog.KindInnerSource
	}

	if f, ok := repofs.Find(files, readmeNames...); ok {
		if b, ok := readFile(t, f, maxReadmeRead, p); ok {
			if desc == "" {
				desc, source = ReadmeDescription(f.Path, b), SourceReadme
			}
			readme, content, read = f.Path, b, true
		}
	}
	if desc != "" {
		p.Description = truncateWords(desc, maxDescription)
		p.DescriptionSource = source
	}

	return readme, content, read
}

// readFile reads f with a size cap, recording a problem on p if it cannot.
func readFile(t repofs.Tree, f repofs.File, max int64, p *catalog.Facts) ([]byte, bool) {
	if f.Size > max {
		addProblem(p, catalog.ProblemTooLarge, f.Path, fmt.Sprintf("%d bytes, more than the %d read", f.Size, max))
		return nil, false
	}
	b, err := t.ReadFile(f.Path, max)
	switch {
	case errors.Is(err, repofs.ErrTooLarge):
		addProblem(p, catalog.ProblemTooLarge, f.Path, fmt.Sprintf("more than the %d bytes read", max))
		return nil, false
	case err != nil:
		addProblem(p, catalog.ProblemUnreadable, f.Path, err.Error())
		return nil, false
	}
	return b, true
}

// maxProblemMessage caps a problem message: parser errors may quote input.
const maxProblemMessage = 500

func addProblem(p *catalog.Facts, kind, path, msg string) {
	p.Problems = append(p.Problems, catalog.Problem{
		Kind:    kind,
		Path:    strings.ToValidUTF8(path, "\uFFFD"),
		Message: truncateWords(oneLine(msg), maxProblemMessage),
	})
}

// isInnerSourceTopic reports whether a (lower-cased) topic marks an
// InnerSource project, as the InnerSource Commons and GitHub's topic
// conventions spell it.
func isInnerSourceTopic(t string) bool {
	return t == "innersource" || t == "inner-source" || t == "inner_source"
}

// DescriptionExtractor is the extractor of Description: it asks for the
// files at the root of the tree only.
type DescriptionExtractor struct{}

// Name implements extract.Extractor.
func (DescriptionExtractor) Name() string { return "description" }

// FileRequired implements extract.Extractor: the files at the root, where
// catalog-info.yaml, innersource.json and the README are looked for.
func (DescriptionExtractor) FileRequired(f repofs.File) bool { return !strings.Contains(f.Path, "/") }

// Extract implements extract.Extractor.
func (DescriptionExtractor) Extract(ctx context.Context, t repofs.Tree, files []repofs.File) catalog.Facts {
	return Description(ctx, t, files)
}
