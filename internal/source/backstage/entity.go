// Package backstage speaks Backstage's software catalogue format: it exports
// ospo's catalogue as Backstage entities (Component, System, API, Group,
// User, with their ownedBy, partOf, dependsOn and memberOf relations) that a
// Backstage instance can ingest, and it imports the entities of a Backstage
// instance (its /api/catalog/entities) as facts beside the scanned projects.
//
// Entities follow Backstage's descriptor format
// (https://backstage.io/docs/features/software-catalog/descriptor-format);
// the tests validate every exported entity against Backstage's published
// JSON schemas (testdata/schema).
package backstage

import (
	"strings"
)

// APIVersion is the apiVersion of every entity ospo writes.
const APIVersion = "backstage.io/v1alpha1"

// Entity kinds ospo reads and writes.
const (
	KindComponent = "Component"
	KindSystem    = "System"
	KindAPI       = "API"
	KindGroup     = "Group"
	KindUser      = "User"
)

// Relation types ospo writes (Backstage's names).
const (
	RelOwnedBy   = "ownedBy"
	RelPartOf    = "partOf"
	RelDependsOn = "dependsOn"
	RelMemberOf  = "memberOf"
)

// Annotations ospo reads and writes.
const (
	// AnnotationSourceLocation is where the entity's source code is:
	// "url:https://github.com/acme/x".
	AnnotationSourceLocation = "backstage.io/source-location"
	// AnnotationProjectSlug is GitHub's owner/name.
	AnnotationProjectSlug = "github.com/project-slug"
	// AnnotationProjectKey is the ospo catalogue key of the project a
	// Component was exported from.
	AnnotationProjectKey = "ospo.dev/project-key"
)

// Entity is one Backstage entity document. Spec is one of the *Spec types
// for what ospo writes, or the decoded spec object for entities passed
// through.
type Entity struct {
	APIVersion string     `json:"apiVersion" yaml:"apiVersion"`
	Kind       string     `json:"kind" yaml:"kind"`
	Metadata   Metadata   `json:"metadata" yaml:"metadata"`
	Spec       any        `json:"spec,omitempty" yaml:"spec,omitempty"`
	Relations  []Relation `json:"relations,omitempty" yaml:"relations,omitempty"`
}

// Metadata is an entity's metadata block.
type Metadata struct {
	Name        string            `json:"name" yaml:"name"`
	Namespace   string            `json:"namespace,omitempty" yaml:"namespace,omitempty"`
	Title       string            `json:"title,omitempty" yaml:"title,omitempty"`
	Description string            `json:"description,omitempty" yaml:"description,omitempty"`
	Tags        []string          `json:"tags,omitempty" yaml:"tags,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty" yaml:"annotations,omitempty"`
	Links       []Link            `json:"links,omitempty" yaml:"links,omitempty"`
}

// Link is one of metadata.links.
type Link struct {
	URL   string `json:"url" yaml:"url"`
	Title string `json:"title,omitempty" yaml:"title,omitempty"`
}

// Relation is a typed edge to another entity.
type Relation struct {
	Type   string `json:"type" yaml:"type"`
	Target Ref    `json:"target" yaml:"target"`
}

// Ref is a full entity reference.
type Ref struct {
	Kind      string `json:"kind" yaml:"kind"`
	Namespace string `json:"namespace" yaml:"namespace"`
	Name      string `json:"name" yaml:"name"`
}

// String returns the reference as kind:namespace/name, lower-cased.
func (r Ref) String() string {
	return strings.ToLower(r.Kind + ":" + r.Namespace + "/" + r.Name)
}

// ComponentSpec is a Component's spec.
type ComponentSpec struct {
	Type         string   `json:"type" yaml:"type"`
	Lifecycle    string   `json:"lifecycle" yaml:"lifecycle"`
	Owner        string   `json:"owner" yaml:"owner"`
	System       string   `json:"system,omitempty" yaml:"system,omitempty"`
	ProvidesAPIs []string `json:"providesApis,omitempty" yaml:"providesApis,omitempty"`
	DependsOn    []string `json:"dependsOn,omitempty" yaml:"dependsOn,omitempty"`
}

// SystemSpec is a System's spec.
type SystemSpec struct {
	Owner  string `json:"owner" yaml:"owner"`
	Domain string `json:"domain,omitempty" yaml:"domain,omitempty"`
}

// GroupSpec is a Group's spec; Children must be present, even empty.
type GroupSpec struct {
	Type     string   `json:"type" yaml:"type"`
	Profile  *Profile `json:"profile,omitempty" yaml:"profile,omitempty"`
	Parent   string   `json:"parent,omitempty" yaml:"parent,omitempty"`
	Children []string `json:"children" yaml:"children"`
	Members  []string `json:"members,omitempty" yaml:"members,omitempty"`
}

// UserSpec is a User's spec; MemberOf must be present, even empty.
type UserSpec struct {
	Profile  *Profile `json:"profile,omitempty" yaml:"profile,omitempty"`
	MemberOf []string `json:"memberOf" yaml:"memberOf"`
}

// Profile is a User's or Group's display information.
type Profile struct {
	DisplayName string `json:"displayName,omitempty" yaml:"displayName,omitempty"`
	Email       string `json:"email,omitempty" yaml:"email,omitempty"`
}

// ParseRef reads an entity reference as Backstage writes them in specs:
// "[kind:][namespace/]name", with defaultKind when the kind is left out and
// "default" when the namespace is.
func ParseRef(s, defaultKind string) Ref {
	r := Ref{Kind: defaultKind, Namespace: "default"}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		r.Kind, s = s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		r.Namespace, s = s[:i], s[i+1:]
	}
	r.Name = s
	r.Kind = strings.ToLower(r.Kind)
	return r
}

// Name returns s made into a valid entity name: 1 to 63 characters,
// sequences of [A-Za-z0-9] separated by one of '-', '_' or '.'. Runs of
// other characters become one '-'; an empty result is "unnamed".
func Name(s string) string {
	var b []byte
	var sep byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			if sep != 0 && len(b) > 0 {
				if len(b)+2 > 63 {
					break
				}
				b = append(b, sep)
			}
			if len(b) >= 63 {
				break
			}
			sep = 0
			b = append(b, c)
			continue
		}
		if sep == 0 {
			sep = '-'
			if c == '.' || c == '_' {
				sep = c
			}
		}
	}
	if len(b) == 0 {
		return "unnamed"
	}
	return string(b)
}
