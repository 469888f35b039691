package license

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"MIT", "MIT"},
		{"mit", "MIT"},
		{"(MIT OR Apache-2.0)", "MIT OR Apache-2.0"},
		{"MIT AND (Apache-2.0 OR BSD-3-Clause)", "MIT AND (Apache-2.0 OR BSD-3-Clause)"},
		{"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"},
		{"GPL-2.0+", "GPL-2.0+"},
		{"LicenseRef-acme", "LicenseRef-acme"},
		{"MIT or Apache-2.0", "MIT OR Apache-2.0"},
		{"MIT OR Apache-2.0 OR ISC", "MIT OR Apache-2.0 OR ISC"},
		{"MIT OR (Apache-2.0 OR ISC)", "MIT OR (Apache-2.0 OR ISC)"}, // printed as grouped, so it parses back the same
	}
	for _, tc := range tests {
		e, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := e.String(); got != tc.want {
			t.Errorf("Parse(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "MIT OR", "(MIT", "MIT AND AND GPL-3.0", "WITH x", "MIT)", "M I T!", "Apache 2.0"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", bad)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"MIT": "MIT", "Apache 2.0": "Apache-2.0", "(MIT OR Apache-2.0)": "MIT OR Apache-2.0",
		"GPL-3.0": "GPL-3.0-only", "UNLICENSED": "LicenseRef-UNLICENSED", "BSD": "", "GPL": "",
		"SEE LICENSE IN LICENSE.txt": "", "Custom": "", "MIT AND Foo-1.0": "", "The MIT License": "MIT",
		"GPL-1.0": "GPL-1.0-only", "GPL-2.0+": "GPL-2.0-or-later", "GFDL-1.3": "GFDL-1.3-only", "LGPL-2.0": "LGPL-2.0-only",
		"Apache-2.0+": "Apache-2.0+", "GPLv3+": "GPL-3.0-or-later", "LGPL-2.1+ OR MIT": "LGPL-2.1-or-later OR MIT",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCategory(t *testing.T) {
	var c Classifier
	tests := []struct{ id, exc, want string }{
		{"MIT", "", Permissive}, {"Apache-2.0", "", Permissive}, {"BSD-3-Clause", "", Permissive}, {"ISC", "", Permissive},
		{"0BSD", "", Permissive}, {"Unlicense", "", Permissive}, {"CC0-1.0", "", Permissive}, {"Zlib", "", Permissive},
		{"LGPL-2.1-only", "", WeakCopyleft}, {"MPL-2.0", "", WeakCopyleft}, {"EPL-2.0", "", WeakCopyleft},
		{"GPL-3.0-only", "", StrongCopyleft}, {"GPL-2.0-or-later", "", StrongCopyleft},
		{"GPL-2.0-only", "Classpath-exception-2.0", WeakCopyleft},
		{"AGPL-3.0-only", "", NetworkCopyleft}, {"SSPL-1.0", "", NetworkCopyleft},
		{"CC-BY-NC-4.0", "", NonCommercial}, {"BUSL-1.1", "", Proprietary}, {"LicenseRef-UNLICENSED", "", Proprietary},
		{"LicenseRef-acme", "", Unknown}, {"GPL-9.9-made-up", "", Unknown}, {"unknown", "", Unknown},
	}
	for _, tc := range tests {
		if got := c.Category(tc.id, tc.exc); got != tc.want {
			t.Errorf("Category(%q, %q) = %q, want %q", tc.id, tc.exc, got, tc.want)
		}
	}
	over := Classifier{Overrides: map[string]string{"LicenseRef-acme": Permissive}}
	if got := over.Category("LicenseRef-ACME", ""); got != Permissive {
		t.Errorf("override = %q", got)
	}
}

func TestDecide(t *testing.T) {
	def := DefaultPolicy()
	strict := DefaultPolicy()
	strict.Strict = true
	service := DefaultPolicy()
	service.Rules = append(service.Rules, Rule{Kinds: []string{catalog.KindInternal}, Actions: map[string]Action{StrongCopyleft: Allow}})
	tests := []struct {
		name        string
		pol         Policy
		kind, scope string
		expr        string
		want        Action
	}{
		{"permissive", def, "", "runtime", "MIT", Allow},
		{"GPL runtime", def, "", "runtime", "GPL-3.0-only", Deny},
		{"GPL unscoped counts as runtime", def, "", "", "GPL-3.0-only", Deny},
		{"GPL dev is info", def, "", "dev", "GPL-3.0-only", Info},
		{"AGPL test is info", def, "", "test", "AGPL-3.0-only", Info},
		{"OR lets the user choose", def, "", "runtime", "GPL-3.0-only OR MIT", Allow},
		{"AND needs both", def, "", "runtime", "MIT AND GPL-3.0-only", Deny},
		{"AND of OR", def, "", "runtime", "(GPL-3.0-only OR MIT) AND (AGPL-3.0-only OR Apache-2.0)", Allow},
		{"WITH classpath", def, "", "runtime", "GPL-2.0-only WITH Classpath-exception-2.0", Warn},
		{"weak copyleft warns", def, "", "runtime", "MPL-2.0", Warn},
		{"unknown warns", def, "", "runtime", "unknown", Warn},
		{"unparseable is unknown", def, "", "runtime", "Apache 2", Warn},
		{"strict unknown denies", strict, "", "runtime", "unknown", Deny},
		{"strict unknown in dev stays info", strict, "", "dev", "unknown", Info},
		{"internal service may use GPL", service, catalog.KindInternal, "runtime", "GPL-3.0-only", Allow},
		{"open source project may not", service, catalog.KindOpenSource, "runtime", "GPL-3.0-only", Deny},
		{"internal service still no AGPL", service, catalog.KindInternal, "runtime", "AGPL-3.0-only", Deny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.pol.Decide(tc.kind, tc.scope, tc.expr); got.Action != tc.want {
				t.Errorf("Decide(%q) = %+v, want %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	dep := func(name, version, scope string, lic ...string) catalog.Dependency {
		return catalog.Dependency{PURL: "pkg:npm/" + name + "@" + version, Ecosystem: "npm", Name: name, Version: version,
			Scope: scope, Manifest: "package-lock.json", Licenses: lic}
	}
	p := &catalog.Project{Kind: catalog.KindInternal, License: &catalog.ProjectLicense{Expression: "MIT"},
		Dependencies: []catalog.Dependency{
			dep("lodash", "4.17.21", "runtime", "MIT"),
			dep("gpl-lib", "1.2.0", "runtime", "GPL-3.0-only"),
			dep("gpl-old", "0.9.0", "runtime", "GPL-2.0-only"),
			dep("gpl-range", "2.5.0", "runtime", "GPL-2.0-only"),
			dep("mystery", "1.0.0", "runtime"),
			dep("agpl-tool", "1.0.0", "dev", "AGPL-3.0-only"),
			dep("gpl-lib", "1.2.0", "runtime", "GPL-3.0-only"), // listed twice: one result
			{PURL: "pkg:githubactions/actions/checkout@v4", Ecosystem: "GitHub Actions", Name: "actions/checkout", Version: "v4", Scope: "build"},
		}}
	pol := DefaultPolicy()
	pol.Exceptions = []Exception{
		{Package: "pkg:npm/gpl-lib", Reason: "used only in the CLI we do not ship", ApprovedBy: "legal", Expires: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)},
		{Package: "pkg:npm/gpl-old", Reason: "migrating away", ApprovedBy: "legal", Expires: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)},
		{Package: "pkg:npm/gpl-range", Versions: ">=1.0.0, <2.0.0", Reason: "old major only", ApprovedBy: "legal"},
	}
	res := Evaluate(p, pol, now)
	type short struct{ Sev, Rule, PURL, Suppressed string }
	var got []short
	for _, f := range res.Findings {
		got = append(got, short{f.Severity, f.Rule, f.PURL, f.SuppressedBy})
	}
	want := []short{
		{"violation", "license/strong-copyleft", "pkg:npm/gpl-lib@1.2.0", "exception approved by legal: used only in the CLI we do not ship (until 2025-12-31)"},
		{"violation", "license/strong-copyleft", "pkg:npm/gpl-old@0.9.0", ""},
		{"violation", "license/strong-copyleft", "pkg:npm/gpl-range@2.5.0", ""},
		{"warning", "license/exception-expired", "pkg:npm/gpl-old@0.9.0", ""},
		{"warning", "license/unknown", "pkg:npm/mystery@1.0.0", ""},
		{"info", "license/network-copyleft", "pkg:npm/agpl-tool@1.0.0", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if res.Violations() != 2 {
		t.Errorf("Violations = %d, want 2 (the suppressed one does not count)", res.Violations())
	}
	if len(res.Licenses) != 6 {
		t.Errorf("licences = %d entries, want 6 (duplicates and actions left out): %+v", len(res.Licenses), res.Licenses)
	}
	// The exception applies again once the version is in range.
	p.Dependencies[3] = dep("gpl-range", "1.5.0", "runtime", "GPL-2.0-only")
	if res := Evaluate(p, pol, now); res.Violations() != 1 {
		t.Errorf("with gpl-range 1.5.0: %d violations, want 1", res.Violations())
	}
	// An exception scoped to projects applies to those only.
	p.Key = "github.com/acme/cli"
	pol.Exceptions[2].Projects = []string{"github.com/acme/other"}
	if res := Evaluate(p, pol, now); res.Violations() != 2 {
		t.Errorf("gpl-range excepted for another project: %d violations, want 2", res.Violations())
	}
	pol.Exceptions[2].Projects = []string{"github.com/acme/other", "github.com/acme/cli"}
	if res := Evaluate(p, pol, now); res.Violations() != 1 {
		t.Errorf("gpl-range excepted for this project: %d violations, want 1", res.Violations())
	}
	// Without a licence of its own, an open source project gets a warning.
	p.License, p.Kind = nil, catalog.KindOpenSource
	res = Evaluate(p, pol, now)
	found := false
	for _, f := range res.Findings {
		found = found || (f.Rule == RuleProjectUnknown && f.Severity == catalog.SeverityWarning)
	}
	if !found {
		t.Errorf("no project-unknown warning: %+v", res.Findings)
	}
}
