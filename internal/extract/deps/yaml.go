package deps

import (
	"errors"

	"go.yaml.in/yaml/v3"
)

// yamlMapping parses data as one YAML document and returns its root mapping,
// or nil for an empty document. The caller recovers the decoder's panics.
func yamlMapping(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	if doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a mapping")
	}
	return doc.Content[0], nil
}
