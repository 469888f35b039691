package config

import (
	"fmt"
	"strings"
)

// Licensing is the licence policy (ospo.yaml "licensing:"). The zero value
// is the default policy; see docs/licensing.md.
type Licensing struct {
	// Strict makes unknown licences violations rather than warnings.
	Strict bool `yaml:"strict" json:"strict,omitempty"`
	// Online lets `ospo check` and `ospo licenses` ask package registries
	// for licences the lockfiles and local caches do not record.
	Online bool `yaml:"online" json:"online,omitempty"`
	// NoDefaultRules drops the built-in rules, leaving only Rules.
	NoDefaultRules bool `yaml:"no_default_rules" json:"no_default_rules,omitempty"`
	// Categories puts licence identifiers (or LicenseRef-…) in a category,
	// ahead of the built-in table: {"permissive": ["LicenseRef-acme"]}.
	Categories map[string][]string `yaml:"categories" json:"categories,omitempty"`
	// Licenses records the licence of packages no source knows, by purl
	// without version: {"pkg:npm/internal-lib": "MIT"}.
	Licenses map[string]string `yaml:"licenses" json:"licenses,omitempty"`
	// Rules are applied after the default rules, in order: for each
	// category the last rule that applies decides.
	Rules []LicenseRule `yaml:"rules" json:"rules,omitempty"`
	// Exceptions waive the findings of a package.
	Exceptions []LicenseException `yaml:"exceptions" json:"exceptions,omitempty"`
}

// LicenseRule sets what happens to categories in projects of some kinds
// (internal, innersource, opensource) and dependencies of some scopes
// (runtime, dev, test, optional, build); empty lists mean any.
type LicenseRule struct {
	Kinds  []string `yaml:"kinds" json:"kinds,omitempty"`
	Scopes []string `yaml:"scopes" json:"scopes,omitempty"`
	Allow  []string `yaml:"allow" json:"allow,omitempty"`
	Info   []string `yaml:"info" json:"info,omitempty"`
	Warn   []string `yaml:"warn" json:"warn,omitempty"`
	Deny   []string `yaml:"deny" json:"deny,omitempty"`
}

// LicenseException waives the licence findings of one package.
type LicenseException struct {
	// Package is a purl, with or without version.
	Package string `yaml:"package" json:"package"`
	// Versions limits the exception to a range: ">=1.0.0, <2.0.0".
	Versions   string `yaml:"versions" json:"versions,omitempty"`
	Reason     string `yaml:"reason" json:"reason"`
	ApprovedBy string `yaml:"approved_by" json:"approved_by"`
	// Expires is the last day the exception applies; empty means never.
	Expires Date `yaml:"expires" json:"expires,omitzero"`
}

// LicenseCategories are the category names a policy may use.
var LicenseCategories = []string{"permissive", "weak-copyleft", "strong-copyleft", "network-copyleft",
	"non-commercial", "proprietary", "other", "unknown"}

var validKinds = []string{"internal", "innersource", "opensource"}
var validScopes = []string{"runtime", "dev", "test", "optional", "build"}

// Validate reports the first mistake in the licensing section: an unknown
// category, kind or scope, or an exception without a package, reason or
// approver.
func (l Licensing) Validate() error {
	for cat := range l.Categories {
		if !oneOf(cat, LicenseCategories) {
			return fmt.Errorf("licensing.categories: unknown category %q (want one of %s)", cat, strings.Join(LicenseCategories, ", "))
		}
	}
	for i, r := range l.Rules {
		for _, k := range r.Kinds {
			if !oneOf(k, validKinds) {
				return fmt.Errorf("licensing.rules[%d]: unknown kind %q (want one of %s)", i, k, strings.Join(validKinds, ", "))
			}
		}
		for _, s := range r.Scopes {
			if !oneOf(s, validScopes) {
				return fmt.Errorf("licensing.rules[%d]: unknown scope %q (want one of %s)", i, s, strings.Join(validScopes, ", "))
			}
		}
		for _, list := range [][]string{r.Allow, r.Info, r.Warn, r.Deny} {
			for _, c := range list {
				if !oneOf(c, LicenseCategories) {
					return fmt.Errorf("licensing.rules[%d]: unknown category %q (want one of %s)", i, c, strings.Join(LicenseCategories, ", "))
				}
			}
		}
	}
	for i, x := range l.Exceptions {
		switch {
		case !strings.HasPrefix(x.Package, "pkg:"):
			return fmt.Errorf("licensing.exceptions[%d]: package must be a purl (pkg:npm/name), got %q", i, x.Package)
		case strings.TrimSpace(x.Reason) == "":
			return fmt.Errorf("licensing.exceptions[%d] (%s): a reason is required", i, x.Package)
		case strings.TrimSpace(x.ApprovedBy) == "":
			return fmt.Errorf("licensing.exceptions[%d] (%s): approved_by is required", i, x.Package)
		}
	}
	return nil
}

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
