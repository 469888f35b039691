package deps

import (
	"context"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/workflow"
)

// isActionsFile matches GitHub Actions workflows and action metadata files:
// see workflow.IsActionsFile.
func isActionsFile(p string) bool { return workflow.IsActionsFile(p) }

// parseActions reads the actions a workflow or an action uses: jobs' "uses"
// (reusable workflows) and steps' "uses" in a workflow; the steps of a
// composite action and the image of a Docker action in action.yml. Each is
// a direct dependency of scope build, of the GitHub Actions ecosystem,
// named "owner/repo" and versioned by the ref it is pinned to (a tag,
// branch or commit); an action in a sub-directory keeps the path in its
// PURL. "docker://image" references are Docker images. Local actions
// ("./path") and references built from expressions are skipped. The file
// is read as a YAML node tree by package workflow, whose limits apply.
func parseActions(_ context.Context, in *input, data []byte) (out output, err error) {
	out = output{knowsDirect: true}
	root, err := workflow.Parse(data)
	if err != nil || root == nil {
		return out, err
	}
	var uses []string
	steps := func(n *yaml.Node) {
		for _, s := range workflow.Seq(n) {
			if u, ok := workflow.Scalar(workflow.MapValue(s, "uses")); ok {
				uses = append(uses, u)
			}
		}
	}
	b := path.Base(in.path)
	if b == "action.yml" || b == "action.yaml" {
		runs := workflow.MapValue(root, "runs")
		steps(workflow.MapValue(runs, "steps"))
		if img, ok := workflow.Scalar(workflow.MapValue(runs, "image")); ok {
			uses = append(uses, img)
		}
	} else {
		_, jobs := workflow.Pairs(workflow.MapValue(root, "jobs"))
		for _, job := range jobs {
			if u, ok := workflow.Scalar(workflow.MapValue(job, "uses")); ok {
				uses = append(uses, u)
			}
			steps(workflow.MapValue(job, "steps"))
		}
	}
	for _, u := range uses {
		if d, ok := actionDep(strings.TrimSpace(u)); ok {
			out.deps = append(out.deps, d)
		}
	}
	return out, nil
}

// actionDep turns a "uses" value into a dependency.
func actionDep(uses string) (catalog.Dependency, bool) {
	if uses == "" || strings.Contains(uses, "${{") || strings.HasPrefix(uses, ".") || strings.HasPrefix(uses, "/") {
		return catalog.Dependency{}, false
	}
	if img, ok := strings.CutPrefix(uses, "docker://"); ok {
		d, ok := imageDep(img)
		if ok {
			d.Direct, d.Scope = true, catalog.ScopeBuild
		}
		return d, ok
	}
	ref := ""
	if i := strings.LastIndexByte(uses, '@'); i > 0 {
		uses, ref = uses[:i], uses[i+1:]
	}
	owner, rest, ok := strings.Cut(uses, "/")
	if !ok || owner == "" || rest == "" || ref == "" {
		return catalog.Dependency{}, false
	}
	repo, _, _ := strings.Cut(rest, "/")
	if repo == "" {
		return catalog.Dependency{}, false
	}
	d := newDep(ecoActions, owner+"/"+repo, ref)
	d.PURL = makePURL(ecoActions, uses, ref, nil) // keeps the sub-directory
	d.Direct, d.Scope = true, catalog.ScopeBuild
	return d, d.PURL != ""
}
