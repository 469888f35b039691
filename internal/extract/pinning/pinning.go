// Package pinning finds the dependencies a repository's automation fetches
// outside its manifests, and whether each is pinned, by the rules of
// OpenSSF Scorecard's Pinned-Dependencies check:
//
//   - GitHub workflow run steps (.github/workflows/*.yml) run by sh, bash
//     or mksh, Dockerfile RUN instructions (shell and exec form, heredocs)
//     and shell scripts are parsed with mvdan.cc/sh, the shell parser
//     Scorecard uses, and each command is classified: go get / go install,
//     pip install (and python -m pip install), npm install / ci / update,
//     choco install, nuget and dotnet installs and restores are package
//     installs, pinned or not; a download piped into an interpreter, run
//     through process substitution, or saved and then run, is a
//     download-then-run, never pinned.
//   - Dockerfile FROM images are pinned when given by sha256 digest.
//
// The result is file facts (catalog.FilePinnedDependency,
// FileUnpinnedDependency and FilePinningSources) for the scorecard probes;
// see docs/scorecards.md for each rule and where ospo departs from
// Scorecard.
//
// Every file is hostile input: files are read with a size cap, workflows
// are parsed as YAML node trees (package workflow), a script nested deeper
// than the shell parser can safely recurse is skipped, and the facts and
// problems recorded are capped. A file that cannot be read or parsed
// becomes a problem; the other files are still read.
package pinning

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/workflow"
	"github.com/ospo-project/ospo/internal/repofs"
)

// Limits on what is read and recorded from one repository.
const (
	// maxFile is the largest workflow, Dockerfile or script read.
	maxFile = 1 << 20
	// maxSources is how many files are read.
	maxSources = 5000
	// maxFacts is how many dependencies are recorded.
	maxFacts = 1000
	// maxProblems is how many problems are recorded, besides a last one
	// that counts the rest.
	maxProblems = 20
)

// extraction gathers the facts and problems of one repository.
type extraction struct {
	deps      []catalog.PinnedDependency
	truncated bool // maxFacts reached: the rest is not looked for
	problems  []catalog.Problem
	more      int // problems not recorded
}

// full reports, and remembers, that no more dependencies are recorded.
func (x *extraction) full() bool {
	if len(x.deps) >= maxFacts {
		x.truncated = true
	}
	return x.truncated
}

func (x *extraction) add(d catalog.PinnedDependency) {
	if !x.full() {
		x.deps = append(x.deps, d)
	}
}

func (x *extraction) problem(kind, p, msg string) {
	if kind == catalog.ProblemParse && isTemplated(p) {
		// A template's text is not yet shell or a Dockerfile ("<%= … %>"):
		// what does not parse there is expected, not a fault of the project.
		return
	}
	if len(x.problems) >= maxProblems {
		x.more++
		return
	}
	if len(msg) > 300 {
		msg = strings.ToValidUTF8(msg[:300], "") + "…"
	}
	x.problems = append(x.problems, catalog.Problem{Kind: kind, Path: strings.ToValidUTF8(p, "\uFFFD"),
		Message: "pinned dependencies: " + strings.ReplaceAll(strings.ToValidUTF8(msg, "\uFFFD"), "\n", "; ")})
}

// isTemplated reports whether p is a file of a template engine (ERB, EEx,
// Jinja, Go templates, Mustache, Handlebars…) by its extension.
func isTemplated(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".tt", ".erb", ".eex", ".heex", ".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".template", ".mustache", ".hbs", ".gotmpl":
		return true
	}
	return false
}

// kind is what a file is read as.
type kind int

const (
	notRead kind = iota
	workflowFile
	dockerfile
	shellScript
	maybeShellScript // no extension: a script if its shebang says so
)

// classify says how p is read, following Scorecard's file matching: test
// data (testdata/, src/test/) is never read; workflows directly in
// .github/workflows; any file whose name contains "dockerfile" (or, beyond
// Scorecard, "containerfile") and is not source code or a shell script,
// outside vendor/ and third_party/; shell scripts by extension (.sh, .bash,
// .mksh) or, for files without an extension, by shebang.
func classify(p string) kind {
	if isTestdata(p) {
		return notRead
	}
	if workflow.IsWorkflowFile(p) {
		return workflowFile
	}
	base := strings.ToLower(path.Base(p))
	ext := path.Ext(base)
	for _, sh := range supportedShells {
		if ext == "."+sh {
			return shellScript
		}
	}
	if strings.Contains(base, "dockerfile") || strings.Contains(base, "containerfile") {
		switch ext {
		case ".go", ".c", ".cpp", ".rs", ".js", ".py", ".pyc", ".java", ".dash", ".ksh", ".exec", ".su":
			return notRead
		}
		if inVendor(p) {
			return notRead
		}
		return dockerfile
	}
	if ext == "" && !strings.HasPrefix(base, ".") {
		return maybeShellScript
	}
	return notRead
}

// isTestdata is Scorecard's test-data filter.
func isTestdata(p string) bool {
	return strings.HasPrefix(p, "testdata/") || strings.Contains(p, "/testdata/") ||
		strings.HasPrefix(p, "src/test/") || strings.Contains(p, "/src/test/")
}

func inVendor(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if strings.EqualFold(seg, "vendor") || strings.EqualFold(seg, "third_party") {
			return true
		}
	}
	return false
}

// shebangShell returns the shell a "#!" first line names ("#!/bin/bash",
// "#!/usr/bin/env sh -e"), or "".
func shebangShell(content []byte, shells []string) string {
	line, _, _ := strings.Cut(string(content[:min(len(content), 256)]), "\n")
	rest, ok := strings.CutPrefix(line, "#!")
	if !ok {
		return ""
	}
	parts := strings.Split(strings.TrimRight(rest, "\r"), " ")
	for _, sh := range shells {
		if len(parts) >= 1 && isBinaryName(sh, parts[0]) {
			return sh
		}
		if len(parts) >= 2 && isBinaryName("env", parts[0]) && isBinaryName(sh, parts[1]) {
			return sh
		}
	}
	return ""
}

// hasCommands reports whether content has a line that is neither blank nor
// a comment.
func hasCommands(content []byte) bool {
	for _, l := range strings.Split(string(content), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return true
		}
	}
	return false
}

// analyse reads one file; a panic in the analysis becomes a problem.
func (x *extraction) analyse(k kind, p string, content []byte) {
	defer func() {
		if r := recover(); r != nil {
			x.problem(catalog.ProblemInternal, p, fmt.Sprintf("analysis crashed: %v", r))
		}
	}()
	switch k {
	case workflowFile:
		x.workflow(p, content)
	case dockerfile:
		x.dockerfile(p, content)
	case shellScript:
		if err := x.newShellScan(p).script(content, 1); err != nil {
			x.problem(catalog.ProblemParse, p, "shell script not analysed: "+err.Error())
		}
	}
}

// Extract reads the tree's workflows, Dockerfiles and shell scripts and
// returns one fact per dependency they fetch (pinned or not, in file
// order), a FilePinningSources fact counting the files read, and the
// problems met. It stops, with what it has, when ctx is done.
func Extract(ctx context.Context, t repofs.Tree) ([]catalog.FileFact, []catalog.Problem) {
	x := &extraction{}
	sources := 0
	for _, f := range t.Files() {
		if ctx.Err() != nil {
			x.problem(catalog.ProblemTimeout, "", "stopped before the end: "+ctx.Err().Error())
			break
		}
		if f.Symlink || f.Submodule {
			continue
		}
		k := classify(f.Path)
		if k == notRead {
			continue
		}
		if f.Size > maxFile {
			if k != maybeShellScript {
				x.problem(catalog.ProblemTooLarge, f.Path, fmt.Sprintf("%d bytes, more than the %d read; not read", f.Size, maxFile))
			}
			continue
		}
		if sources >= maxSources {
			x.problem(catalog.ProblemTooLarge, f.Path, fmt.Sprintf("more than %d workflows, Dockerfiles and scripts; the rest were not read", maxSources))
			break
		}
		content, err := t.ReadFile(f.Path, maxFile)
		if err != nil {
			if k != maybeShellScript {
				x.problem(catalog.ProblemUnreadable, f.Path, err.Error())
			}
			continue
		}
		switch k {
		case maybeShellScript, shellScript:
			// A shebang decides; without one, the extension does.
			if bytes.HasPrefix(content, []byte("#!")) && shebangShell(content, supportedShells) == "" ||
				k == maybeShellScript && shebangShell(content, supportedShells) == "" {
				continue
			}
			k = shellScript
		case dockerfile:
			// A file with a shell's shebang is a script, whatever its name.
			if shebangShell(content, shellInterpreters) != "" {
				continue
			}
		}
		sources++
		x.analyse(k, f.Path, content)
	}
	facts := make([]catalog.FileFact, 0, len(x.deps)+1)
	for _, d := range x.deps {
		facts = append(facts, d.Fact())
	}
	if sources > 0 {
		facts = append(facts, catalog.FileFact{Kind: catalog.FilePinningSources, Path: strconv.Itoa(sources)})
	}
	if x.truncated {
		x.problems = append(x.problems, catalog.Problem{Kind: catalog.ProblemTooLarge,
			Message: fmt.Sprintf("pinned dependencies: more than %d found; the rest were not recorded", maxFacts)})
	}
	if x.more > 0 {
		x.problems = append(x.problems, catalog.Problem{Kind: catalog.ProblemParse,
			Message: fmt.Sprintf("pinned dependencies: %d more problems not shown", x.more)})
	}
	return facts, x.problems
}
