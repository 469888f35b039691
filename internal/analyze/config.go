package analyze

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/license"
	"github.com/ospo-project/ospo/internal/scorecard"
	"github.com/ospo-project/ospo/internal/vuln"
)

// LicensePolicy builds the licence policy from ospo.yaml's licensing
// section; strict forces unknown licences to be violations. An error wraps
// catalog.ErrInvalid.
func LicensePolicy(l config.Licensing, strict bool) (license.Policy, error) {
	if err := l.Validate(); err != nil {
		return license.Policy{}, catalog.Mark(err, catalog.ErrInvalid)
	}
	pol := license.Policy{Strict: strict || l.Strict}
	if !l.NoDefaultRules {
		pol.Rules = license.DefaultRules()
	}
	if len(l.Categories) > 0 {
		pol.Classifier.Overrides = map[string]string{}
		for cat, ids := range l.Categories {
			for _, id := range ids {
				pol.Classifier.Overrides[id] = cat
			}
		}
	}
	for _, r := range l.Rules {
		rule := license.Rule{Kinds: r.Kinds, Scopes: r.Scopes, Actions: map[string]license.Action{}}
		for act, cats := range map[license.Action][]string{license.Allow: r.Allow, license.Info: r.Info, license.Warn: r.Warn, license.Deny: r.Deny} {
			for _, c := range cats {
				rule.Actions[c] = act
			}
		}
		pol.Rules = append(pol.Rules, rule)
	}
	for _, x := range l.Exceptions {
		pol.Exceptions = append(pol.Exceptions, license.Exception{Package: x.Package, Versions: x.Versions,
			Reason: x.Reason, ApprovedBy: x.ApprovedBy, Expires: x.Expires.Time})
	}
	return pol, nil
}

// VulnIgnores returns the ignore rules of ospo.yaml's vulns section.
func VulnIgnores(v config.Vulns) []vuln.Ignore {
	out := make([]vuln.Ignore, len(v.Ignore))
	for i, r := range v.Ignore {
		out[i] = vuln.Ignore{ID: r.ID, Package: r.Package, Reason: r.Reason, ApprovedBy: r.ApprovedBy, Expires: r.Expires.Time}
	}
	return out
}

// readCoverage parses covFile, or else the first coverage report found in
// dir; nil when there is none. A covFile that cannot be read or parsed is
// an error wrapping catalog.ErrInvalid; a report in the tree that cannot
// is ignored.
func readCoverage(covFile, dir string) (*float64, error) {
	parse := func(path string) (*float64, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		v, err := scorecard.ParseCoverage(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &v, nil
	}
	if covFile != "" {
		v, err := parse(covFile)
		if err != nil {
			return nil, catalog.Mark(fmt.Errorf("--coverage: %w", err), catalog.ErrInvalid)
		}
		return v, nil
	}
	if dir == "" {
		return nil, nil
	}
	for _, name := range scorecard.CoverageFiles {
		if v, err := parse(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			return v, nil
		}
	}
	return nil, nil
}
