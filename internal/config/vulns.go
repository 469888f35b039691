package config

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Vulns tunes vulnerability findings.
type Vulns struct {
	// Ignore lists accepted findings: they are still shown, as suppressed,
	// and no longer fail a gate.
	Ignore []VulnIgnore `yaml:"ignore" json:"ignore,omitempty"`
}

// VulnIgnore suppresses the findings of an advisory (by id or alias),
// of a package, or of an advisory in one package, until it expires.
type VulnIgnore struct {
	// ID is an advisory id or alias: GHSA-…, CVE-…, GO-…
	ID string `yaml:"id" json:"id,omitempty"`
	// Package is a package name (lodash, org.example:lib) or a purl
	// without version.
	Package    string `yaml:"package" json:"package,omitempty"`
	Reason     string `yaml:"reason" json:"reason,omitempty"`
	ApprovedBy string `yaml:"approved_by" json:"approved_by,omitempty"`
	// Expires is the date (2006-01-02) or time (RFC 3339) from which the
	// rule no longer applies; empty means never.
	Expires Date `yaml:"expires" json:"expires,omitzero"`
}

// Date is a time written as 2006-01-02 or RFC 3339 in YAML.
type Date struct{ time.Time }

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Value == "" {
		return nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, n.Value); err == nil {
			d.Time = t
			return nil
		}
	}
	return fmt.Errorf("line %d: %q is not a date (2006-01-02)", n.Line, n.Value)
}
