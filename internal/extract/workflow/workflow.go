// Package workflow reads GitHub Actions workflow files (and action.yml
// metadata) as YAML node trees, for the extractors that need them: the
// actions a workflow uses (../deps) and the commands its run steps execute
// (../pinning).
//
// A workflow is hostile input. It is decoded into a yaml.Node tree, never
// into Go values, so aliases are not expanded ("billion laughs" costs
// nothing); the YAML library rejects nesting deeper than 10,000 levels; a
// panic in the library becomes an error. Callers walk the tree through
// MapValue and Seq, which resolve one alias at a time and never recurse, and
// cap the file's size before parsing it.
package workflow

import (
	"errors"
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Parse decodes a workflow or action file and returns its root mapping; nil
// for an empty document. It returns an error for YAML that does not parse
// or whose root is not a mapping.
func Parse(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root = resolve(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, errors.New("not a mapping")
	}
	return root, nil
}

// resolve follows an alias to its anchor, once.
func resolve(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// MapValue returns the value of key in a YAML mapping, aliases resolved, or
// nil when n is not a mapping or has no such key.
func MapValue(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return resolve(n.Content[i+1])
		}
	}
	return nil
}

// Scalar returns the value of a scalar node (an alias resolved) and true,
// or "" and false for anything else.
func Scalar(n *yaml.Node) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

// Seq returns the items of a sequence node, aliases resolved; nil for
// anything else.
func Seq(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = resolve(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// Pairs returns the keys and values of a mapping node, in order, values'
// aliases resolved; nil for anything else.
func Pairs(n *yaml.Node) (keys []string, values []*yaml.Node) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || v == nil {
			continue
		}
		keys = append(keys, k.Value)
		values = append(values, v)
	}
	return keys, values
}

// IsWorkflowFile reports whether p is a workflow GitHub runs: a .yml or
// .yaml file directly in the repository's .github/workflows directory
// (compared case-insensitively, as OpenSSF Scorecard does).
func IsWorkflowFile(p string) bool {
	switch path.Ext(p) {
	case ".yml", ".yaml":
		return strings.ToLower(path.Dir(p)) == ".github/workflows"
	}
	return false
}

// IsActionsFile reports whether p is a workflow (.github/workflows/*.yml or
// .yaml, at the repository root or in a nested project) or an action's
// metadata file (action.yml, action.yaml), whose composite steps use other
// actions.
func IsActionsFile(p string) bool {
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
