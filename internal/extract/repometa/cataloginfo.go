package repometa

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/lazyre"
)

// maxCatalogDocuments caps the YAML documents read from one catalog-info file.
const maxCatalogDocuments = 1000

// Entity is the part of a Backstage catalog entity (catalog-info.yaml) that
// ospo reads: apiVersion backstage.io/v1alpha1, kind Component (or another
// kind), metadata and spec.
type Entity struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name        string            `yaml:"name"`
		Title       string            `yaml:"title"`
		Description string            `yaml:"description"`
		Tags        []string          `yaml:"tags"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Spec struct {
		Type      string `yaml:"type"`
		Lifecycle string `yaml:"lifecycle"`
		Owner     string `yaml:"owner"`
		System    string `yaml:"system"`
	} `yaml:"spec"`
}

// ParseCatalogInfo reads a catalog-info.yaml file, which may hold several
// YAML documents separated by "---", and returns the entity that describes
// the project: the first of kind Component, else the first entity. It
// returns nil if there is none.
//
// It returns an error for a document it cannot parse (syntax errors, nesting
// deeper than 10,000 levels, excessive aliasing as in a "billion laughs"
// document) or whose fields have the wrong types; the entities read before
// the error, and the fields that could be decoded, are still used. Aliases
// are expanded only into the few fields read, and the YAML library's limits
// on aliasing and depth apply, so a hostile document costs memory and time
// in proportion to its size.
func ParseCatalogInfo(content []byte) (e *Entity, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(content))
	var first *Entity
	var errs []error
	for i := 0; ; i++ {
		if i == maxCatalogDocuments {
			errs = append(errs, fmt.Errorf("more than %d documents; the rest are ignored", maxCatalogDocuments))
			break
		}
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if !errors.Is(err, io.EOF) {
				errs = append(errs, err)
			}
			break
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue // an empty document or one that is not an entity
		}
		var ent Entity
		if err := doc.Decode(&ent); err != nil {
			var te *yaml.TypeError
			if !errors.As(err, &te) {
				errs = append(errs, err)
				continue
			}
			errs = append(errs, err) // partly decoded: keep what we have
		}
		if ent.Kind == "" && ent.APIVersion == "" {
			continue
		}
		if strings.EqualFold(ent.Kind, "Component") {
			return &ent, errors.Join(errs...)
		}
		if first == nil {
			first = &ent
		}
	}
	return first, errors.Join(errs...)
}

// jiraKey is a JIRA project key: an upper-case letter, then upper-case
// letters, digits or underscores (JIRA's default key pattern), at most 30.
var jiraKey = lazyre.New(`^[A-Z][A-Z0-9_]{0,29}$`)

// trackerKeys reads the jira/project-key annotation: one key, or several
// separated by commas (at most 10); anything that is not a JIRA project
// key is left out.
func trackerKeys(v string) []string {
	var keys []string
	for _, k := range strings.Split(v, ",") {
		if k = strings.TrimSpace(k); jiraKey.MatchString(k) && !slices.Contains(keys, k) && len(keys) < 10 {
			keys = append(keys, k)
		}
	}
	return keys
}
