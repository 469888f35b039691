package deps

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
)

// isActionsFile matches GitHub Actions workflows (.github/workflows/*.yml
// or .yaml, at the repository root or in a nested project) and action
// metadata files (action.yml, action.yaml), whose composite steps use other
// actions.
func isActionsFile(p string) bool {
	b := path.Base(p)
	if b == "action.yml" || b == "action.yaml" {
		return true
	}
	ext := path.Ext(b)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	dir := path.Dir(p)
	return dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows")
}

// parseActions reads the actions a workflow or an action uses: jobs' "uses"
// (reusable workflows) and steps' "uses" in a workflow; the steps of a
// composite action and the image of a Docker action in action.yml. Each is
// a direct dependency of scope build, of the GitHub Actions ecosystem,
// named "owner/repo" and versioned by the ref it is pinned to (a tag,
// branch or commit); an action in a sub-directory keeps the path in its
// PURL. "docker://image" references are Docker images. Local actions
// ("./path") and references built from expressions are skipped.
func parseActions(_ context.Context, in *input, data []byte) (out output, err error) {
	out = output{knowsDirect: true}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return out, err
	}
	if len(doc.Content) == 0 {
		return out, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return out, errors.New("not a mapping")
	}
	var uses []*yaml.Node
	steps := func(n *yaml.Node) {
		if n == nil || n.Kind != yaml.SequenceNode {
			return
		}
		for _, s := range n.Content {
			if u := mapValue(s, "uses"); u != nil {
				uses = append(uses, u)
			}
		}
	}
	b := path.Base(in.path)
	if b == "action.yml" || b == "action.yaml" {
		runs := mapValue(root, "runs")
		steps(mapValue(runs, "steps"))
		if img := mapValue(runs, "image"); img != nil {
			uses = append(uses, img)
		}
	} else if jobs := mapValue(root, "jobs"); jobs != nil && jobs.Kind == yaml.MappingNode {
		for i := 1; i < len(jobs.Content); i += 2 {
			job := jobs.Content[i]
			if u := mapValue(job, "uses"); u != nil {
				uses = append(uses, u)
			}
			steps(mapValue(job, "steps"))
		}
	}
	for _, u := range uses {
		if u.Kind == yaml.AliasNode && u.Alias != nil {
			u = u.Alias
		}
		if u.Kind != yaml.ScalarNode {
			continue
		}
		if d, ok := actionDep(strings.TrimSpace(u.Value)); ok {
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

// mapValue returns the value of key in a YAML mapping, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.ScalarNode && n.Content[i].Value == key {
			v := n.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}
