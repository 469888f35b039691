// Portions of this file are derived from OpenSSF Scorecard
// (checks/raw/pinned_dependencies.go, checks/fileparser/github_workflow.go),
// Copyright OpenSSF Scorecard Authors, licensed under the Apache License,
// Version 2.0.

package pinning

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/workflow"
	"github.com/ospo-project/ospo/internal/lazyre"
)

var (
	// githubExpr is a ${{ … }} expression's braces: replaced before the
	// shell parses the script, as Scorecard does.
	githubExpr = lazyre.New(`{{[^{}]*}}`)
	// stepOnWindows are the `if:` conditions that put a step on Windows.
	stepOnWindows = []*lazyre.Regexp{
		lazyre.New(`(?i)runner\.os\s*==\s*['"]windows['"]`),
		lazyre.New(`(?i)\$\{\{\s*startsWith\(runner\.os,\s*['"]windows['"]\)`),
		lazyre.New(`(?i)matrix\.os\s*==\s*['"]windows-`),
	}
)

// workflow analyses the run steps of a GitHub workflow. Downloaded files are
// remembered across one job's steps.
func (x *extraction) workflow(p string, content []byte) {
	if !hasCommands(content) {
		return
	}
	root, err := workflow.Parse(content)
	if err != nil {
		x.problem(catalog.ProblemParse, p, "workflow does not parse: "+err.Error())
		return
	}
	if root == nil {
		return
	}
	wfShell := runShell(root)
	_, jobs := workflow.Pairs(workflow.MapValue(root, "jobs"))
	for _, job := range jobs {
		scan := x.newShellScan(p)
		jobShell := runShell(job)
		for _, step := range workflow.Seq(workflow.MapValue(job, "steps")) {
			if x.full() {
				return
			}
			run := workflow.MapValue(step, "run")
			if run == nil || run.Kind != yaml.ScalarNode {
				continue
			}
			shell, ok := stepShell(step, job, jobShell, wfShell)
			if !ok || !isAnyBinary(supportedShells, shell) {
				continue
			}
			script := githubExpr.ReplaceAllLiteralString(run.Value, "GITHUB_REDACTED_VAR")
			first := run.Line
			if run.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				first++ // a block scalar starts on the line after "run: |"
			}
			if err := scan.script([]byte(script), first); err != nil {
				x.problem(catalog.ProblemParse, p, "run step not analysed: "+err.Error())
			}
		}
	}
}

// runShell returns defaults.run.shell of a workflow or job, or "".
func runShell(n *yaml.Node) string {
	s, _ := workflow.Scalar(workflow.MapValue(workflow.MapValue(workflow.MapValue(n, "defaults"), "run"), "shell"))
	return s
}

// stepShell returns the program that runs a step: its own shell, the job's
// default, the workflow's default (which Scorecard does not read), else
// pwsh on Windows and bash elsewhere. It reports false when the runner's
// system cannot be told (runs-on a matrix without its os values): such a
// step is skipped, as in Scorecard.
func stepShell(step, job *yaml.Node, jobShell, wfShell string) (string, bool) {
	sh, _ := workflow.Scalar(workflow.MapValue(step, "shell"))
	for _, s := range []string{sh, jobShell, wfShell} {
		if f := strings.Fields(s); len(f) > 0 {
			// "bash -e {0}" runs bash: Scorecard compares the whole
			// string, and so skips such steps.
			return f[0], true
		}
	}
	if cond, ok := workflow.Scalar(workflow.MapValue(step, "if")); ok {
		for _, re := range stepOnWindows {
			if re.MatchString(cond) {
				return "pwsh", true
			}
		}
	}
	oses, ok := jobOSes(job)
	if !ok {
		return "", false
	}
	for _, os := range oses {
		if !strings.HasPrefix(strings.ToLower(os), "windows") {
			return "bash", true
		}
	}
	return "pwsh", true // every runner is Windows (or none is named)
}

// jobOSes returns the runner labels of a job: runs-on, or the matrix's os
// values when runs-on is ${{ matrix.os }}.
func jobOSes(job *yaml.Node) ([]string, bool) {
	runsOn := workflow.MapValue(job, "runs-on")
	if g := workflow.MapValue(runsOn, "labels"); g != nil {
		runsOn = g
	}
	var labels []string
	if s, ok := workflow.Scalar(runsOn); ok {
		labels = []string{s}
	}
	for _, n := range workflow.Seq(runsOn) {
		if s, ok := workflow.Scalar(n); ok {
			labels = append(labels, s)
		}
	}
	if len(labels) != 1 || !strings.Contains(labels[0], "matrix.os") {
		return labels, true
	}
	matrix := workflow.MapValue(workflow.MapValue(job, "strategy"), "matrix")
	var oses []string
	for _, n := range workflow.Seq(workflow.MapValue(matrix, "os")) {
		if s, ok := workflow.Scalar(n); ok {
			oses = append(oses, strings.Trim(s, `'"`))
		}
	}
	for _, inc := range workflow.Seq(workflow.MapValue(matrix, "include")) {
		if s, ok := workflow.Scalar(workflow.MapValue(inc, "os")); ok {
			oses = append(oses, strings.Trim(s, `'"`))
		}
	}
	return oses, len(oses) > 0
}
