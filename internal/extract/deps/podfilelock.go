package deps

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// parsePodfileLock reads a CocoaPods Podfile.lock. PODS lists every pod
// installed, as "Name (version)" with what it depends on below it;
// DEPENDENCIES what the Podfile asks for (the direct ones); EXTERNAL
// SOURCES the pods not taken from a spec repository.
//
// A subspec ("Firebase/Core", "React-Core/Default") is part of its pod at
// the pod's version: the pod is recorded once, under its root name (its
// PURL names no subspec). Pods installed from a local path (":path:" in
// EXTERNAL SOURCES: the repository's own code, or a pod inside another
// package manager's tree such as node_modules) are not dependencies; pods
// from a podspec file or a git repository are, at their recorded version.
// The SPEC CHECKSUMS are checksums of the podspecs, not of the pods'
// files, so they are not kept as hashes.
func parsePodfileLock(_ context.Context, _ *input, data []byte) (out output, err error) {
	out = output{family: "cocoapods", knowsDirect: true}
	// The decoder's panics on hostile input, here or in the walk below,
	// become an error.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	root, err := yamlMapping(data)
	if err != nil || root == nil {
		return out, err
	}
	var pods, direct, external *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "PODS":
			pods = root.Content[i+1]
		case "DEPENDENCIES":
			direct = root.Content[i+1]
		case "EXTERNAL SOURCES":
			external = root.Content[i+1]
		}
	}
	if pods == nil {
		return out, nil
	}
	if pods.Kind != yaml.SequenceNode {
		return out, fmt.Errorf("line %d: PODS is not a list", pods.Line)
	}
	local := map[string]bool{}
	if external != nil && external.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(external.Content); i += 2 {
			var src map[string]string
			if external.Content[i+1].Decode(&src) == nil && src[":path"] != "" {
				local[podRoot(external.Content[i].Value)] = true
			}
		}
	}
	type pod struct {
		index int
		needs []string // root names
	}
	byName := map[string]*pod{}
	var order []string
	var errs []error
	for _, item := range pods.Content {
		spec, children := item, (*yaml.Node)(nil)
		if item.Kind == yaml.MappingNode && len(item.Content) == 2 {
			spec, children = item.Content[0], item.Content[1]
		}
		if spec.Kind != yaml.ScalarNode {
			errs = append(errs, fmt.Errorf("line %d: not a pod", item.Line))
			continue
		}
		name, version, ok := podSpec(spec.Value)
		if !ok || version == "" {
			errs = append(errs, fmt.Errorf("line %d: pod %q has no version", spec.Line, spec.Value))
			continue
		}
		r := podRoot(name)
		p := byName[r]
		if p == nil {
			p = &pod{index: -1}
			byName[r] = p
			order = append(order, r)
			if !local[r] {
				p.index = len(out.deps)
				out.deps = append(out.deps, newDep(ecoPods, r, version))
			}
		}
		if children != nil && children.Kind == yaml.SequenceNode {
			for _, c := range children.Content {
				if c.Kind != yaml.ScalarNode {
					continue
				}
				if n, _, ok := podSpec(c.Value); ok && podRoot(n) != r {
					p.needs = append(p.needs, podRoot(n))
				}
			}
		}
	}
	if direct != nil && direct.Kind == yaml.SequenceNode {
		for _, c := range direct.Content {
			if c.Kind != yaml.ScalarNode {
				continue
			}
			if n, _, ok := podSpec(c.Value); ok {
				if p := byName[podRoot(n)]; p != nil && p.index >= 0 {
					out.deps[p.index].Direct = true
				}
			}
		}
	}
	for _, r := range order {
		p := byName[r]
		if p.index < 0 {
			continue
		}
		seen := map[string]bool{}
		for _, n := range p.needs {
			t := byName[n]
			if t == nil || t.index < 0 || seen[n] {
				continue
			}
			seen[n] = true
			out.deps[p.index].DependsOn = append(out.deps[p.index].DependsOn, out.deps[t.index].PURL)
		}
		sort.Strings(out.deps[p.index].DependsOn)
	}
	return out, errors.Join(errs...)
}

// podSpec splits a Podfile.lock entry, "Name (1.2.3)", "Name (= 1.2.3)",
// "Name (from `../path`)" or "Name", into the name and what is in
// parentheses when it is a version (without an "=").
func podSpec(s string) (name, version string, ok bool) {
	name, rest, hasParen := strings.Cut(strings.TrimSpace(s), " (")
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, " \t") {
		return "", "", false
	}
	if !hasParen {
		return name, "", true
	}
	rest, closed := strings.CutSuffix(rest, ")")
	if !closed {
		return "", "", false
	}
	if strings.HasPrefix(rest, "from ") || strings.ContainsAny(rest, "<>~,") {
		return name, "", true
	}
	version = strings.TrimSpace(strings.TrimPrefix(rest, "="))
	return name, version, true
}

// podRoot is the pod of a subspec: "Firebase/Core" → "Firebase".
func podRoot(name string) string {
	r, _, _ := strings.Cut(name, "/")
	return r
}
