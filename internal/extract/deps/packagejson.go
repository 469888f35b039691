package deps

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/lazyre"
)

// parsePackageJSON reads the dependencies a package.json declares:
// dependencies and peerDependencies (runtime), optionalDependencies
// (optional) and devDependencies (dev), all direct. Versions are the
// declared ranges (Constraint), unless a range is one exact version. Local
// (file:, link:, workspace:), git and URL dependencies are not registry
// packages and are skipped; an alias ("npm:real@range") is the real
// package. A git or URL dependency still marks the lockfile's package of
// its name direct (the lockfile records it at the version it resolved).
//
// It is a manifest: when a lockfile (package-lock.json, yarn.lock,
// pnpm-lock.yaml, bun.lock) is in its directory or an ancestor's, the
// lockfile's packages are used instead and these declarations only mark
// which of them are direct.
func parsePackageJSON(_ context.Context, _ *input, data []byte) (output, error) {
	out := output{family: "npm", manifest: true, knowsDirect: true}
	var pj struct {
		Dependencies         json.RawMessage `json:"dependencies"`
		DevDependencies      json.RawMessage `json:"devDependencies"`
		OptionalDependencies json.RawMessage `json:"optionalDependencies"`
		PeerDependencies     json.RawMessage `json:"peerDependencies"`
	}
	if err := json.Unmarshal(data, &pj); err != nil {
		return out, fmt.Errorf("invalid JSON: %w", err)
	}
	var errs []string
	for _, g := range []struct {
		field string
		raw   json.RawMessage
		scope string
	}{
		{"dependencies", pj.Dependencies, catalog.ScopeRuntime},
		{"peerDependencies", pj.PeerDependencies, catalog.ScopeRuntime},
		{"optionalDependencies", pj.OptionalDependencies, catalog.ScopeOptional},
		{"devDependencies", pj.DevDependencies, catalog.ScopeDev},
	} {
		if len(g.raw) == 0 || string(g.raw) == "null" {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal(g.raw, &m); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", g.field, err))
			continue
		}
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			rng := strings.TrimSpace(m[name])
			if real, ok := strings.CutPrefix(rng, "npm:"); ok {
				if i := strings.LastIndexByte(real, '@'); i > 0 {
					name, rng = real[:i], real[i+1:]
				} else {
					name, rng = real, ""
				}
			}
			if !npmRegistryRange(rng) {
				if !npmLocalRange(rng) {
					out.markOnly = append(out.markOnly, catalog.Dependency{Ecosystem: ecoNPM, Name: name, Version: rng, Scope: g.scope, Direct: true})
				}
				continue
			}
			out.deps = append(out.deps, constraintDep(ecoNPM, name, rng, g.scope, exactSemver.MatchString(rng)))
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return out, nil
}

// exactSemver matches a range that is one exact version, e.g. "1.2.3" or
// "=1.2.3-beta.1".
var exactSemver = lazyre.New(`^=?v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)

// npmRegistryRange reports whether a package.json range names a version
// from the registry rather than a local path, git repository or URL.
func npmRegistryRange(rng string) bool {
	for _, p := range []string{"file:", "link:", "workspace:", "portal:", "git", "http:", "https:", "github:", "gitlab:", "bitbucket:"} {
		if strings.HasPrefix(rng, p) {
			return false
		}
	}
	// "user/repo" is a GitHub shorthand; a range has no '/'.
	return !strings.Contains(rng, "/") && !strings.HasPrefix(rng, ".")
}

// npmLocalRange reports whether a package.json range names code in the
// repository (a path, a workspace, a link).
func npmLocalRange(rng string) bool {
	for _, p := range []string{"file:", "link:", "workspace:", "portal:", "."} {
		if strings.HasPrefix(rng, p) {
			return true
		}
	}
	return false
}

// constraintDep returns a direct dependency declared by a manifest with a
// version constraint. When exact is set the constraint is one version and
// is recorded as resolved; otherwise Constraint is set and the PURL carries
// no version (a range is not a version).
func constraintDep(eco, name, constraint, scope string, exact bool) catalog.Dependency {
	v := constraint
	if exact {
		v = strings.TrimLeft(constraint, "=v")
		if eco == ecoPyPI || eco == ecoCargo {
			v = strings.TrimLeft(constraint, "=")
		}
	}
	d := newDep(eco, name, v)
	d.Direct = true
	d.Scope = scope
	if !exact {
		d.Version = constraint
		d.Constraint = constraint != ""
		d.PURL = makePURL(eco, name, "", nil)
	}
	return d
}
